import type { Money } from '@g2g/domain';
import { unreachable } from './errors.ts';
import type { PayeeCheck, PayeeRef } from './payees.ts';
import type { AppliedCap, CostCategory } from './policy.ts';

export const findingKinds = [
  'over_cap',
  'employer_only_cost_paid_by_worker',
  'category_limit_exceeded',
  'unlicensed_payee',
  'unmatched_worker_report',
] as const;
export type FindingKind = (typeof findingKinds)[number];

/** What a finding says. Amounts are in the scheme currency, as they stood when it was raised. */
export type FindingDetail =
  | { readonly kind: 'over_cap'; readonly total: Money; readonly cap: AppliedCap }
  | {
      readonly kind: 'category_limit_exceeded';
      readonly category: CostCategory;
      readonly total: Money;
      readonly limit: Money;
      readonly policyVersionId: string;
    }
  | {
      readonly kind: 'employer_only_cost_paid_by_worker';
      readonly entryId: string;
      readonly category: CostCategory;
      readonly amount: Money;
      readonly policyVersionId: string;
    }
  | {
      readonly kind: 'unlicensed_payee';
      readonly entryId: string;
      readonly payee: PayeeRef;
      readonly payeeCheck: PayeeCheck;
    }
  | {
      readonly kind: 'unmatched_worker_report';
      readonly entryId: string;
      readonly category: CostCategory;
      readonly payee: PayeeRef;
      readonly amount: Money;
    };

/**
 * The condition a finding is about, unique within one worker's ledger:
 * 'over_cap', 'category_limit_exceeded:<category>', '<kind>:<entryId>' for the per-entry kinds.
 */
export function findingKey(detail: FindingDetail): string {
  switch (detail.kind) {
    case 'over_cap':
      return 'over_cap';
    case 'category_limit_exceeded':
      return `category_limit_exceeded:${detail.category}`;
    case 'employer_only_cost_paid_by_worker':
    case 'unlicensed_payee':
    case 'unmatched_worker_report':
      return `${detail.kind}:${detail.entryId}`;
    default:
      return unreachable(detail);
  }
}

/**
 * A finding as raised. `id` = '<registrationNumber>/<key>/<occurrence>' is globally unique and stable:
 * a condition that holds again after being resolved is a new occurrence with a new id.
 */
export type Finding = FindingDetail & {
  readonly id: string;
  readonly key: string;
  readonly occurrence: number;
  readonly registrationNumber: string;
  /** The entry whose posting raised it. */
  readonly raisedBy: string;
  readonly raisedAt: string;
};

/** A finding stops holding: recorded as its own event, the finding itself is never edited. */
export interface FindingResolution {
  readonly findingId: string;
  readonly key: string;
  readonly occurrence: number;
  readonly registrationNumber: string;
  /** The entry whose posting resolved it (a reversal, a matching receipt, ...). */
  readonly resolvedBy: string;
  readonly resolvedAt: string;
}

export function findingId(registrationNumber: string, key: string, occurrence: number): string {
  return `${registrationNumber}/${key}/${occurrence}`;
}
