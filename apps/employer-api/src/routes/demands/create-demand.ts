import { randomUUID } from 'node:crypto';
import { allow } from '@g2g/auth';
import { createDemandOrder } from '@g2g/db';
import {
  type ApiApp,
  type AppDeps,
  defineRoute,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { idempotentWrite } from '../support.ts';
import { createDemandBody, demandOrderSchema, demandOrderView, termsFrom } from './schema.ts';

export const createDemandRoute = defineRoute({
  method: 'post',
  path: '/v1/demands',
  tags: ['Demand orders'],
  summary: 'File a demand order (draft)',
  description:
    "An employer with an approved account files demand under a scheme; the order starts as a draft (version 1). Checked against the scheme's rules: sectors allowed, minimum monthly wage, wage currency, maximum contract length, age limits; a broken rule is 422 `rule-violated` naming it, with a pointer to the field. Audited.",
  access: allow('employer'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(createDemandBody) },
  responses: {
    201: jsonContent(demandOrderSchema, 'The draft order.'),
    ...problemResponses(401, 403, 409, 413, 415, 422),
  },
});

export function registerCreateDemand(app: ApiApp, deps: AppDeps): void {
  app.openapi(createDemandRoute, async (c) => {
    const { schemeId, ...terms } = c.req.valid('json');
    const view = await idempotentWrite(c, deps, { schemeId, ...terms }, 201, async (trx, ctx) =>
      demandOrderView(
        await createDemandOrder(trx, { id: randomUUID(), schemeId, terms: termsFrom(terms) }, ctx),
      ),
    );
    return c.json(view, 201);
  });
}
