import type { Money } from '@g2g/domain';
import { inPeriod, type LocalDate } from './dates.ts';
import { add, subtract, zero } from './decimal.ts';
import type { PostedEntry } from './entries.ts';
import { type Finding, type FindingDetail, findingKey } from './findings.ts';
import type { LedgerState } from './ledger.ts';
import { matchWorkerReports } from './matching.ts';
import { isLicensedPayment } from './payees.ts';
import { type AppliedCap, type CostCategory, capOn, type FeePolicy, policyVersionOn } from './policy.ts';
import type { RateTable } from './rates.ts';

/** What the cap of one worker depends on besides the ledger. */
export interface CapContext {
  readonly policy: FeePolicy;
  readonly rates: RateTable;
  /** The worker's monthly contract wage; needed only under a `wage_months` cap. */
  readonly monthlyContractWage: Money | null;
}

export type CapStatus = 'within_cap' | 'near_cap' | 'over_cap';

/**
 * over_cap when total > cap; near_cap when cap > 0 and total >= 90 % of cap (10 x total >= 9 x cap,
 * integers); else within_cap. With a zero cap any worker-paid amount is over and nothing is near.
 */
export function capStatus(total: Money, cap: Money): CapStatus {
  if (total.amountMinor > cap.amountMinor) return 'over_cap';
  if (cap.amountMinor > 0n && 10n * total.amountMinor >= 9n * cap.amountMinor) return 'near_cap';
  return 'within_cap';
}

/**
 * The entries that count, and their sums. Live payments are payments not reversed. Counted entries are
 * the live receipts (official_receipt, employer_declaration) plus the live worker reports that match
 * no receipt: a matched report is the same payment told twice and counts once, through its receipt.
 */
export interface Assessment {
  readonly counted: readonly PostedEntry[];
  /** Worker report id -> the receipt that corroborates it. */
  readonly matchedReports: ReadonlyMap<string, string>;
  /** Counted receipts paid by the worker. */
  readonly receipted: Money;
  /** Counted (unmatched) worker reports. */
  readonly reportedUnmatched: Money;
  /** receipted + reportedUnmatched: what is held against the cap. */
  readonly paidByWorker: Money;
  readonly byCategory: ReadonlyMap<
    CostCategory,
    { readonly total: Money; readonly latestValueDate: LocalDate }
  >;
  /** Latest value date among counted worker-paid entries; chooses the version whose cap applies. */
  readonly latestValueDate: LocalDate | null;
}

export function assess(state: LedgerState, policy: FeePolicy): Assessment {
  const live = [...state.entries.values()].filter((e) => e.kind === 'payment' && !state.reversedBy.has(e.id));
  const matchedReports = matchWorkerReports(live, policy.matchWindowDays);
  const counted = live.filter((e) => !matchedReports.has(e.id));
  let receipted = zero(policy.currency);
  let reportedUnmatched = zero(policy.currency);
  let latestValueDate: LocalDate | null = null;
  const byCategory = new Map<CostCategory, { total: Money; latestValueDate: LocalDate }>();
  for (const e of counted) {
    if (e.payer !== 'worker') continue;
    if (e.source === 'worker_report') reportedUnmatched = add(reportedUnmatched, e.schemeAmount);
    else receipted = add(receipted, e.schemeAmount);
    if (latestValueDate === null || e.valueDate > latestValueDate) latestValueDate = e.valueDate;
    const c = byCategory.get(e.category);
    byCategory.set(e.category, {
      total: add(c?.total ?? zero(policy.currency), e.schemeAmount),
      latestValueDate: c && c.latestValueDate > e.valueDate ? c.latestValueDate : e.valueDate,
    });
  }
  return {
    counted,
    matchedReports,
    receipted,
    reportedUnmatched,
    paidByWorker: add(receipted, reportedUnmatched),
    byCategory,
    latestValueDate,
  };
}

/**
 * The findings that hold for an assessment, by key. Rules:
 * - per counted entry: unlicensed_payee when the payee check is not licensed / not required;
 *   employer_only_cost_paid_by_worker when the worker paid a category that the version in effect on
 *   the entry's value date marks employer-only; unmatched_worker_report for each counted worker report;
 * - per category: category_limit_exceeded when the counted worker-paid total of the category exceeds
 *   the limit of the version in effect on the latest value date among those entries;
 * - per worker: over_cap when paidByWorker exceeds the cap of the version in effect on the latest
 *   worker-paid value date (so a payment made under a lower, later cap counts everything paid before).
 */
export function findingConditions(a: Assessment, ctx: CapContext): Map<string, FindingDetail> {
  const found = new Map<string, FindingDetail>();
  const put = (d: FindingDetail) => found.set(findingKey(d), d);
  for (const e of a.counted) {
    if (!isLicensedPayment(e.payeeCheck)) {
      put({ kind: 'unlicensed_payee', entryId: e.id, payee: e.payee, payeeCheck: e.payeeCheck });
    }
    if (e.payer === 'worker') {
      const version = policyVersionOn(ctx.policy, e.valueDate);
      if (version.categories[e.category].kind === 'employer_only') {
        put({
          kind: 'employer_only_cost_paid_by_worker',
          entryId: e.id,
          category: e.category,
          amount: e.schemeAmount,
          policyVersionId: version.id,
        });
      }
    }
    if (e.source === 'worker_report') {
      put({
        kind: 'unmatched_worker_report',
        entryId: e.id,
        category: e.category,
        payee: e.payee,
        amount: e.schemeAmount,
      });
    }
  }
  for (const [category, { total, latestValueDate }] of a.byCategory) {
    const version = policyVersionOn(ctx.policy, latestValueDate);
    const rule = version.categories[category];
    if (rule.kind === 'worker_may_pay' && rule.limit !== null && total.amountMinor > rule.limit.amountMinor) {
      put({
        kind: 'category_limit_exceeded',
        category,
        total,
        limit: rule.limit,
        policyVersionId: version.id,
      });
    }
  }
  if (a.latestValueDate !== null) {
    const cap = capOn(ctx.policy, ctx.rates, ctx.monthlyContractWage, a.latestValueDate);
    if (a.paidByWorker.amountMinor > cap.amount.amountMinor)
      put({ kind: 'over_cap', total: a.paidByWorker, cap });
  }
  return found;
}

/** One worker's position, for the ministry view and the reports. */
export interface WorkerPosition extends Assessment {
  readonly registrationNumber: string;
  /** Null only when the worker has paid nothing and no version is in effect on `asOf`. */
  readonly cap: AppliedCap | null;
  /** cap - paidByWorker; negative when over the cap. */
  readonly headroom: Money | null;
  readonly status: CapStatus;
  readonly openFindings: readonly Finding[];
}

/**
 * The worker's position. The cap is that of the version in effect on the latest worker-paid value
 * date; with no worker-paid entries, the version in effect on `asOf` (the viewing date, from the caller).
 */
export function positionOf(
  state: LedgerState,
  ctx: CapContext & { readonly asOf: LocalDate },
): WorkerPosition {
  const a = assess(state, ctx.policy);
  const capDate =
    a.latestValueDate ??
    (ctx.policy.versions.some((v) => inPeriod(ctx.asOf, v.effectiveFrom, v.effectiveTo)) ? ctx.asOf : null);
  const cap = capDate === null ? null : capOn(ctx.policy, ctx.rates, ctx.monthlyContractWage, capDate);
  return {
    ...a,
    registrationNumber: state.registrationNumber,
    cap,
    headroom: cap && subtract(cap.amount, a.paidByWorker),
    status: cap ? capStatus(a.paidByWorker, cap.amount) : 'within_cap',
    openFindings: openFindings(state),
  };
}

/** The findings currently open, ordered by key. */
export function openFindings(state: LedgerState): Finding[] {
  return [...state.findings.values()]
    .flatMap((slot) => (slot.open ? [slot.open] : []))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}
