import { describe, expect, it } from 'vitest';
import { toAsciiDigits, toBanglaDigits } from './digits.ts';
import { checkWorker, normaliseIdentity, normaliseMobile, type WorkerInput } from './worker.ts';

const ctx = { today: '2013-01-15', unionExists: (id: number) => id >= 1 && id <= 4540 };
const valid: WorkerInput = {
  identity: { kind: 'nid', number: '1990269123456789' + '0' },
  nameEn: 'Md. Abdul Karim',
  nameBn: 'মোঃ আব্দুল করিম',
  gender: 'male',
  dateOfBirth: '1990-03-14',
  mobile: '01712345678',
  permanentUnionCode: 'U1414',
  preferredSectors: ['plantation', 'construction'],
  education: 'ssc',
  trade: 'Mason',
  skills: ['brick laying'],
  experienceYears: 4,
  passportNumber: 'ba0123456',
};

function errorsFor(patch: Partial<WorkerInput>) {
  const result = checkWorker({ ...valid, ...patch }, ctx);
  return result.ok ? [] : result.errors;
}
const pointers = (patch: Partial<WorkerInput>) => errorsFor(patch).map((e) => e.pointer);

describe('checkWorker', () => {
  it('normalises a valid registration: E.164 mobile, union id, upper-case passport, NFC names', () => {
    const decomposed = 'মোঃ আব্দুল করিম'.normalize('NFD');
    const result = checkWorker(
      { ...valid, nameBn: `  ${decomposed}  `, nameEn: ' Md.  Abdul   Karim ' },
      ctx,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      nameEn: 'Md. Abdul Karim',
      nameBn: 'মোঃ আব্দুল করিম'.normalize('NFC'),
      mobile: '+8801712345678',
      permanentUnionId: 1414,
      passportNumber: 'BA0123456',
      experienceYears: 4,
      identity: { kind: 'nid', last4: '7890' },
    });
  });

  it('accepts Bangla digits in the identity number, mobile, date of birth, union code and years', () => {
    const result = checkWorker(
      {
        ...valid,
        identity: { kind: 'nid', number: toBanglaDigits('1990269123456789 0') },
        mobile: toBanglaDigits('+880 1712-345678'),
        dateOfBirth: toBanglaDigits('1990-03-14'),
        permanentUnionCode: toBanglaDigits('1414'),
        experienceYears: toBanglaDigits('12'),
      },
      ctx,
    );
    expect(result.ok && result.value).toMatchObject({
      mobile: '+8801712345678',
      dateOfBirth: '1990-03-14',
      permanentUnionId: 1414,
      experienceYears: 12,
    });
    expect(toAsciiDigits('০১২৩৪৫৬৭৮৯')).toBe('0123456789');
  });

  it('refuses each bad identity number with a pointer to it', () => {
    const bad = [
      { kind: 'nid' as const, number: '12345' },
      { kind: 'nid' as const, number: '123456789012' },
      { kind: 'nid' as const, number: '1111111111' },
      { kind: 'nid' as const, number: '12345678901a3' },
      { kind: 'nid' as const, number: '0012345678901' },
      { kind: 'nid' as const, number: '19852691234567890' },
      { kind: 'birth-registration' as const, number: '1990269123456' },
      { kind: 'birth-registration' as const, number: '19912691234567890' },
    ];
    for (const identity of bad) expect(pointers({ identity })).toEqual(['/body/identity/number']);
  });

  it('hashes a 17-digit NID as its 13-digit legacy core, so both forms are one person', () => {
    const long = normaliseIdentity('nid', '19902691234567890', 1990);
    const short = normaliseIdentity('nid', '2691234567890', 1990);
    expect(long.ok && short.ok && long.value.hashInput === short.value.hashInput).toBe(true);
    const brn = normaliseIdentity('birth-registration', '19902691234567890', 1990);
    expect(brn.ok && long.ok && brn.value.hashInput !== long.value.hashInput).toBe(true);
    expect(normaliseIdentity('nid', '1234567890', undefined)).toMatchObject({
      ok: true,
      value: { last4: '7890' },
    });
  });

  it('refuses bad names: too short, too long, wrong script, digits', () => {
    expect(pointers({ nameEn: 'K' })).toEqual(['/body/nameEn']);
    expect(pointers({ nameEn: 'K'.repeat(101) })).toEqual(['/body/nameEn']);
    expect(pointers({ nameEn: 'আব্দুল করিম' })).toEqual(['/body/nameEn']);
    expect(pointers({ nameEn: 'Karim <script>' })).toEqual(['/body/nameEn']);
    expect(pointers({ nameBn: 'Abdul Karim' })).toEqual(['/body/nameBn']);
    expect(pointers({ nameBn: 'করিম ১২' })).toEqual(['/body/nameBn']);
    expect(pointers({ nameBn: 'ঃঃ' })).toEqual(['/body/nameBn']);
    expect(pointers({ nameBn: 'ক'.repeat(101) })).toEqual(['/body/nameBn']);
  });

  it('refuses bad dates of birth', () => {
    for (const dateOfBirth of ['1990-02-30', '14/03/1990', '2013-01-16', '1899-12-31', '']) {
      expect(pointers({ dateOfBirth })).toContain('/body/dateOfBirth');
    }
  });

  it('takes Bangladesh mobile numbers in the usual forms only', () => {
    for (const m of ['01712345678', '8801712345678', '+8801712345678', '+880 1712 345678', '০১৯১২৩৪৫৬৭৮']) {
      expect(normaliseMobile(m)).toMatch(/^\+8801[3-9][0-9]{8}$/);
    }
    for (const mobile of ['0171234567', '01212345678', '+60123456789', '+880171234567899', 'phone']) {
      expect(pointers({ mobile })).toEqual(['/body/mobile']);
    }
  });

  it('refuses an unknown or malformed union code', () => {
    expect(pointers({ permanentUnionCode: 'U9999' })).toEqual(['/body/permanentUnionCode']);
    expect(pointers({ permanentUnionCode: 'Dhaka' })).toEqual(['/body/permanentUnionCode']);
  });

  it('refuses bad sectors, skills, years and passport numbers with their pointers', () => {
    expect(pointers({ preferredSectors: [] })).toEqual(['/body/preferredSectors']);
    expect(pointers({ preferredSectors: ['plantation', 'Plantation'] })).toEqual([
      '/body/preferredSectors/1',
    ]);
    expect(pointers({ preferredSectors: ['farm work'] })).toEqual(['/body/preferredSectors/0']);
    expect(pointers({ skills: ['x'] })).toEqual(['/body/skills/0']);
    expect(pointers({ trade: 'a'.repeat(81) })).toEqual(['/body/trade']);
    expect(pointers({ experienceYears: 61 })).toEqual(['/body/experienceYears']);
    expect(pointers({ experienceYears: '2.5' })).toEqual(['/body/experienceYears']);
    expect(pointers({ passportNumber: '12345' })).toEqual(['/body/passportNumber']);
  });

  it('reports every problem at once, under the given prefix', () => {
    const result = checkWorker(
      { ...valid, mobile: 'x', nameBn: 'x', dateOfBirth: 'x' },
      ctx,
      '/body/items/3',
    );
    expect(result.ok ? [] : result.errors.map((e) => e.pointer).sort()).toEqual([
      '/body/items/3/dateOfBirth',
      '/body/items/3/mobile',
      '/body/items/3/nameBn',
    ]);
  });
});
