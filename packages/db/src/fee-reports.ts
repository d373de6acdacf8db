import { AppError, type Currency } from '@g2g/domain';
import {
  type Baseline,
  type CostDistribution,
  costDistribution,
  type GroupReportRow,
  type LocalDate,
  type PayeeReportRow,
  type ReportContext,
  rateOn,
  reportByDistrict,
  reportByEmployer,
  reportByPayee,
  type WorkerLedger,
} from '@g2g/fees';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { ledgerStateOf } from './fee-ledger.ts';
import { loadAllRates, loadFeePolicy, loadPayees } from './fee-reference.ts';
import type { Database, FeeEntryTable, FeeFindingTable } from './types.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Employer column of a worker not yet allocated to any demand order. */
export const UNALLOCATED = '(unallocated)';

/** The private-recruitment cost the G2G scheme replaced: US$3,000 to US$4,000 a worker. */
export const PRIVATE_RECRUITMENT_BASELINE = {
  low: { amountMinor: 300_000n, currency: 'USD' as const },
  high: { amountMinor: 400_000n, currency: 'USD' as const },
};

/**
 * Every worker of a scheme with the facts the reports group by: selected workers of the scheme's
 * windows and any registration with a fee entry under it, each with its folded ledger, district
 * (permanent address), employer (most recent placement) and monthly contract wage.
 */
export async function loadSchemeLedgers(db: Executor, schemeId: string): Promise<WorkerLedger[]> {
  const { rows: workers } = await sql<{
    registration_number: string;
    district: string;
    employer_id: string | null;
    monthly_wage_minor: string | null;
    wage_currency: string | null;
  }>`
    select r.registration_number, d.name as district, pl.employer_id,
           pl.monthly_wage_minor::text as monthly_wage_minor, pl.wage_currency
    from registrations r
    join registration_windows w on w.id = r.window_id
    join unions u on u.id = r.permanent_union_id
    join upazilas up on up.id = u.upazila_id
    join districts d on d.id = up.district_id
    left join lateral (
      select o.employer_id, v.monthly_wage_minor, v.wage_currency
      from placements p
      join demand_orders o on o.id = p.demand_order_id
      join demand_order_versions v on v.demand_order_id = o.id and v.version = o.version
      where p.registration_number = r.registration_number
      order by p.selected_at desc
      limit 1
    ) pl on true
    where w.scheme_id = ${schemeId}
      and (r.status = 'selected'
           or exists (select 1 from fee_entries e where e.registration_number = r.registration_number))
    order by r.registration_number
  `.execute(db);
  const entries = await db
    .selectFrom('fee_entries')
    .selectAll()
    .where('scheme_id', '=', schemeId)
    .orderBy('seq')
    .execute();
  const findings = await db
    .selectFrom('fee_findings')
    .selectAll()
    .where('scheme_id', '=', schemeId)
    .execute();
  const resolved = await db
    .selectFrom('fee_finding_resolutions as r')
    .innerJoin('fee_findings as f', 'f.id', 'r.finding_id')
    .select('r.finding_id')
    .where('f.scheme_id', '=', schemeId)
    .execute();
  const resolvedIds = new Set(resolved.map((r) => r.finding_id));
  const entriesOf = groupBy(entries, (e) => e.registration_number);
  const findingsOf = groupBy(findings, (f) => f.registration_number);
  return workers.map((w) => ({
    state: ledgerStateOf(
      w.registration_number,
      entriesOf.get(w.registration_number) ?? ([] as Selectable<FeeEntryTable>[]),
      findingsOf.get(w.registration_number) ?? ([] as Selectable<FeeFindingTable>[]),
      resolvedIds,
    ),
    district: w.district,
    employerId: w.employer_id ?? UNALLOCATED,
    monthlyContractWage:
      w.monthly_wage_minor !== null && w.wage_currency !== null
        ? { amountMinor: BigInt(w.monthly_wage_minor), currency: w.wage_currency as Currency }
        : null,
  }));
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

export type FeeReport =
  | { readonly kind: 'by-payee'; readonly rows: PayeeReportRow[] }
  | { readonly kind: 'by-district'; readonly rows: GroupReportRow[] }
  | { readonly kind: 'by-employer'; readonly rows: GroupReportRow[] }
  | { readonly kind: 'distribution'; readonly distribution: CostDistribution };

export type FeeReportKind = FeeReport['kind'];

/** Builds one report of a scheme's ledger as of a date (the fee core does the arithmetic). */
export async function buildFeeReport(
  db: Executor,
  schemeId: string,
  kind: FeeReportKind,
  asOf: LocalDate,
): Promise<FeeReport> {
  const policy = await loadFeePolicy(db, schemeId);
  if (!policy) throw new AppError('not-found', `Scheme ${schemeId} has no fee policy.`);
  const rates = await loadAllRates(db);
  const ctx: ReportContext = { policy, rates, asOf };
  const workers = await loadSchemeLedgers(db, schemeId);
  switch (kind) {
    case 'by-payee':
      return { kind, rows: reportByPayee(workers, ctx, await loadPayees(db)) };
    case 'by-district':
      return { kind, rows: reportByDistrict(workers, ctx) };
    case 'by-employer':
      return { kind, rows: reportByEmployer(workers, ctx) };
    case 'distribution': {
      const baseline: Baseline = {
        ...PRIVATE_RECRUITMENT_BASELINE,
        rate: policy.currency === 'USD' ? null : rateOn(rates, 'USD', policy.currency, asOf),
      };
      return { kind, distribution: costDistribution(workers, ctx, baseline) };
    }
    default:
      throw new AppError('not-found', 'No such report.');
  }
}
