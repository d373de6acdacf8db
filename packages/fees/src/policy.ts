import { type Currency, isCurrency, type Money } from '@g2g/domain';
import { assertLocalDate, inPeriod, type LocalDate } from './dates.ts';
import { assertIdentifier, feeError, unreachable } from './errors.ts';
import { convert, type RateTable } from './rates.ts';

export const costCategories = [
  'registration_service_charge',
  'passport',
  'medical_test',
  'skills_test',
  'training_orientation',
  'visa',
  'work_permit_levy',
  'insurance',
  'welfare_fund',
  'airfare',
  'recruitment_service_charge',
  'other',
] as const;
export type CostCategory = (typeof costCategories)[number];

export function isCostCategory(value: unknown): value is CostCategory {
  return typeof value === 'string' && (costCategories as readonly string[]).includes(value);
}

/** Whether a worker may pay a category at all, and up to how much in total (scheme currency). */
export type CategoryRule =
  | { readonly kind: 'worker_may_pay'; readonly limit: Money | null }
  | { readonly kind: 'employer_only' };

/** The overall cap on what one worker may pay, in the scheme currency. */
export type CapRule =
  | { readonly kind: 'fixed'; readonly amount: Money }
  /** `months` x the worker's monthly contract wage, converted to the scheme currency. */
  | { readonly kind: 'wage_months'; readonly months: number }
  /** Nothing: the Employer Pays Principle in full. */
  | { readonly kind: 'zero' };

export interface PolicyVersion {
  readonly id: string;
  /** First day the version applies (inclusive). */
  readonly effectiveFrom: LocalDate;
  /** First day it no longer applies (exclusive); null = open-ended. */
  readonly effectiveTo: LocalDate | null;
  readonly cap: CapRule;
  /** Every category must be listed. */
  readonly categories: Readonly<Record<CostCategory, CategoryRule>>;
}

/** A scheme's fee policy: one currency, non-overlapping versions sorted by `effectiveFrom`. */
export interface FeePolicy {
  readonly schemeId: string;
  readonly currency: Currency;
  /** A worker report matches a receipt only if their value dates are at most this many days apart. */
  readonly matchWindowDays: number;
  readonly versions: readonly PolicyVersion[];
}

/**
 * Validates a policy: a scheme currency; a match window of 0-366 days; at least one version; unique
 * version ids; effectiveFrom < effectiveTo; versions that do not overlap (gaps are allowed: an entry
 * dated in a gap is refused); every category listed; cap and limits non-negative, in the scheme currency;
 * wage months a positive integer. Returns the policy with versions sorted.
 */
export function feePolicy(input: FeePolicy): FeePolicy {
  assertIdentifier(input.schemeId, 'schemeId');
  if (!isCurrency(input.currency)) throw feeError('invalid-input', 'currency must be BDT, MYR or USD.');
  if (!Number.isInteger(input.matchWindowDays) || input.matchWindowDays < 0 || input.matchWindowDays > 366) {
    throw feeError('invalid-input', 'matchWindowDays must be an integer from 0 to 366.');
  }
  if (input.versions.length === 0) throw feeError('invalid-input', 'A policy needs at least one version.');
  const inScheme = (m: Money, what: string) => {
    if (m.currency !== input.currency) {
      throw feeError('currency-mismatch', `${what} must be in the scheme currency ${input.currency}.`);
    }
    if (typeof m.amountMinor !== 'bigint' || m.amountMinor < 0n) {
      throw feeError('invalid-input', `${what} must be a non-negative bigint of minor units.`);
    }
  };
  const ids = new Set<string>();
  for (const [i, v] of input.versions.entries()) {
    const where = `versions[${i}]`;
    assertIdentifier(v.id, `${where}.id`);
    if (ids.has(v.id)) throw feeError('invalid-input', `${where}.id '${v.id}' is used twice.`);
    ids.add(v.id);
    assertLocalDate(v.effectiveFrom, `${where}.effectiveFrom`);
    if (v.effectiveTo !== null) {
      assertLocalDate(v.effectiveTo, `${where}.effectiveTo`);
      if (v.effectiveTo <= v.effectiveFrom) {
        throw feeError('invalid-input', `${where}.effectiveTo must be after effectiveFrom.`);
      }
    }
    switch (v.cap.kind) {
      case 'fixed':
        inScheme(v.cap.amount, `${where}.cap.amount`);
        break;
      case 'wage_months':
        if (!Number.isInteger(v.cap.months) || v.cap.months < 1 || v.cap.months > 120) {
          throw feeError('invalid-input', `${where}.cap.months must be an integer from 1 to 120.`);
        }
        break;
      case 'zero':
        break;
      default:
        return unreachable(v.cap);
    }
    for (const c of costCategories) {
      const rule = v.categories[c];
      if (!rule) throw feeError('invalid-input', `${where}.categories.${c} is missing.`);
      if (rule.kind === 'worker_may_pay' && rule.limit !== null)
        inScheme(rule.limit, `${where}.categories.${c}.limit`);
      else if (rule.kind !== 'worker_may_pay' && rule.kind !== 'employer_only') {
        throw feeError('invalid-input', `${where}.categories.${c}.kind is not a category rule.`);
      }
    }
    const extra = Object.keys(v.categories).find((k) => !(costCategories as readonly string[]).includes(k));
    if (extra) throw feeError('invalid-input', `${where}.categories.${extra} is not a cost category.`);
  }
  const versions = [...input.versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  for (let i = 1; i < versions.length; i++) {
    const prev = versions[i - 1]!;
    const next = versions[i]!;
    if (prev.effectiveTo === null || prev.effectiveTo > next.effectiveFrom) {
      throw feeError('policy-overlap', `Policy versions '${prev.id}' and '${next.id}' overlap.`);
    }
  }
  return {
    schemeId: input.schemeId,
    currency: input.currency,
    matchWindowDays: input.matchWindowDays,
    versions,
  };
}

/** The version in effect on `date` (effectiveFrom <= date < effectiveTo); none is `policy-missing`. */
export function policyVersionOn(policy: FeePolicy, date: LocalDate): PolicyVersion {
  const found = policy.versions.find((v) => inPeriod(date, v.effectiveFrom, v.effectiveTo));
  if (!found) throw feeError('policy-missing', `No ${policy.schemeId} fee policy is in effect on ${date}.`);
  return found;
}

/** A cap as applied to one worker: which version, on which date, and the amount in the scheme currency. */
export interface AppliedCap {
  readonly policyVersionId: string;
  readonly date: LocalDate;
  readonly rule: CapRule;
  readonly amount: Money;
}

/**
 * The cap of the version in effect on `date`. A wage rule multiplies the worker's monthly contract
 * wage by the months and converts the product once, at the rate for `date`; a missing wage is
 * `wage-missing` and a missing rate `rate-missing`.
 */
export function capOn(
  policy: FeePolicy,
  rates: RateTable,
  monthlyContractWage: Money | null,
  date: LocalDate,
): AppliedCap {
  const version = policyVersionOn(policy, date);
  const rule = version.cap;
  const applied = (amount: Money): AppliedCap => ({ policyVersionId: version.id, date, rule, amount });
  switch (rule.kind) {
    case 'fixed':
      return applied(rule.amount);
    case 'zero':
      return applied({ amountMinor: 0n, currency: policy.currency });
    case 'wage_months': {
      if (monthlyContractWage === null) {
        throw feeError(
          'wage-missing',
          `Policy ${version.id} caps fees at a wage multiple; the wage is missing.`,
        );
      }
      const total = {
        ...monthlyContractWage,
        amountMinor: monthlyContractWage.amountMinor * BigInt(rule.months),
      };
      return applied(convert(total, policy.currency, rates, date).amount);
    }
    default:
      return unreachable(rule);
  }
}
