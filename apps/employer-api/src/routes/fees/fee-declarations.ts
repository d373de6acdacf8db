import { allow } from '@g2g/auth';
import { listFeeEntries, postFeeEntry } from '@g2g/db';
import { AppError } from '@g2g/domain';
import {
  declarationBody,
  entrySchema,
  entryView,
  paymentFrom,
  postingSchema,
  postingView,
  registrationNumberSchema,
} from '@g2g/fee-routes';
import {
  type ApiApp,
  type AppDeps,
  actingContext,
  cursorParam,
  decodeCursor,
  defineRoute,
  encodeCursor,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  limitParam,
  problemResponses,
} from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { idempotentWrite } from '../support.ts';

export const declareFeeRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-declarations',
  tags: ['Fees'],
  summary: 'Declare a fee payment for one of your workers',
  description:
    "What the employer paid (or knows the worker paid) for a worker allocated to one of its demand orders: category, amount and currency, payer, payee, value date, receipt reference. Another employer's worker, or an unknown number, is 404; a registration that is not a selected worker is 422. The cap check runs in the same transaction; findings go to the ministry. Audited; Idempotency-Key.",
  access: allow('employer'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(declarationBody) },
  responses: {
    201: jsonContent(postingSchema, 'The entry as recorded.'),
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const listOwnFeeEntriesRoute = defineRoute({
  method: 'get',
  path: '/v1/fee-entries',
  tags: ['Fees'],
  summary: 'Fee entries of your workers',
  description:
    "Every fee entry (receipts, declarations, worker reports, reversals) of the workers allocated to your demand orders, in posting order; never another employer's.",
  access: allow('employer'),
  request: {
    query: z.object({
      registrationNumber: registrationNumberSchema.optional(),
      cursor: cursorParam,
      limit: limitParam(1000, 100),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }),
      'Entries.',
    ),
    ...problemResponses(400, 401, 403),
  },
});

const seqCursor = z.object({ seq: z.string().regex(/^\d{1,19}$/) });

export function registerFeeDeclarations(app: ApiApp, deps: AppDeps): void {
  app.openapi(declareFeeRoute, async (c) => {
    const body = c.req.valid('json');
    const result = await idempotentWrite(c, deps, body, 201, async (trx, ctx) => {
      if (!ctx.employerId) throw new AppError('forbidden', 'This token does not name an employer.');
      return postingView(
        await postFeeEntry(
          trx,
          { ...paymentFrom(body, body.payer, 'employer_declaration'), kind: 'payment' },
          ctx,
        ),
      );
    });
    return c.json(result, 201);
  });
  app.openapi(listOwnFeeEntriesRoute, async (c) => {
    const { employerId } = actingContext(c);
    if (!employerId) throw new AppError('forbidden', 'This token does not name an employer.');
    const q = c.req.valid('query');
    const { items, seqs } = await listFeeEntries(deps.db, {
      registrationNumber: q.registrationNumber,
      employerId,
      afterSeq: q.cursor === undefined ? undefined : decodeCursor(q.cursor, seqCursor).seq,
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
}
