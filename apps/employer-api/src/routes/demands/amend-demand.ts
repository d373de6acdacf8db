import { allow } from '@g2g/auth';
import { transitionDemandOrder } from '@g2g/db';
import { rolesFor } from '@g2g/demand';
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
import { amendDemandBody, demandIdParam, demandOrderSchema, demandOrderView, termsFrom } from './schema.ts';

export const amendDemandRoute = defineRoute({
  method: 'patch',
  path: '/v1/demands/{demandId}',
  tags: ['Demand orders'],
  summary: 'Change a demand order (a new version)',
  description:
    "Changes the given terms; every change makes a new version and the old ones stay readable under `/versions`. A draft is changed by its employer. An approved order is changed, with a reason, by its employer (not to the worker's loss: no lower wage, no larger deduction, nothing provided withdrawn) or by the committee, which may also set `workersApproved`; once workers are allocated, sector, gender and age range are fixed. Submitted, rejected and closed orders cannot change (409). Scheme rules apply (422). Audited.",
  access: allow(...rolesFor('amend')),
  request: { params: demandIdParam, headers: idempotencyKeyHeader, body: jsonBody(amendDemandBody) },
  responses: {
    200: jsonContent(demandOrderSchema, 'The order at its new version (unchanged if nothing changed).'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export function registerAmendDemand(app: ApiApp, deps: AppDeps): void {
  app.openapi(amendDemandRoute, async (c) => {
    const { demandId } = c.req.valid('param');
    const body = c.req.valid('json');
    const { workersApproved, reason, expectedVersion, ...changes } = body;
    const view = await idempotentWrite(c, deps, { demandId, ...body }, 200, async (trx, ctx) =>
      demandOrderView(
        await transitionDemandOrder(
          trx,
          demandId,
          { type: 'amend', changes: termsFrom(changes), workersApproved, reason, expectedVersion },
          ctx,
        ),
      ),
    );
    return c.json(view, 200);
  });
}
