import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { publicAccess } from '@g2g/auth';
import {
  confirmWorkerReport,
  createWorkerReport,
  findRegistration,
  getFeeWorker,
  recordThrottleFailure,
  type ThrottlePolicy,
  takeThrottleAttempt,
} from '@g2g/db';
import { AppError, hmacSha256Hex } from '@g2g/domain';
import { paymentFrom, workerReportBody } from '@g2g/fee-routes';
import { type ApiApp, clientAddress, defineRoute, jsonBody, jsonContent, problemResponses } from '@g2g/http';
import {
  isCalendarDate,
  parseRegistrationNumber,
  registrationNumberProblem,
  toAsciiDigits,
} from '@g2g/registration';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { RegistrationState } from '../../deps.ts';
import { ADDRESS_POLICY, NUMBER_POLICY } from '../status/check-status.ts';

/** Per report: how often a code may be tried from one address in a window (beyond the report's own limit). */
const CONFIRM_POLICY: ThrottlePolicy = {
  windowMs: 10 * 60_000,
  maxAttempts: 30,
  maxFailures: 15,
  lockoutMs: 60 * 60_000,
};

const reportBody = workerReportBody
  .extend({
    registrationNumber: z.string().max(30).openapi({ example: '0000-0123-452' }),
  })
  .openapi('WorkerFeeReport');

const pendingSchema = z
  .object({
    reportId: z.string().uuid(),
    expiresAt: z.string(),
    sentTo: z.string().openapi({ description: 'The registered mobile the code went to, masked.' }),
  })
  .openapi('PendingWorkerFeeReport');

const confirmBody = z
  .object({
    reportId: z.string().uuid(),
    code: z.string().regex(/^[0-9০-৯]{6}$/, 'the 6-digit code from the SMS'),
  })
  .openapi('WorkerFeeReportConfirmation');

const confirmedSchema = z
  .object({
    reportId: z.string(),
    entryId: z.string(),
    matchedReceipt: z
      .boolean()
      .openapi({ description: 'Whether an official receipt or employer declaration matches it.' }),
    status: z.enum(['within_cap', 'near_cap', 'over_cap']),
  })
  .openapi('ConfirmedWorkerFeeReport');

export const reportFeeRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-reports',
  tags: ['Fees'],
  summary: 'Report a payment (worker self-service)',
  description:
    "A selected worker reports a payment made for migrating: registration number and date of birth, category, amount, payee (a registered one, or a person's name), date. Nothing is recorded yet: a 6-digit code goes by SMS to the registered mobile, and the report enters the ledger only once confirmed. An unknown number and a wrong date of birth get the same 404; limited per address and per number like the status check.",
  access: publicAccess,
  request: { body: jsonBody(reportBody) },
  responses: {
    202: jsonContent(pendingSchema, 'Code sent; confirm within 15 minutes.'),
    ...problemResponses(400, 404, 413, 415, 422, 429),
  },
});

export const confirmFeeReportRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-reports/confirmation',
  tags: ['Fees'],
  summary: 'Confirm a payment report with its code',
  description:
    "The code from the SMS. A right code records the report in the worker's fee ledger (source worker_report); it is matched against receipts, never merged with one, and an unmatched report is a discrepancy finding for the ministry. Five wrong codes lock the report; a code expires after 15 minutes.",
  access: publicAccess,
  request: { body: jsonBody(confirmBody) },
  responses: {
    201: jsonContent(confirmedSchema, 'Recorded.'),
    ...problemResponses(400, 404, 409, 413, 415, 422, 429),
  },
});

const refuse = (retryAfter: number) =>
  new AppError('rate-limited', 'Too many attempts; try again later.', { retryAfter });

const maskMobile = (mobile: string) => `${mobile.slice(0, 5)}******${mobile.slice(-2)}`;

export function registerFeeReports(app: ApiApp, state: RegistrationState): void {
  const key = (kind: string, value: string) =>
    hmacSha256Hex(state.idHashSecret, `fee-report:${kind}:${value}`).slice(0, 40);
  const codeHash = (reportId: string, code: string) =>
    hmacSha256Hex(state.idHashSecret, `fee-report-code:${reportId}:${code}`);
  const throttle = async (k: string, policy: ThrottlePolicy, now: Date) => {
    const t = await takeThrottleAttempt(state.db, k, policy, now);
    if (t.retryAfterSeconds !== undefined) throw refuse(t.retryAfterSeconds);
  };
  const address = (c: Context) => key('address', clientAddress(c as never, state.trustedProxies));

  app.openapi(reportFeeRoute, async (c) => {
    const body = c.req.valid('json');
    const now = state.now();
    const addressKey = address(c);
    await throttle(addressKey, ADDRESS_POLICY, now);
    const number = parseRegistrationNumber(body.registrationNumber);
    const dateOfBirth = toAsciiDigits(body.dateOfBirth.trim());
    if (!number.ok || !isCalendarDate(dateOfBirth)) {
      throw new AppError('validation-failed', 'Check the number and the date of birth.', {
        errors: [
          ...(number.ok
            ? []
            : [{ pointer: '/body/registrationNumber', detail: registrationNumberProblem(number.reason) }]),
          ...(isCalendarDate(dateOfBirth)
            ? []
            : [{ pointer: '/body/dateOfBirth', detail: "a date 'YYYY-MM-DD'" }]),
        ],
      });
    }
    const numberKey = key('number', number.number);
    await throttle(numberKey, NUMBER_POLICY, now);
    const registration = await findRegistration(state.db, number.number);
    if (!registration || registration.dateOfBirth !== dateOfBirth) {
      await recordThrottleFailure(state.db, addressKey, ADDRESS_POLICY, now);
      await recordThrottleFailure(state.db, numberKey, NUMBER_POLICY, now);
      throw new AppError('not-found', 'No registration matches this number and date of birth.');
    }
    const actor = { sub: `worker:${number.number}`, role: 'public' as const };
    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const pending = await state.db.transaction().execute(async (trx) => {
      const worker = await getFeeWorker(trx, number.number, { actor });
      return createWorkerReport(
        trx,
        {
          id,
          report: paymentFrom({ ...body, registrationNumber: number.number }, 'worker', 'worker_report'),
          mobile: worker.mobile,
          code,
          codeHash: codeHash(id, code),
        },
        { actor, requestId: c.var.requestId, at: now },
      );
    });
    c.header('cache-control', 'no-store');
    return c.json(
      {
        reportId: pending.id,
        expiresAt: pending.expiresAt.toISOString(),
        sentTo: maskMobile(registration.mobile),
      },
      202,
    );
  });

  app.openapi(confirmFeeReportRoute, async (c) => {
    const body = c.req.valid('json');
    const now = state.now();
    const addressKey = address(c);
    await throttle(addressKey, CONFIRM_POLICY, now);
    const expected = (stored: string, reportId: string) => {
      const given = Buffer.from(codeHash(reportId, toAsciiDigits(body.code)), 'hex');
      const want = Buffer.from(stored, 'hex');
      return given.length === want.length && timingSafeEqual(given, want);
    };
    const outcome = await state.db.transaction().execute((trx) =>
      confirmWorkerReport(trx, body.reportId, (stored) => expected(stored, body.reportId), {
        actor: { sub: 'public', role: 'public' },
        requestId: c.var.requestId,
        at: now,
      }),
    );
    if (outcome.outcome === 'wrong-code') {
      await recordThrottleFailure(state.db, addressKey, CONFIRM_POLICY, now);
      throw new AppError('rule-violated', 'The code is not right.', {
        extensions: { attemptsLeft: outcome.attemptsLeft },
        errors: [{ pointer: '/body/code', detail: `${outcome.attemptsLeft} attempts left` }],
      });
    }
    const { posting } = outcome;
    return c.json(
      {
        reportId: body.reportId,
        entryId: posting.entry.id,
        matchedReceipt: posting.position.matchedReports.has(posting.entry.id),
        status: posting.position.status,
      },
      201,
    );
  });
}
