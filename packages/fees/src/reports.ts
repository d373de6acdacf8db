import type { Currency, Money } from '@g2g/domain';
import { inPeriod, type LocalDate } from './dates.ts';
import { add, zero } from './decimal.ts';
import { feeError } from './errors.ts';
import type { LedgerState } from './ledger.ts';
import { type PayeeKind, type PayeeRef, type PayeeRegistry, payeeKey } from './payees.ts';
import type { FeePolicy } from './policy.ts';
import { positionOf, type WorkerPosition } from './position.ts';
import { convertWith, type ExchangeRate, type RateTable } from './rates.ts';

/** One worker's folded ledger with the facts the reports group by. */
export interface WorkerLedger {
  readonly state: LedgerState;
  readonly district: string;
  readonly employerId: string;
  readonly monthlyContractWage: Money | null;
}

/** All workers of a report belong to the scheme of `policy`; `asOf` is the report date. */
export interface ReportContext {
  readonly policy: FeePolicy;
  readonly rates: RateTable;
  readonly asOf: LocalDate;
}

function positions(workers: readonly WorkerLedger[], ctx: ReportContext): WorkerPosition[] {
  return workers.map((w) =>
    positionOf(w.state, {
      policy: ctx.policy,
      rates: ctx.rates,
      monthlyContractWage: w.monthlyContractWage,
      asOf: ctx.asOf,
    }),
  );
}

const compareAsc = <T extends bigint | number | string>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);
const compareDesc = <T extends bigint | number>(a: T, b: T): number => compareAsc(b, a);

export interface PayeeReportRow {
  /** `payeeKey`: 'registry:<id>' or 'individual:<normalised name>'. */
  readonly payeeKey: string;
  readonly payee: PayeeRef;
  /** Registry name, or the individual's name as recorded (the smallest spelling, for determinism). */
  readonly payeeName: string;
  readonly payeeKind: PayeeKind | 'unlicensed_individual' | 'not_in_registry';
  /** Workers with at least one counted entry paid to this payee, by anyone. */
  readonly workersServed: number;
  /** Sum of counted worker-paid entries to this payee, in the scheme currency. */
  readonly collectedFromWorkers: Money;
  /** Open entry-level findings (unlicensed, employer-only, unmatched report) on entries to this payee. */
  readonly openFindings: number;
}

/** By payee, most open findings first, then most collected, then by key. */
export function reportByPayee(
  workers: readonly WorkerLedger[],
  ctx: ReportContext,
  payees: PayeeRegistry,
): PayeeReportRow[] {
  const rows = new Map<
    string,
    { payee: PayeeRef; names: string[]; workers: Set<string>; collected: Money; findings: number }
  >();
  for (const [i, position] of positions(workers, ctx).entries()) {
    const state = workers[i]!.state;
    for (const e of position.counted) {
      const key = payeeKey(e.payee);
      const row = rows.get(key) ?? {
        payee: e.payee,
        names: [],
        workers: new Set<string>(),
        collected: zero(ctx.policy.currency),
        findings: 0,
      };
      if (e.payee.kind === 'unlicensed_individual') row.names.push(e.payee.name);
      row.workers.add(state.registrationNumber);
      if (e.payer === 'worker') row.collected = add(row.collected, e.schemeAmount);
      rows.set(key, row);
    }
    for (const f of position.openFindings) {
      if (!('entryId' in f)) continue;
      const entry = state.entries.get(f.entryId);
      const row = entry && rows.get(payeeKey(entry.payee));
      if (row) row.findings += 1;
    }
  }
  return [...rows.entries()]
    .map(([key, r]): PayeeReportRow => {
      const registered = r.payee.kind === 'registered' ? payees.get(r.payee.registryId) : undefined;
      return {
        payeeKey: key,
        payee: r.payee,
        payeeName: registered?.name ?? [...r.names].sort()[0] ?? '',
        payeeKind:
          r.payee.kind === 'unlicensed_individual'
            ? 'unlicensed_individual'
            : (registered?.kind ?? 'not_in_registry'),
        workersServed: r.workers.size,
        collectedFromWorkers: r.collected,
        openFindings: r.findings,
      };
    })
    .sort(
      (a, b) =>
        compareDesc(a.openFindings, b.openFindings) ||
        compareDesc(a.collectedFromWorkers.amountMinor, b.collectedFromWorkers.amountMinor) ||
        compareAsc(a.payeeKey, b.payeeKey),
    );
}

export interface GroupReportRow {
  /** The district or the employer id. */
  readonly group: string;
  readonly workers: number;
  /** Sum of the workers' paidByWorker, in the scheme currency. */
  readonly paidByWorkers: Money;
  readonly withinCap: number;
  readonly nearCap: number;
  readonly overCap: number;
  readonly openFindings: number;
}

/** By district, most open findings first, then most paid, then by district. */
export function reportByDistrict(workers: readonly WorkerLedger[], ctx: ReportContext): GroupReportRow[] {
  return groupReport(workers, ctx, (w) => w.district);
}

/** By employer, most open findings first, then most paid, then by employer id. */
export function reportByEmployer(workers: readonly WorkerLedger[], ctx: ReportContext): GroupReportRow[] {
  return groupReport(workers, ctx, (w) => w.employerId);
}

function groupReport(
  workers: readonly WorkerLedger[],
  ctx: ReportContext,
  groupOf: (w: WorkerLedger) => string,
): GroupReportRow[] {
  const rows = new Map<string, { -readonly [K in keyof GroupReportRow]: GroupReportRow[K] }>();
  for (const [i, p] of positions(workers, ctx).entries()) {
    const group = groupOf(workers[i]!);
    const row = rows.get(group) ?? {
      group,
      workers: 0,
      paidByWorkers: zero(ctx.policy.currency),
      withinCap: 0,
      nearCap: 0,
      overCap: 0,
      openFindings: 0,
    };
    row.workers += 1;
    row.paidByWorkers = add(row.paidByWorkers, p.paidByWorker);
    if (p.status === 'over_cap') row.overCap += 1;
    else if (p.status === 'near_cap') row.nearCap += 1;
    else row.withinCap += 1;
    row.openFindings += p.openFindings.length;
    rows.set(group, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      compareDesc(a.openFindings, b.openFindings) ||
      compareDesc(a.paidByWorkers.amountMinor, b.paidByWorkers.amountMinor) ||
      compareAsc(a.group, b.group),
  );
}

/**
 * Nearest-rank percentile of values sorted ascending: the value at 1-based rank ceil(p x n / 100),
 * computed as floor((p x n + 99) / 100) in integers, for an integer p from 1 to 100. The median is
 * p = 50: for an even count the lower of the two middle values (no averaging, so no rounding).
 * Undefined for an empty list.
 */
export function nearestRank<T>(sortedAscending: readonly T[], percent: number): T | undefined {
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
    throw feeError('invalid-input', 'percent must be an integer from 1 to 100.');
  }
  const n = sortedAscending.length;
  if (n === 0) return undefined;
  return sortedAscending[Math.floor((percent * n + 99) / 100) - 1];
}

/** The private-recruitment baseline to compare with, e.g. US$3,000 to US$4,000. */
export interface Baseline {
  readonly low: Money;
  readonly high: Money;
  /** Rate between the baseline currency and the scheme currency; null if they are the same. */
  readonly rate: ExchangeRate | null;
}

export interface CostDistribution {
  readonly schemeId: string;
  readonly currency: Currency;
  readonly asOf: LocalDate;
  readonly workers: number;
  /** Of paidByWorker per worker; null when there are no workers. */
  readonly median: Money | null;
  readonly p90: Money | null;
  readonly max: Money | null;
  /** The cap in effect on asOf under a fixed or zero rule; null under a wage rule (it differs by worker). */
  readonly capAsOf: Money | null;
  readonly withinCap: number;
  readonly nearCap: number;
  readonly overCap: number;
  readonly baselineLow: Money;
  readonly baselineHigh: Money;
  /** Workers who paid at least the low end of the private-recruitment baseline. */
  readonly atOrAboveBaselineLow: number;
}

/** Distribution of what workers paid, against the cap and the private-recruitment baseline. */
export function costDistribution(
  workers: readonly WorkerLedger[],
  ctx: ReportContext,
  baseline: Baseline,
): CostDistribution {
  const currency = ctx.policy.currency;
  const toScheme = (m: Money): Money => {
    if (m.currency === currency) return m;
    const r = baseline.rate;
    if (
      !r ||
      !((r.base === m.currency && r.quote === currency) || (r.quote === m.currency && r.base === currency))
    ) {
      throw feeError('rate-missing', `The baseline needs a ${m.currency}/${currency} rate.`);
    }
    return convertWith(m, { ...r, direction: r.base === m.currency ? 'base_to_quote' : 'quote_to_base' });
  };
  const all = positions(workers, ctx);
  const sorted = all.map((p) => p.paidByWorker).sort((a, b) => compareAsc(a.amountMinor, b.amountMinor));
  const low = toScheme(baseline.low);
  const version = ctx.policy.versions.find((v) => inPeriod(ctx.asOf, v.effectiveFrom, v.effectiveTo));
  const count = (s: WorkerPosition['status']) => all.filter((p) => p.status === s).length;
  return {
    schemeId: ctx.policy.schemeId,
    currency,
    asOf: ctx.asOf,
    workers: all.length,
    median: nearestRank(sorted, 50) ?? null,
    p90: nearestRank(sorted, 90) ?? null,
    max: sorted[sorted.length - 1] ?? null,
    capAsOf:
      version?.cap.kind === 'fixed'
        ? version.cap.amount
        : version?.cap.kind === 'zero'
          ? zero(currency)
          : null,
    withinCap: count('within_cap'),
    nearCap: count('near_cap'),
    overCap: count('over_cap'),
    baselineLow: low,
    baselineHigh: toScheme(baseline.high),
    atOrAboveBaselineLow: all.filter((p) => p.paidByWorker.amountMinor >= low.amountMinor).length,
  };
}
