import {
  AppError,
  type CanonicalValue,
  canonicalJson,
  type FieldError,
  formatMoney,
  type Money,
  type Scheme,
  type SchemeRules,
} from '@g2g/domain';

/**
 * The terms of a demand order: what the employer offers and whom it asks for. A version of an order
 * is one set of terms; the order's scheme is fixed when the order is created and is not a term.
 */
export const genders = ['male', 'female', 'any'] as const;
export type Gender = (typeof genders)[number];

export interface AgeRange {
  readonly min: number;
  readonly max: number;
}

/** Accommodation or food: whether the employer provides it, and what it deducts from the wage. */
export interface LivingTerms {
  readonly provided: boolean;
  /** Deducted from the monthly wage, in the wage currency; zero when not provided. */
  readonly monthlyDeduction: Money;
  readonly terms: string;
}

export interface DemandTerms {
  /** A sector slug the scheme recruits for (plantation, manufacturing, ...). */
  readonly sector: string;
  readonly jobTitle: string;
  /** The trade asked for, if any (e.g. "oil palm harvester"). */
  readonly trade: string | null;
  readonly requiredSkills: readonly string[];
  readonly workersRequested: number;
  readonly gender: Gender;
  readonly ageRange: AgeRange;
  readonly monthlyWage: Money;
  readonly contractMonths: number;
  readonly workLocation: string;
  readonly accommodation: LivingTerms;
  readonly food: LivingTerms;
  /** Calendar date 'YYYY-MM-DD'. */
  readonly expectedStartDate: string;
}

/** The names of the rules a demand order can break (a 422 `rule-violated` names them). */
export const demandRules = [
  'sector-allowed',
  'minimum-wage',
  'wage-currency',
  'max-contract-months',
  'age-limits',
  'start-date-not-past',
  'approved-terms-not-worsened',
] as const;
export type DemandRule = (typeof demandRules)[number];

export interface RuleViolation {
  readonly rule: DemandRule;
  /** JSON Pointer to the offending field, under the given prefix (`/body` or `/order`). */
  readonly pointer: string;
  readonly detail: string;
}

/**
 * The age range workers may have for a demand order under this scheme: the scheme's limits,
 * narrowed by the registration window's when there is one.
 *
 * HOOK (registration windows): registration windows are built on another branch; until they land
 * the repositories pass `windowAgeLimits` as undefined (see `findWindowAgeLimits` in @g2g/db) and
 * only the scheme's limits apply.
 */
export function effectiveAgeLimits(rules: SchemeRules, windowAgeLimits?: AgeRange): AgeRange {
  if (!windowAgeLimits) return { min: rules.minAge, max: rules.maxAge };
  return {
    min: Math.max(rules.minAge, windowAgeLimits.min),
    max: Math.min(rules.maxAge, windowAgeLimits.max),
  };
}

/**
 * Invariants of a set of terms that no scheme changes: a sensible age range, no deduction for what
 * is not provided. Throws `validation-failed` with pointers.
 */
export function assertTermsConsistent(terms: DemandTerms, prefix = '/body'): void {
  const errors: FieldError[] = [];
  if (terms.ageRange.min > terms.ageRange.max) {
    errors.push({ pointer: `${prefix}/ageRange/max`, detail: 'must be at least ageRange.min' });
  }
  for (const key of ['accommodation', 'food'] as const) {
    const living = terms[key];
    if (!living.provided && living.monthlyDeduction.amountMinor !== 0n) {
      errors.push({
        pointer: `${prefix}/${key}/monthlyDeduction/amountMinor`,
        detail: `must be 0 when ${key} is not provided`,
      });
    }
  }
  if (new Set(terms.requiredSkills).size !== terms.requiredSkills.length) {
    errors.push({ pointer: `${prefix}/requiredSkills`, detail: 'skills must not repeat' });
  }
  if (errors.length > 0) {
    throw new AppError('validation-failed', 'The demand order terms are not consistent.', { errors });
  }
}

export interface RuleCheckContext {
  readonly scheme: Scheme;
  /** The registration window's age range, when the windows exist (see effectiveAgeLimits). */
  readonly windowAgeLimits?: AgeRange | undefined;
  /** Today, 'YYYY-MM-DD', from the caller's clock. */
  readonly today: string;
  /** Check the expected start date against today (when it is set or changed, and on submission). */
  readonly checkStartDate: boolean;
}

/** Every scheme rule the terms break (empty when they keep them all). */
export function schemeRuleViolations(
  terms: DemandTerms,
  ctx: RuleCheckContext,
  prefix = '/body',
): RuleViolation[] {
  const { scheme } = ctx;
  const out: RuleViolation[] = [];
  if (!scheme.rules.sectors.includes(terms.sector)) {
    out.push({
      rule: 'sector-allowed',
      pointer: `${prefix}/sector`,
      detail: `scheme ${scheme.id} recruits for ${scheme.rules.sectors.join(', ')} only`,
    });
  }
  const currencyPointers: string[] = [];
  if (terms.monthlyWage.currency !== scheme.wageCurrency) currencyPointers.push('monthlyWage');
  for (const key of ['accommodation', 'food'] as const) {
    if (terms[key].monthlyDeduction.currency !== scheme.wageCurrency) {
      currencyPointers.push(`${key}/monthlyDeduction`);
    }
  }
  for (const where of currencyPointers) {
    out.push({
      rule: 'wage-currency',
      pointer: `${prefix}/${where}/currency`,
      detail: `wages under scheme ${scheme.id} are paid in ${scheme.wageCurrency}`,
    });
  }
  if (
    terms.monthlyWage.currency === scheme.wageCurrency &&
    terms.monthlyWage.amountMinor < scheme.rules.minMonthlyWageMinor
  ) {
    out.push({
      rule: 'minimum-wage',
      pointer: `${prefix}/monthlyWage/amountMinor`,
      detail: `at least ${formatMoney({ amountMinor: scheme.rules.minMonthlyWageMinor, currency: scheme.wageCurrency })} a month`,
    });
  }
  if (terms.contractMonths > scheme.rules.maxContractMonths) {
    out.push({
      rule: 'max-contract-months',
      pointer: `${prefix}/contractMonths`,
      detail: `at most ${scheme.rules.maxContractMonths} months`,
    });
  }
  const limits = effectiveAgeLimits(scheme.rules, ctx.windowAgeLimits);
  if (terms.ageRange.min < limits.min) {
    out.push({ rule: 'age-limits', pointer: `${prefix}/ageRange/min`, detail: `at least ${limits.min}` });
  }
  if (terms.ageRange.max > limits.max) {
    out.push({ rule: 'age-limits', pointer: `${prefix}/ageRange/max`, detail: `at most ${limits.max}` });
  }
  if (ctx.checkStartDate && terms.expectedStartDate < ctx.today) {
    out.push({
      rule: 'start-date-not-past',
      pointer: `${prefix}/expectedStartDate`,
      detail: `must not be before today (${ctx.today})`,
    });
  }
  return out;
}

/**
 * Contract substitution guard: an employer may amend an approved order, but not to the worker's
 * loss. Lower wage, a larger deduction, or accommodation or food no longer provided are refused
 * (the committee, which approved the order, may still change them).
 */
export function worsenedTermsViolations(
  before: DemandTerms,
  after: DemandTerms,
  prefix = '/body',
): RuleViolation[] {
  const out: RuleViolation[] = [];
  const worse = (pointer: string, detail: string) =>
    out.push({ rule: 'approved-terms-not-worsened', pointer: `${prefix}/${pointer}`, detail });
  if (after.monthlyWage.amountMinor < before.monthlyWage.amountMinor) {
    worse('monthlyWage/amountMinor', `must not fall below the approved ${formatMoney(before.monthlyWage)}`);
  }
  for (const key of ['accommodation', 'food'] as const) {
    if (before[key].provided && !after[key].provided)
      worse(`${key}/provided`, `${key} was approved as provided`);
    if (after[key].monthlyDeduction.amountMinor > before[key].monthlyDeduction.amountMinor) {
      worse(
        `${key}/monthlyDeduction/amountMinor`,
        `must not rise above the approved ${formatMoney(before[key].monthlyDeduction)}`,
      );
    }
  }
  return out;
}

/** Throws one 422 `rule-violated` naming every broken rule, with a pointer for each. */
export function assertNoViolations(violations: readonly RuleViolation[]): void {
  if (violations.length === 0) return;
  const rules = [...new Set(violations.map((v) => v.rule))];
  throw new AppError(
    'rule-violated',
    `The demand order breaks ${rules.length === 1 ? 'the rule' : 'the rules'} ${rules.join(', ')}.`,
    {
      errors: violations.map((v) => ({ pointer: v.pointer, detail: `${v.rule}: ${v.detail}` })),
      extensions: { rules },
    },
  );
}

/** The terms as plain canonical data: for audit payloads and comparisons. */
export function canonicalTerms(t: DemandTerms): CanonicalValue {
  const living = (l: LivingTerms) => ({
    provided: l.provided,
    monthlyDeduction: { ...l.monthlyDeduction },
    terms: l.terms,
  });
  return {
    ...t,
    requiredSkills: [...t.requiredSkills],
    ageRange: { ...t.ageRange },
    monthlyWage: { ...t.monthlyWage },
    accommodation: living(t.accommodation),
    food: living(t.food),
  };
}

/** Whether two sets of terms are the same (an amendment that changes nothing makes no version). */
export function sameTerms(a: DemandTerms, b: DemandTerms): boolean {
  return canonicalJson(canonicalTerms(a)) === canonicalJson(canonicalTerms(b));
}

/** The eligibility fields: they decide which workers a draw may allocate to the order. */
export function eligibilityChanged(a: DemandTerms, b: DemandTerms): string[] {
  const changed: string[] = [];
  if (a.sector !== b.sector) changed.push('sector');
  if (a.gender !== b.gender) changed.push('gender');
  if (a.ageRange.min !== b.ageRange.min || a.ageRange.max !== b.ageRange.max) changed.push('ageRange');
  return changed;
}
