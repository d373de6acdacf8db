import { AppError } from '@g2g/domain';
import type { Transaction } from 'kysely';
import { recordAuditEvent } from './audit.ts';
import { feeJson, reviveFeeJson } from './fee-json.ts';
import { checkFeeEntry, type NewFeePayment, type PostingResult, postFeeEntry } from './fee-ledger.ts';
import { enqueueMessage } from './outbox.ts';
import type { AuditContext } from './schemes.ts';
import type { Database } from './types.ts';

/**
 * A worker's own report of a payment, held until the one-time code sent to the worker's registered
 * mobile confirms it. Only a confirmed report becomes a ledger entry (source `worker_report`); it is
 * then matched against receipts by the fee core, and an unmatched one is a discrepancy finding.
 */
export interface PendingWorkerReport {
  readonly id: string;
  readonly registrationNumber: string;
  readonly expiresAt: Date;
}

/** A code is good for this long, and for this many wrong tries. */
export const WORKER_REPORT_CODE_TTL_MS = 15 * 60_000;
export const WORKER_REPORT_MAX_ATTEMPTS = 5;

export async function createWorkerReport(
  trx: Transaction<Database>,
  input: {
    readonly id: string;
    readonly report: NewFeePayment;
    readonly mobile: string;
    readonly code: string;
    readonly codeHash: string;
  },
  ctx: AuditContext,
): Promise<PendingWorkerReport> {
  const expiresAt = new Date(ctx.at.getTime() + WORKER_REPORT_CODE_TTL_MS);
  // Everything but the code is checked now: an unknown payee or a date without a rate is said at once.
  await checkFeeEntry(trx, { ...input.report, kind: 'payment', id: input.id }, ctx);
  await trx
    .insertInto('fee_worker_reports')
    .values({
      id: input.id,
      registration_number: input.report.registrationNumber,
      report: feeJson(input.report),
      code_hash: input.codeHash,
      created_at: ctx.at,
      expires_at: expiresAt,
    })
    .execute();
  await enqueueMessage(trx, {
    channel: 'sms',
    recipient: input.mobile,
    template: 'one-time-code',
    params: { code: input.code, purposeEn: 'fee payment report', purposeBn: 'ফি পরিশোধের তথ্য' },
    dedupeKey: `fee-report-code:${input.id}`,
  });
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'fee.worker-report.submit',
    entityType: 'fee_worker_report',
    entityId: input.id,
    payload: JSON.parse(feeJson(input.report)),
    details: { registrationNumber: input.report.registrationNumber, category: input.report.category },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return { id: input.id, registrationNumber: input.report.registrationNumber, expiresAt };
}

export type WorkerReportConfirmation =
  | { readonly outcome: 'confirmed'; readonly posting: PostingResult }
  | { readonly outcome: 'wrong-code'; readonly attemptsLeft: number };

/**
 * Checks the code of a pending report (`matches(codeHash)`), under a row lock. A right code posts the
 * report to the ledger as the worker's own (actor role `public`); a wrong one counts an attempt, and
 * the last allowed wrong attempt locks the report. Expired, locked, confirmed or unknown reports are
 * refused without counting.
 */
export async function confirmWorkerReport(
  trx: Transaction<Database>,
  id: string,
  matches: (codeHash: string) => boolean,
  ctx: AuditContext,
): Promise<WorkerReportConfirmation> {
  const row = await trx
    .selectFrom('fee_worker_reports')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('not-found', 'No pending report with this id.');
  if (row.status === 'confirmed') throw new AppError('conflict', 'This report is already confirmed.');
  if (row.status === 'locked') {
    throw new AppError('rule-violated', 'Too many wrong codes: this report is locked. Submit it again.');
  }
  if (row.expires_at.getTime() <= ctx.at.getTime()) {
    throw new AppError('rule-violated', 'The code has expired. Submit the report again for a new code.');
  }
  if (!matches(row.code_hash)) {
    const attempts = row.attempts + 1;
    await trx
      .updateTable('fee_worker_reports')
      .set({ attempts, status: attempts >= WORKER_REPORT_MAX_ATTEMPTS ? 'locked' : 'pending' })
      .where('id', '=', id)
      .execute();
    return { outcome: 'wrong-code', attemptsLeft: Math.max(0, WORKER_REPORT_MAX_ATTEMPTS - attempts) };
  }
  const report = reviveFeeJson<NewFeePayment>(row.report);
  const actor = { sub: `worker:${row.registration_number}`, role: 'public' as const };
  const posting = await postFeeEntry(
    trx,
    { ...report, kind: 'payment', id: row.id, source: 'worker_report', payer: 'worker' },
    { ...ctx, actor },
  );
  await trx
    .updateTable('fee_worker_reports')
    .set({ status: 'confirmed', confirmed_at: ctx.at, entry_id: posting.entry.id })
    .where('id', '=', id)
    .execute();
  return { outcome: 'confirmed', posting };
}
