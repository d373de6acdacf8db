import { allow } from '@g2g/auth';
import { feeWorkerPosition, listFeeEntries, postFeeEntry, reverseFeeEntry, runIdempotent } from '@g2g/db';
import {
  entrySchema,
  entryView,
  paymentFrom,
  positionSchema,
  positionView,
  postingSchema,
  postingView,
  receiptBody,
  registrationNumberSchema,
  reversalBody,
} from '@g2g/fee-routes';
import {
  type ApiApp,
  type AppDeps,
  auditContext,
  cursorParam,
  decodeCursor,
  defineRoute,
  encodeCursor,
  idempotencyClaim,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  limitParam,
  problemResponses,
} from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { schemeIdQuery } from './schema.ts';

const entryIdParam = z.object({
  entryId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)
    .openapi({ param: { name: 'entryId', in: 'path' }, example: '3f1c2a9e-0d4b-4a53-9a55-2f0c1d7e8b10' }),
});
const registrationParam = z.object({
  registrationNumber: registrationNumberSchema.openapi({ param: { name: 'registrationNumber', in: 'path' } }),
});

export const recordReceiptRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-entries',
  tags: ['Fees'],
  summary: 'Record a receipt (officer entry)',
  description:
    "An official receipt (or a worker's statement taken by an officer: `source: worker_report`) for a selected worker. The cap check runs in the same transaction under the worker's lock; the response carries the findings raised (each also audited and alerted to the vigilance desk) and the worker's new position. A registration that is not selected is 422. Audited; Idempotency-Key.",
  access: allow('ministry_officer'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(receiptBody) },
  responses: {
    201: jsonContent(postingSchema, 'The entry, findings raised and resolved, and the position.'),
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const reverseEntryRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-entries/{entryId}/reversal',
  tags: ['Fees'],
  summary: 'Reverse an entry',
  description:
    'A correction: a new entry that copies the original with the amount negated and points to it. A payment is reversed at most once; a reversal cannot be reversed. Post the correct payment as a new entry. Audited; Idempotency-Key.',
  access: allow('ministry_officer'),
  request: { params: entryIdParam, headers: idempotencyKeyHeader, body: jsonBody(reversalBody) },
  responses: {
    201: jsonContent(postingSchema, 'The reversal and its effect.'),
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const listEntriesRoute = defineRoute({
  method: 'get',
  path: '/v1/fee-entries',
  tags: ['Fees'],
  summary: 'List fee entries',
  access: allow('ministry_officer', 'auditor'),
  request: {
    query: z.object({
      registrationNumber: registrationNumberSchema.optional(),
      schemeId: schemeIdQuery,
      cursor: cursorParam,
      limit: limitParam(1000, 100),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }),
      'Entries in posting order.',
    ),
    ...problemResponses(400, 401, 403),
  },
});

export const workerPositionRoute = defineRoute({
  method: 'get',
  path: '/v1/fee-workers/{registrationNumber}',
  tags: ['Fees'],
  summary: "A worker's fee position",
  description:
    'Total paid by the worker in the scheme currency (receipts plus worker reports no receipt matches), the cap in effect, headroom, status (within_cap, near_cap at 90 % or more, over_cap), open findings, and the entries.',
  access: allow('ministry_officer', 'auditor'),
  request: { params: registrationParam },
  responses: {
    200: jsonContent(positionSchema.extend({ entries: z.array(entrySchema) }), 'The position.'),
    ...problemResponses(400, 401, 403, 404, 422),
  },
});

const seqCursor = z.object({ seq: z.string().regex(/^\d{1,19}$/) });

export function registerFeeEntries(app: ApiApp, deps: AppDeps): void {
  app.openapi(recordReceiptRoute, async (c) => {
    const body = c.req.valid('json');
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, body), async (trx) => {
      const result = await postFeeEntry(
        trx,
        { ...paymentFrom(body, body.payer, body.source), kind: 'payment' },
        ctx,
      );
      return { status: 201 as const, body: postingView(result) };
    });
    return c.json(outcome.body, 201);
  });
  app.openapi(reverseEntryRoute, async (c) => {
    const { entryId } = c.req.valid('param');
    const body = c.req.valid('json');
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, { entryId, ...body }), async (trx) => {
      const result = await reverseFeeEntry(trx, entryId, body.reason, ctx);
      return { status: 201 as const, body: postingView(result) };
    });
    return c.json(outcome.body, 201);
  });
  app.openapi(listEntriesRoute, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, seqCursor).seq;
    const { items, seqs } = await listFeeEntries(deps.db, {
      registrationNumber: q.registrationNumber,
      schemeId: q.schemeId,
      afterSeq: after,
      limit: q.limit + 1,
    });
    const last = seqs[q.limit - 1];
    return c.json(
      {
        items: items.slice(0, q.limit).map(entryView),
        nextCursor: items.length > q.limit && last ? encodeCursor({ seq: last }) : null,
      },
      200,
    );
  });
  app.openapi(workerPositionRoute, async (c) => {
    const { registrationNumber } = c.req.valid('param');
    const ctx = auditContext(c);
    const r = await feeWorkerPosition(deps.db, registrationNumber, {
      actor: ctx.actor,
      asOf: ctx.at.toISOString().slice(0, 10),
    });
    return c.json({ ...positionView(r.worker.schemeId, r.position), entries: r.entries.map(entryView) }, 200);
  });
}
