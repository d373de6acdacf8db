import type { Money } from '@g2g/domain';
import { toMajorUnits } from './decimal.ts';
import type { CostDistribution, GroupReportRow, PayeeReportRow } from './reports.ts';

/** A CSV column: header and value. `text` columns hold free text and are guarded against formulas. */
export interface CsvColumn<T> {
  readonly header: string;
  readonly value: (row: T) => string;
  readonly text?: boolean;
}

/**
 * One RFC 4180 field: quoted, with inner quotes doubled, when it contains '"', ',', CR or LF.
 * With `text`, a value starting with '=', '+', '-', '@', TAB or CR is first prefixed with "'" so a
 * spreadsheet does not run it as a formula (payee names come from worker reports).
 */
export function csvField(value: string, text = false): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180: a header record, then one record per row, in the columns' order; CRLF after every record. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const records = [columns.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) records.push(columns.map((c) => csvField(c.value(row), c.text)).join(','));
  return `${records.join('\r\n')}\r\n`;
}

const amount = (m: Money | null): string => (m === null ? '' : toMajorUnits(m));

export const payeeReportColumns: readonly CsvColumn<PayeeReportRow>[] = [
  { header: 'payee_key', value: (r) => r.payeeKey, text: true },
  { header: 'payee_name', value: (r) => r.payeeName, text: true },
  { header: 'payee_kind', value: (r) => r.payeeKind },
  { header: 'workers_served', value: (r) => String(r.workersServed) },
  { header: 'currency', value: (r) => r.collectedFromWorkers.currency },
  { header: 'collected_from_workers', value: (r) => amount(r.collectedFromWorkers) },
  { header: 'open_findings', value: (r) => String(r.openFindings) },
];

/** Columns of the district and employer reports; `groupHeader` names the first ('district', 'employer_id'). */
export function groupReportColumns(groupHeader: string): readonly CsvColumn<GroupReportRow>[] {
  return [
    { header: groupHeader, value: (r) => r.group, text: true },
    { header: 'workers', value: (r) => String(r.workers) },
    { header: 'currency', value: (r) => r.paidByWorkers.currency },
    { header: 'paid_by_workers', value: (r) => amount(r.paidByWorkers) },
    { header: 'within_cap', value: (r) => String(r.withinCap) },
    { header: 'near_cap', value: (r) => String(r.nearCap) },
    { header: 'over_cap', value: (r) => String(r.overCap) },
    { header: 'open_findings', value: (r) => String(r.openFindings) },
  ];
}

export const costDistributionColumns: readonly CsvColumn<CostDistribution>[] = [
  { header: 'scheme_id', value: (d) => d.schemeId, text: true },
  { header: 'as_of', value: (d) => d.asOf },
  { header: 'currency', value: (d) => d.currency },
  { header: 'workers', value: (d) => String(d.workers) },
  { header: 'median', value: (d) => amount(d.median) },
  { header: 'p90', value: (d) => amount(d.p90) },
  { header: 'max', value: (d) => amount(d.max) },
  { header: 'cap_as_of', value: (d) => amount(d.capAsOf) },
  { header: 'within_cap', value: (d) => String(d.withinCap) },
  { header: 'near_cap', value: (d) => String(d.nearCap) },
  { header: 'over_cap', value: (d) => String(d.overCap) },
  { header: 'baseline_low', value: (d) => amount(d.baselineLow) },
  { header: 'baseline_high', value: (d) => amount(d.baselineHigh) },
  { header: 'at_or_above_baseline_low', value: (d) => String(d.atOrAboveBaselineLow) },
];

export const payeeReportCsv = (rows: readonly PayeeReportRow[]): string => toCsv(payeeReportColumns, rows);
export const districtReportCsv = (rows: readonly GroupReportRow[]): string =>
  toCsv(groupReportColumns('district'), rows);
export const employerReportCsv = (rows: readonly GroupReportRow[]): string =>
  toCsv(groupReportColumns('employer_id'), rows);
export const costDistributionCsv = (d: CostDistribution): string => toCsv(costDistributionColumns, [d]);
