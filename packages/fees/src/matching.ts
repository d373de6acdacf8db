import { daysBetween } from './dates.ts';
import type { PostedEntry } from './entries.ts';
import { payeeKey } from './payees.ts';

const byDateThenId = (a: PostedEntry, b: PostedEntry): number =>
  a.valueDate < b.valueDate ? -1 : a.valueDate > b.valueDate ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Pairs worker reports with receipts, one to one; a report is never merged into a receipt, it is only
 * marked as corroborated by it. Over the given live payments:
 * - a report (source worker_report) can match a receipt (official_receipt or employer_declaration)
 *   paid by the worker with the same category, the same payee (`payeeKey`), the same amount in the
 *   scheme currency, and value dates at most `windowDays` apart;
 * - reports are taken in (valueDate, id) order; each takes, among receipts not yet taken, the one
 *   nearest in days, then the earlier value date, then the smaller id.
 * The result depends only on the set of entries, not on the order they were posted.
 * Returns report id -> receipt id.
 */
export function matchWorkerReports(
  live: readonly PostedEntry[],
  windowDays: number,
): ReadonlyMap<string, string> {
  const bucketOf = (e: PostedEntry) => `${e.category}|${payeeKey(e.payee)}|${e.schemeAmount.amountMinor}`;
  const receipts = new Map<string, PostedEntry[]>();
  const reports: PostedEntry[] = [];
  for (const e of live) {
    if (e.source === 'worker_report') reports.push(e);
    else if (e.payer === 'worker') {
      const bucket = receipts.get(bucketOf(e)) ?? [];
      bucket.push(e);
      receipts.set(bucketOf(e), bucket);
    }
  }
  const matches = new Map<string, string>();
  const taken = new Set<string>();
  for (const report of reports.sort(byDateThenId)) {
    let best: PostedEntry | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const receipt of receipts.get(bucketOf(report)) ?? []) {
      if (taken.has(receipt.id)) continue;
      const distance = Math.abs(daysBetween(report.valueDate, receipt.valueDate));
      if (distance > windowDays) continue;
      if (
        best === undefined ||
        distance < bestDistance ||
        (distance === bestDistance && byDateThenId(receipt, best) < 0)
      ) {
        best = receipt;
        bestDistance = distance;
      }
    }
    if (best) {
      taken.add(best.id);
      matches.set(report.id, best.id);
    }
  }
  return matches;
}
