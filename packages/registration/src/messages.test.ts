import { describe, expect, it } from 'vitest';
import { isMessageTemplate, messageTemplates, renderMessage } from './messages.ts';
import { registrationNumberFromSerial } from './registration-number.ts';
import { nextStep, registrationStatuses } from './status.ts';

describe('message templates', () => {
  it('render Bangla (with Bangla digits) then English', () => {
    const n = registrationNumberFromSerial(12345);
    const m = renderMessage('registration.confirmed', { registrationNumber: n, windowName: 'January 2013' });
    expect(m.bn).toContain('০০০০-০১২৩-৪৫');
    expect(m.en).toContain('0000-0123-45');
    expect(m.text).toBe(`${m.bn}\n${m.en}`);
  });

  it('refuse a missing parameter and know their own names', () => {
    expect(() => renderMessage('registration.withdrawn', {} as never)).toThrow(/registrationNumber/);
    expect(isMessageTemplate('registration.confirmed')).toBe(true);
    expect(isMessageTemplate('toString')).toBe(false);
    for (const [name, t] of Object.entries(messageTemplates)) {
      const params = Object.fromEntries(t.params.map((p) => [p, p.includes('Number') ? '00000123457' : 'x']));
      const m = renderMessage(name as never, params as never);
      expect(m.bn.length).toBeGreaterThan(5);
      expect(m.en).not.toContain('undefined');
    }
  });
});

describe('next steps', () => {
  it('exist in both languages for every status, with the waitlist position', () => {
    for (const s of registrationStatuses) {
      const step = nextStep(s, 7);
      expect(step.en.length).toBeGreaterThan(10);
      expect(step.bn.length).toBeGreaterThan(10);
    }
    expect(nextStep('waitlisted', 7).en).toContain('position 7');
  });
});
