import { allow } from '@g2g/auth';
import {
  addPayeeLicence,
  createPayee,
  listExchangeRates,
  loadPayees,
  recordExchangeRate,
  runIdempotent,
} from '@g2g/db';
import { currencies } from '@g2g/domain';
import { localDateSchema } from '@g2g/fee-routes';
import { type Payee, payeeKinds } from '@g2g/fees';
import {
  type ApiApp,
  type AppDeps,
  auditContext,
  defineRoute,
  idempotencyClaim,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { z } from '@hono/zod-openapi';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const rateBody = z
  .object({
    base: z.enum(currencies),
    quote: z.enum(currencies),
    rate: z
      .string()
      .regex(/^\d{1,18}(\.\d{1,18})?$/, 'a plain decimal like "26.4500"')
      .openapi({ description: '1 base = rate quote, exact decimal text.' }),
    date: localDateSchema,
    source: z.string().trim().min(1).max(500),
  })
  .openapi('NewExchangeRate', {
    example: { base: 'USD', quote: 'BDT', rate: '78.50', date: '2013-01-01', source: 'Bangladesh Bank' },
  });

const rateSchema = z
  .object({
    id: z.string(),
    base: z.string(),
    quote: z.string(),
    rate: z.string(),
    date: z.string(),
    source: z.string(),
    recordedAt: z.string(),
    recordedBy: z.string(),
  })
  .openapi('ExchangeRate');

const licenceSchema = z.object({
  number: z.string().trim().min(1).max(100),
  validFrom: localDateSchema,
  validTo: localDateSchema
    .nullable()
    .default(null)
    .openapi({ description: 'The day after the last valid day; null: open-ended.' }),
});

const payeeBody = z
  .object({
    registryId: z.string().regex(IDENTIFIER),
    kind: z.enum(payeeKinds),
    name: z.string().trim().min(1).max(500),
    licences: z.array(licenceSchema).max(50).default([]),
  })
  .openapi('NewPayee');

const payeeSchema = z
  .object({
    registryId: z.string(),
    kind: z.string(),
    name: z.string(),
    licences: z.array(
      z.object({ number: z.string(), validFrom: z.string(), validTo: z.string().nullable() }),
    ),
  })
  .openapi('Payee');

const payeeIdParam = z.object({
  payeeId: z
    .string()
    .regex(IDENTIFIER)
    .openapi({ param: { name: 'payeeId', in: 'path' }, example: 'RL-0042' }),
});

export const recordRateRoute = defineRoute({
  method: 'post',
  path: '/v1/exchange-rates',
  tags: ['Fees'],
  summary: 'Record an exchange rate',
  description:
    'A rate with its date and source. A currency pair is recorded in one orientation only, once per date; conversions use the latest rate on or before the value date, exactly, rounding once half-to-even. Audited; Idempotency-Key.',
  access: allow('ministry_officer'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(rateBody) },
  responses: {
    201: jsonContent(rateSchema, 'The rate.'),
    ...problemResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const listRatesRoute = defineRoute({
  method: 'get',
  path: '/v1/exchange-rates',
  tags: ['Fees'],
  summary: 'List exchange rates',
  access: allow('ministry_officer', 'auditor'),
  request: {
    query: z.object({
      currency: z.enum(currencies).optional(),
      from: localDateSchema.optional(),
      to: localDateSchema.optional(),
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(rateSchema) }), 'Rates by date.'),
    ...problemResponses(400, 401, 403),
  },
});

export const createPayeeRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-payees',
  tags: ['Fees'],
  summary: 'Register a payee',
  description:
    'A recruiting agency, medical or training centre (licensed: licence numbers with validity dates), government office, airline or employer. A payment to an unlicensed, expired or not-yet-licensed payee is a finding. Audited; Idempotency-Key.',
  access: allow('ministry_officer'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(payeeBody) },
  responses: {
    201: jsonContent(payeeSchema, 'The payee.'),
    ...problemResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const addLicenceRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-payees/{payeeId}/licences',
  tags: ['Fees'],
  summary: "Record a payee's licence (renewal)",
  access: allow('ministry_officer'),
  request: { params: payeeIdParam, headers: idempotencyKeyHeader, body: jsonBody(licenceSchema) },
  responses: {
    201: jsonContent(payeeSchema, 'The payee with all its licences.'),
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const listPayeesRoute = defineRoute({
  method: 'get',
  path: '/v1/fee-payees',
  tags: ['Fees'],
  summary: 'The payee registry',
  access: allow('ministry_officer', 'auditor'),
  responses: {
    200: jsonContent(z.object({ items: z.array(payeeSchema) }), 'Payees by id.'),
    ...problemResponses(401, 403),
  },
});

const payeeView = (p: Payee): z.infer<typeof payeeSchema> => ({
  registryId: p.registryId,
  kind: p.kind,
  name: p.name,
  licences: p.licences.map((l) => ({ number: l.number, validFrom: l.validFrom, validTo: l.validTo })),
});

export function registerFeeReference(app: ApiApp, deps: AppDeps): void {
  app.openapi(recordRateRoute, async (c) => {
    const body = c.req.valid('json');
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, body), async (trx) => {
      const r = await recordExchangeRate(trx, body, ctx);
      return { status: 201 as const, body: { ...r, recordedAt: r.recordedAt.toISOString() } };
    });
    return c.json(outcome.body, 201);
  });
  app.openapi(listRatesRoute, async (c) => {
    const q = c.req.valid('query');
    const items = await listExchangeRates(deps.db, q);
    return c.json({ items: items.map((r) => ({ ...r, recordedAt: r.recordedAt.toISOString() })) }, 200);
  });
  app.openapi(createPayeeRoute, async (c) => {
    const body = c.req.valid('json');
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, body), async (trx) => ({
      status: 201 as const,
      body: payeeView(await createPayee(trx, body, ctx)),
    }));
    return c.json(outcome.body, 201);
  });
  app.openapi(addLicenceRoute, async (c) => {
    const { payeeId } = c.req.valid('param');
    const body = c.req.valid('json');
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, { payeeId, ...body }), async (trx) => ({
      status: 201 as const,
      body: payeeView(await addPayeeLicence(trx, payeeId, body, ctx)),
    }));
    return c.json(outcome.body, 201);
  });
  app.openapi(listPayeesRoute, async (c) => {
    const registry = await loadPayees(deps.db);
    return c.json({ items: [...registry.values()].map(payeeView) }, 200);
  });
}
