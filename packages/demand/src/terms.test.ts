import { AppError, money } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import {
  assertNoViolations,
  assertTermsConsistent,
  type DemandTerms,
  effectiveAgeLimits,
  sameTerms,
  schemeRuleViolations,
} from './terms.ts';
import { sampleScheme } from './testing.ts';

const scheme = sampleScheme;

/** Terms exactly at every limit of the scheme. */
const terms: DemandTerms = {
  sector: 'plantation',
  jobTitle: 'Harvester',
  trade: null,
  requiredSkills: [],
  workersRequested: 5,
  gender: 'any',
  ageRange: { min: 18, max: 45 },
  monthlyWage: money(90000, 'MYR'),
  contractMonths: 36,
  workLocation: 'Sabah',
  accommodation: { provided: false, monthlyDeduction: money(0, 'MYR'), terms: 'None' },
  food: { provided: false, monthlyDeduction: money(0, 'MYR'), terms: 'None' },
  expectedStartDate: '2013-06-01',
};

const check = (
  t: DemandTerms,
  extra: { windowAgeLimits?: { min: number; max: number }; today?: string } = {},
) => schemeRuleViolations(t, { scheme, today: extra.today ?? '2013-01-01', checkStartDate: true, ...extra });

describe('scheme rules', () => {
  it('are kept by terms exactly at every limit', () => {
    expect(check(terms)).toEqual([]);
    expect(check(terms, { today: '2013-06-01' })).toEqual([]);
  });

  it.each([
    ['sector-allowed', { sector: 'mining' }, '/body/sector'],
    ['minimum-wage', { monthlyWage: money(89999, 'MYR') }, '/body/monthlyWage/amountMinor'],
    ['wage-currency', { monthlyWage: money(900000, 'BDT') }, '/body/monthlyWage/currency'],
    ['max-contract-months', { contractMonths: 37 }, '/body/contractMonths'],
    ['age-limits', { ageRange: { min: 17, max: 30 } }, '/body/ageRange/min'],
    ['age-limits', { ageRange: { min: 20, max: 46 } }, '/body/ageRange/max'],
    ['start-date-not-past', { expectedStartDate: '2012-12-31' }, '/body/expectedStartDate'],
    [
      'wage-currency',
      { food: { provided: true, monthlyDeduction: money(100, 'USD'), terms: 'Meals' } },
      '/body/food/monthlyDeduction/currency',
    ],
  ] as const)('%s is named with a pointer to the field (%s)', (rule, change, pointer) => {
    const violations = check({ ...terms, ...change } as DemandTerms);
    expect(violations).toEqual([{ rule, pointer, detail: expect.any(String) }]);
  });

  it('reports every broken rule at once in one 422', () => {
    const bad = { ...terms, sector: 'mining', contractMonths: 48, monthlyWage: money(1, 'MYR') };
    let err: unknown;
    try {
      assertNoViolations(check(bad));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const appErr = err as AppError;
    expect(appErr.code).toBe('rule-violated');
    expect(appErr.extensions?.rules).toEqual(['sector-allowed', 'minimum-wage', 'max-contract-months']);
    expect(appErr.detail).toBe(
      'The demand order breaks the rules sector-allowed, minimum-wage, max-contract-months.',
    );
    expect(appErr.errors?.[1]).toEqual({
      pointer: '/body/monthlyWage/amountMinor',
      detail: 'minimum-wage: at least RM 900.00 a month',
    });
  });

  it("narrow the age limits to the registration window's when one is given (the hook)", () => {
    expect(effectiveAgeLimits(scheme.rules)).toEqual({ min: 18, max: 45 });
    expect(effectiveAgeLimits(scheme.rules, { min: 21, max: 50 })).toEqual({ min: 21, max: 45 });
    expect(check(terms, { windowAgeLimits: { min: 21, max: 40 } }).map((v) => v.pointer)).toEqual([
      '/body/ageRange/min',
      '/body/ageRange/max',
    ]);
  });
});

describe('terms consistency', () => {
  it('refuses an inverted age range, a deduction for what is not provided, repeated skills', () => {
    let err: AppError | undefined;
    try {
      assertTermsConsistent({
        ...terms,
        ageRange: { min: 40, max: 30 },
        food: { provided: false, monthlyDeduction: money(500, 'MYR'), terms: 'x' },
        requiredSkills: ['welding', 'welding'],
      });
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.code).toBe('validation-failed');
    expect(err?.errors?.map((e) => e.pointer)).toEqual([
      '/body/ageRange/max',
      '/body/food/monthlyDeduction/amountMinor',
      '/body/requiredSkills',
    ]);
    expect(() => assertTermsConsistent(terms)).not.toThrow();
  });

  it('compares terms by value', () => {
    expect(sameTerms(terms, { ...terms, monthlyWage: money(90000, 'MYR') })).toBe(true);
    expect(sameTerms(terms, { ...terms, requiredSkills: ['x'] })).toBe(false);
  });
});
