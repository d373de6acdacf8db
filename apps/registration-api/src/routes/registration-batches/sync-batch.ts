import { randomUUID } from 'node:crypto';
import { allow } from '@g2g/auth';
import { syncRegistrationBatch } from '@g2g/db';
import { type ApiApp, auditContext, defineRoute, jsonBody, jsonContent, problemResponses } from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { operatorCentre, type RegistrationState } from '../../deps.ts';
import { prepareBatchItems } from '../../registering.ts';

export const MAX_BATCH_ITEMS = 1000;

const batchBody = z
  .object({
    items: z
      .array(
        z.looseObject({ clientId: z.string().min(1).max(64) }).openapi({
          description:
            "A registration (the fields of NewRegistration) with the client's own id for it; if the worker was registered offline with a reserved number, also `registrationNumber` and `registeredAt` (RFC 3339, the centre's clock). Each item is checked on its own.",
        }),
      )
      .min(1)
      .max(MAX_BATCH_ITEMS),
  })
  .openapi('RegistrationBatch');

const fieldError = z.object({ pointer: z.string(), detail: z.string() });
const itemResult = z
  .object({
    clientId: z.string(),
    outcome: z.enum(['created', 'duplicate', 'invalid']),
    registrationNumber: z.string().optional().openapi({
      description: 'created: the new number; duplicate: the registration that stands.',
    }),
    voidedNumber: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'duplicate: the reserved number now void.' }),
    errors: z.array(fieldError).optional(),
  })
  .openapi('BatchItemResult');

const batchResult = z
  .object({
    batchId: z.string(),
    counts: z.object({
      created: z.number().int(),
      duplicate: z.number().int(),
      invalid: z.number().int(),
      replayed: z.number().int(),
    }),
    items: z.array(itemResult),
  })
  .openapi('RegistrationBatchResult');

export const syncBatchRoute = defineRoute({
  method: 'post',
  path: '/v1/registration-batches',
  tags: ['Registrations'],
  summary: 'Sync an offline batch',
  description: `Uploads up to ${MAX_BATCH_ITEMS} registrations a centre kept while its link was down. Every item gets a result in order: created (with its number), duplicate (with the registration that stands; the worker is told by SMS), or invalid (with errors pointing into the item). One bad item never sinks the batch; the batch commits atomically. Sending the same items again (same client ids) returns the same results and creates nothing. Items made offline carry a number the centre reserved (POST /v1/number-reservations) and the time they were made; the window is judged at that time.`,
  access: allow('centre_operator'),
  bodyLimit: 2 * 1024 * 1024,
  request: { body: jsonBody(batchBody) },
  responses: {
    200: jsonContent(batchResult, 'A result for every item.'),
    ...problemResponses(401, 403, 413, 415),
  },
});

export function registerSyncBatch(app: ApiApp, state: RegistrationState): void {
  app.openapi(syncBatchRoute, async (c) => {
    const { items: raw } = c.req.valid('json');
    const centre = await operatorCentre(c, state);
    const ctx = auditContext(c, state.now());
    const items = await prepareBatchItems(state, raw, ctx.at);
    const result = await state.db.transaction().execute((trx) =>
      syncRegistrationBatch(trx, items, {
        ...ctx,
        batchId: randomUUID(),
        centreUnionId: centre.unionId,
        divisionId: centre.divisionId,
      }),
    );
    return c.json(
      {
        batchId: result.batchId,
        counts: result.counts,
        items: result.items.map((r) => ({ ...r, errors: 'errors' in r ? [...r.errors] : undefined })),
      },
      200,
    );
  });
}
