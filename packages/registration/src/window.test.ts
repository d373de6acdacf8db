import { AppError, money } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import {
  amendmentViolations,
  assertWindowDefinition,
  type RegistrationWindow,
  resolveSchedule,
  windowViolations,
} from './window.ts';

const divisions = [1, 2, 3, 4, 5, 6, 7, 8];
const t = (iso: string) => new Date(iso);
const scheme = {
  sectors: ['plantation', 'manufacturing', 'construction', 'services'],
  minAge: 18,
  maxAge: 45,
};
const window: RegistrationWindow = {
  id: 'g2g-my-2013-jan',
  schemeId: 'g2g-malaysia-2013',
  name: 'January 2013',
  sectors: ['plantation', 'construction'],
  schedule: resolveSchedule(
    { opensAt: t('2013-01-14T03:00:00Z'), closesAt: t('2013-01-17T12:00:00Z') },
    [{ divisionId: 3, opensAt: t('2013-01-17T03:00:00Z'), closesAt: t('2013-01-20T12:00:00Z') }],
    divisions,
  ),
  eligibility: {
    minAge: 18,
    maxAge: 45,
    ageReferenceDate: '2013-01-14',
    genders: ['male'],
    citizenship: 'BD',
  },
  serviceCharge: money(5000, 'BDT'),
};
const worker = { gender: 'male' as const, dateOfBirth: '1990-03-14', preferredSectors: ['plantation'] };

describe('window rules', () => {
  it('resolve a schedule entry for every division, with per-division overrides', () => {
    expect(window.schedule).toHaveLength(8);
    expect(window.schedule.find((d) => d.divisionId === 3)?.opensAt).toEqual(t('2013-01-17T03:00:00Z'));
  });

  it('accept an eligible worker while the division is open', () => {
    expect(windowViolations(window, 1, worker, t('2013-01-15T06:00:00Z'))).toEqual([]);
  });

  it('say why a registration is refused: not open yet, closed, gender, age, sector', () => {
    const early = windowViolations(window, 3, worker, t('2013-01-15T06:00:00Z'));
    expect(early[0]?.detail).toContain('opens');
    const late = windowViolations(window, 1, worker, t('2013-01-17T12:00:00Z'));
    expect(late[0]?.detail).toContain('closed');
    const all = windowViolations(
      window,
      1,
      { gender: 'female', dateOfBirth: '1995-01-15', preferredSectors: ['plantation', 'services'] },
      t('2013-01-15T06:00:00Z'),
    );
    expect(all.map((e) => e.pointer)).toEqual([
      '/body/gender',
      '/body/dateOfBirth',
      '/body/preferredSectors/1',
    ]);
    expect(all[1]?.detail).toContain('age 17 on 2013-01-14');
  });

  it('count age on the reference date, a birthday on that day included', () => {
    const on = (dateOfBirth: string) =>
      windowViolations(window, 1, { ...worker, dateOfBirth }, t('2013-01-15T06:00:00Z'));
    expect(on('1995-01-14')).toEqual([]);
    expect(on('1995-01-15')).toHaveLength(1);
    expect(on('1967-01-15')).toEqual([]);
    expect(on('1967-01-14')).toHaveLength(1);
  });

  it('are checked against the scheme when a window is defined', () => {
    const bad = {
      ...window,
      sectors: ['fishing', 'plantation', 'plantation'],
      schedule: [{ divisionId: 99, opensAt: t('2013-01-14T00:00:00Z'), closesAt: t('2013-01-13T00:00:00Z') }],
      eligibility: { ...window.eligibility, minAge: 16, genders: [] },
      serviceCharge: money(5000, 'USD'),
    };
    try {
      assertWindowDefinition(bad, scheme, divisions);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).errors?.map((e) => e.pointer)).toEqual([
        '/body/sectors/0',
        '/body/sectors/2',
        '/body/schedule/0/divisionId',
        '/body/schedule/0/closesAt',
        '/body/eligibility/minAge',
        '/body/eligibility/genders',
        '/body/serviceCharge/currency',
      ]);
    }
    expect(() => assertWindowDefinition(window, scheme, divisions)).not.toThrow();
  });
});

describe('window amendments', () => {
  const before = t('2013-01-10T00:00:00Z');
  const during = t('2013-01-15T06:00:00Z');

  it('may change anything before any division opens', () => {
    const next = { ...window, sectors: ['services'], eligibility: { ...window.eligibility, maxAge: 40 } };
    expect(amendmentViolations(window, next, before)).toEqual([]);
  });

  it('after opening, freeze eligibility, charge, removal of sectors and past opening times', () => {
    const next = {
      ...window,
      sectors: ['construction', 'manufacturing'],
      eligibility: { ...window.eligibility, maxAge: 40 },
      serviceCharge: money(10000, 'BDT'),
      schedule: window.schedule.map((d) =>
        d.divisionId === 1
          ? { ...d, opensAt: t('2013-01-15T00:00:00Z'), closesAt: t('2013-01-15T00:00:00Z') }
          : d,
      ),
    };
    expect(amendmentViolations(window, next, during).map((e) => e.pointer)).toEqual([
      '/body/eligibility',
      '/body/serviceCharge',
      '/body/sectors',
      '/body/schedule/0/opensAt',
      '/body/schedule/0/closesAt',
    ]);
  });

  it('after opening, allow extending, adding sectors and rescheduling divisions not yet open', () => {
    const next = {
      ...window,
      sectors: [...window.sectors, 'services'],
      schedule: window.schedule.map((d) =>
        d.divisionId === 1
          ? { ...d, closesAt: t('2013-01-18T12:00:00Z') }
          : d.divisionId === 3
            ? { ...d, opensAt: t('2013-01-18T03:00:00Z') }
            : d,
      ),
    };
    expect(amendmentViolations(window, next, during)).toEqual([]);
  });
});
