import { allow } from '@g2g/auth';
import { listReservedNumbers, reserveNumbers } from '@g2g/db';
import { type ApiApp, auditContext, defineRoute, jsonBody, jsonContent, problemResponses } from '@g2g/http';
import { formatRegistrationNumber } from '@g2g/registration';
import { z } from '@hono/zod-openapi';
import { operatorCentre, type RegistrationState } from '../../deps.ts';

const blockSchema = z
  .object({
    blockId: z.string(),
    centre: z.string(),
    reservedAt: z.string(),
    numbers: z.array(z.object({ registrationNumber: z.string(), displayNumber: z.string() })),
  })
  .openapi('NumberBlock');

export const reserveNumbersRoute = defineRoute({
  method: 'post',
  path: '/v1/number-reservations',
  tags: ['Offline'],
  summary: 'Reserve registration numbers for offline use',
  description:
    "Reserves a block of registration numbers for the operator's centre, to hand out while the link is down; each is accepted once, in this centre's batches only. At most 2,000 unused numbers per centre. Audited.",
  access: allow('centre_operator'),
  request: {
    body: jsonBody(z.object({ count: z.number().int().min(1).max(500) }).openapi('NumberReservation')),
  },
  responses: {
    201: jsonContent(blockSchema, 'The reserved numbers.'),
    ...problemResponses(401, 403, 413, 415, 422),
  },
});

export const listReservedNumbersRoute = defineRoute({
  method: 'get',
  path: '/v1/number-reservations',
  tags: ['Offline'],
  summary: 'Unused reserved numbers',
  description: "The operator's centre's reserved numbers not yet used.",
  access: allow('centre_operator'),
  responses: {
    200: jsonContent(
      z.object({
        items: z.array(
          z.object({ registrationNumber: z.string(), blockId: z.string(), reservedAt: z.string() }),
        ),
      }),
      'Unused reserved numbers.',
    ),
    ...problemResponses(401, 403),
  },
});

export function registerNumberReservations(app: ApiApp, state: RegistrationState): void {
  app.openapi(reserveNumbersRoute, async (c) => {
    const { count } = c.req.valid('json');
    const centre = await operatorCentre(c, state);
    const ctx = auditContext(c, state.now());
    const block = await state.db
      .transaction()
      .execute((trx) => reserveNumbers(trx, centre.unionId, count, ctx));
    return c.json(
      {
        blockId: block.blockId,
        centre: centre.code,
        reservedAt: block.reservedAt.toISOString(),
        numbers: block.numbers.map((n) => ({
          registrationNumber: n,
          displayNumber: formatRegistrationNumber(n),
        })),
      },
      201,
    );
  });
  app.openapi(listReservedNumbersRoute, async (c) => {
    const centre = await operatorCentre(c, state);
    const rows = await listReservedNumbers(state.db, centre.unionId);
    return c.json(
      {
        items: rows.map((r) => ({
          registrationNumber: r.registrationNumber,
          blockId: r.blockId,
          reservedAt: r.reservedAt.toISOString(),
        })),
      },
      200,
    );
  });
}
