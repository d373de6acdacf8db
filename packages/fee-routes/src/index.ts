import type { NewFeePayment, PostingResult, StoredFinding } from '@g2g/db';
import { currencies, isLocalDate, type Money } from '@g2g/domain';
import {
  costCategories,
  entrySources,
  type Finding,
  type PayeeRef,
  type PostedEntry,
  payers,
  toMajorUnits,
  type WorkerPosition,
} from '@g2g/fees';
import { z } from '@hono/zod-openapi';

/**
 * Request and response schemas of the fee-ledger routes, shared by the ministry API (receipts,
 * reversals, positions, findings, reports), the employer API (declarations) and the registration
 * API (worker reports). Money is integer minor units with a currency; amounts in responses may be
 * negative (reversals, headroom over the cap).
 */

export const REGISTRATION_NUMBER = /^[0-9]{11}$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const registrationNumberSchema = z
  .string()
  .regex(REGISTRATION_NUMBER, 'an 11-digit registration number')
  .openapi({ example: '00000123457' });

export const localDateSchema = z
  .string()
  .regex(DATE, "a date 'YYYY-MM-DD'")
  .refine(isLocalDate, 'a calendar date')
  .openapi({ example: '2013-06-10' });

export const positiveMoneySchema = z
  .object({
    amountMinor: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    currency: z.enum(currencies),
  })
  .openapi('PositiveMoney', { example: { amountMinor: 800000, currency: 'BDT' } });

export const signedMoneySchema = z
  .object({ amountMinor: z.number().int(), currency: z.enum(currencies), major: z.string() })
  .openapi('SignedMoney', {
    description: 'Integer minor units (may be negative), currency, and the amount in major units as text.',
  });

export const payeeRefSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('registered'), registryId: z.string().regex(IDENTIFIER) }),
    z.object({ kind: z.literal('unlicensed_individual'), name: z.string().trim().min(1).max(200) }),
  ])
  .openapi('PayeeRef', { example: { kind: 'registered', registryId: 'RL-0042' } });

const paymentFields = {
  registrationNumber: registrationNumberSchema,
  category: z.enum(costCategories),
  amount: positiveMoneySchema,
  payee: payeeRefSchema,
  valueDate: localDateSchema.openapi({ description: 'The day the money changed hands.' }),
  receiptRef: z.string().trim().min(1).max(100).nullable().default(null),
};

/** An officer's entry: an official receipt, or a worker's statement taken by the officer. */
export const receiptBody = z
  .object({
    ...paymentFields,
    payer: z.enum(payers),
    source: z.enum(['official_receipt', 'worker_report']).default('official_receipt'),
  })
  .openapi('FeeReceipt');

/** An employer's declaration of what it (or the worker) paid for one of its allocated workers. */
export const declarationBody = z
  .object({ ...paymentFields, payer: z.enum(payers) })
  .openapi('FeeDeclaration');

/** A worker's own report: the worker paid it. Identified by number and date of birth. */
export const workerReportBody = z
  .object({ ...paymentFields, dateOfBirth: z.string().max(20).openapi({ example: '1990-03-14' }) })
  .openapi('WorkerFeeReport');

export const reversalBody = z
  .object({ reason: z.string().trim().min(5).max(500) })
  .openapi('FeeReversal', { example: { reason: 'Entered against the wrong worker' } });

export function paymentFrom(
  body: z.infer<typeof receiptBody> | z.infer<typeof declarationBody> | z.infer<typeof workerReportBody>,
  payer: NewFeePayment['payer'],
  source: NewFeePayment['source'],
): NewFeePayment {
  return {
    registrationNumber: body.registrationNumber,
    category: body.category,
    amount: { amountMinor: BigInt(body.amount.amountMinor), currency: body.amount.currency },
    payer,
    payee: body.payee as PayeeRef,
    valueDate: body.valueDate,
    receiptRef: body.receiptRef,
    source,
  };
}

export function moneyView(m: Money): z.infer<typeof signedMoneySchema> {
  return { amountMinor: Number(m.amountMinor), currency: m.currency, major: toMajorUnits(m) };
}

export const entrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(['payment', 'reversal']),
    reverses: z.string().nullable(),
    reason: z.string().nullable(),
    registrationNumber: z.string(),
    category: z.enum(costCategories),
    amount: signedMoneySchema,
    schemeAmount: signedMoneySchema,
    rate: z
      .object({ base: z.string(), quote: z.string(), rate: z.string(), date: z.string(), source: z.string() })
      .nullable(),
    payer: z.enum(payers),
    payee: payeeRefSchema,
    payeeCheck: z.object({ status: z.string(), licenceNumber: z.string().optional() }),
    valueDate: z.string(),
    receiptRef: z.string().nullable(),
    source: z.enum(entrySources),
    policyVersionId: z.string(),
    recordedBy: z.object({ sub: z.string(), role: z.string() }),
    recordedAt: z.string(),
  })
  .openapi('FeeEntry');

export function entryView(e: PostedEntry): z.infer<typeof entrySchema> {
  return {
    id: e.id,
    kind: e.kind,
    reverses: e.kind === 'reversal' ? e.reverses : null,
    reason: e.kind === 'reversal' ? e.reason : null,
    registrationNumber: e.registrationNumber,
    category: e.category,
    amount: moneyView(e.amount),
    schemeAmount: moneyView(e.schemeAmount),
    rate: e.rate && {
      base: e.rate.base,
      quote: e.rate.quote,
      rate: e.rate.rate,
      date: e.rate.date,
      source: e.rate.source,
    },
    payer: e.payer,
    payee: e.payee,
    payeeCheck: { ...e.payeeCheck },
    valueDate: e.valueDate,
    receiptRef: e.receiptRef,
    source: e.source,
    policyVersionId: e.policyVersionId,
    recordedBy: { sub: e.recordedBy.sub, role: e.recordedBy.role },
    recordedAt: e.recordedAt,
  };
}

export const findingSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    key: z.string(),
    occurrence: z.number().int(),
    registrationNumber: z.string(),
    entryId: z.string().nullable(),
    raisedBy: z.string(),
    raisedAt: z.string(),
    summary: z.string(),
    resolvedBy: z.string().nullable(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('FeeFinding');

/** One line a desk officer can read: what the finding says, with amounts in major units. */
export function findingSummary(f: Finding): string {
  const m = (x: Money) => `${x.currency} ${toMajorUnits(x)}`;
  switch (f.kind) {
    case 'over_cap':
      return `Worker paid ${m(f.total)}, over the cap of ${m(f.cap.amount)} (policy ${f.cap.policyVersionId}).`;
    case 'category_limit_exceeded':
      return `Worker paid ${m(f.total)} for ${f.category}, over its limit of ${m(f.limit)}.`;
    case 'employer_only_cost_paid_by_worker':
      return `Worker paid ${m(f.amount)} for ${f.category}, an employer-only cost (entry ${f.entryId}).`;
    case 'unlicensed_payee':
      return `Payment to a payee without a valid licence (${f.payeeCheck.status}; entry ${f.entryId}).`;
    case 'unmatched_worker_report':
      return `Worker reported paying ${m(f.amount)} for ${f.category}; no matching receipt (entry ${f.entryId}).`;
    default:
      return 'Finding.';
  }
}

export function findingView(
  f: Finding,
  resolution: StoredFinding['resolution'] = null,
): z.infer<typeof findingSchema> {
  return {
    id: f.id,
    kind: f.kind,
    key: f.key,
    occurrence: f.occurrence,
    registrationNumber: f.registrationNumber,
    entryId: 'entryId' in f ? f.entryId : null,
    raisedBy: f.raisedBy,
    raisedAt: f.raisedAt,
    summary: findingSummary(f),
    resolvedBy: resolution?.resolvedBy ?? null,
    resolvedAt: resolution ? resolution.resolvedAt.toISOString() : null,
  };
}

export const positionSchema = z
  .object({
    registrationNumber: z.string(),
    schemeId: z.string(),
    paidByWorker: signedMoneySchema,
    receipted: signedMoneySchema,
    reportedUnmatched: signedMoneySchema,
    cap: signedMoneySchema.nullable(),
    capPolicyVersionId: z.string().nullable(),
    headroom: signedMoneySchema.nullable(),
    status: z.enum(['within_cap', 'near_cap', 'over_cap']),
    openFindings: z.array(findingSchema),
  })
  .openapi('FeeWorkerPosition');

export function positionView(schemeId: string, p: WorkerPosition): z.infer<typeof positionSchema> {
  return {
    registrationNumber: p.registrationNumber,
    schemeId,
    paidByWorker: moneyView(p.paidByWorker),
    receipted: moneyView(p.receipted),
    reportedUnmatched: moneyView(p.reportedUnmatched),
    cap: p.cap && moneyView(p.cap.amount),
    capPolicyVersionId: p.cap?.policyVersionId ?? null,
    headroom: p.headroom && moneyView(p.headroom),
    status: p.status,
    openFindings: p.openFindings.map((f) => findingView(f)),
  };
}

export const postingSchema = z
  .object({
    entry: entrySchema,
    findingsRaised: z.array(findingSchema),
    findingsResolved: z.array(z.string()),
    position: positionSchema.omit({ openFindings: true }).extend({ openFindings: z.number().int() }),
  })
  .openapi('FeePosting');

export function postingView(r: PostingResult): z.infer<typeof postingSchema> {
  const position = positionView(r.schemeId, r.position);
  return {
    entry: entryView(r.entry),
    findingsRaised: r.raised.map((f) => findingView(f)),
    findingsResolved: r.resolved.map((x) => x.findingId),
    position: { ...position, openFindings: position.openFindings.length },
  };
}
