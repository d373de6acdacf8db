import { allow } from '@g2g/auth';
import { transitionDemandOrder } from '@g2g/db';
import { type DemandCommand, rolesFor } from '@g2g/demand';
import {
  type ApiApp,
  type AppDeps,
  type AppEnv,
  defineRoute,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import type { Context } from 'hono';
import { idempotentWrite } from '../support.ts';
import {
  approveDemandBody,
  closeDemandBody,
  demandIdParam,
  demandOrderSchema,
  demandOrderView,
  rejectDemandBody,
} from './schema.ts';

const responses = {
  200: jsonContent(demandOrderSchema, 'The order in its new status.'),
  ...problemResponses(401, 403, 404, 409, 413, 415, 422),
};
const illegal = 'From any other status the answer is 409 naming the current status. Audited.';

export const submitDemandRoute = defineRoute({
  method: 'post',
  path: '/v1/demands/{demandId}/submit',
  tags: ['Demand orders'],
  summary: 'Submit a draft to the committee',
  description: `draft → submitted, by its employer. The scheme rules are checked again (422, pointers into \`/order\`), and the start date must not have passed. ${illegal}`,
  access: allow(...rolesFor('submit')),
  request: { params: demandIdParam, headers: idempotencyKeyHeader },
  responses,
});

export const approveDemandRoute = defineRoute({
  method: 'post',
  path: '/v1/demands/{demandId}/approve',
  tags: ['Demand orders'],
  summary: 'Approve a submitted order',
  description: `submitted → approved, by the committee, for at most the workers requested (possibly fewer). The employer's account must be approved and the scheme rules in force kept. ${illegal}`,
  access: allow(...rolesFor('approve')),
  request: { params: demandIdParam, headers: idempotencyKeyHeader, body: jsonBody(approveDemandBody) },
  responses,
});

export const rejectDemandRoute = defineRoute({
  method: 'post',
  path: '/v1/demands/{demandId}/reject',
  tags: ['Demand orders'],
  summary: 'Reject a submitted order',
  description: `submitted → rejected, by the committee, with a reason. ${illegal}`,
  access: allow(...rolesFor('reject')),
  request: { params: demandIdParam, headers: idempotencyKeyHeader, body: jsonBody(rejectDemandBody) },
  responses,
});

export const closeDemandRoute = defineRoute({
  method: 'post',
  path: '/v1/demands/{demandId}/close',
  tags: ['Demand orders'],
  summary: 'Close an order: filled or cancelled',
  description: `→ closed, with an outcome and a reason. Its employer closes a draft, submitted or approved order; the committee an approved one. \`filled\` only for an approved order without open vacancies. ${illegal}`,
  access: allow(...rolesFor('close')),
  request: { params: demandIdParam, headers: idempotencyKeyHeader, body: jsonBody(closeDemandBody) },
  responses,
});

async function transition(
  c: Context<AppEnv>,
  deps: AppDeps,
  demandId: string,
  command: Exclude<DemandCommand, { type: 'create' | 'amend' }>,
) {
  return idempotentWrite(c, deps, { demandId, ...command }, 200, async (trx, ctx) =>
    demandOrderView(await transitionDemandOrder(trx, demandId, command, ctx)),
  );
}

export function registerTransitionDemand(app: ApiApp, deps: AppDeps): void {
  app.openapi(submitDemandRoute, async (c) =>
    c.json(await transition(c, deps, c.req.valid('param').demandId, { type: 'submit' }), 200),
  );
  app.openapi(approveDemandRoute, async (c) => {
    const { workersApproved, note } = c.req.valid('json');
    const command = { type: 'approve', workersApproved, note } as const;
    return c.json(await transition(c, deps, c.req.valid('param').demandId, command), 200);
  });
  app.openapi(rejectDemandRoute, async (c) => {
    const command = { type: 'reject', reason: c.req.valid('json').reason } as const;
    return c.json(await transition(c, deps, c.req.valid('param').demandId, command), 200);
  });
  app.openapi(closeDemandRoute, async (c) => {
    const { outcome, reason } = c.req.valid('json');
    return c.json(
      await transition(c, deps, c.req.valid('param').demandId, { type: 'close', outcome, reason }),
      200,
    );
  });
}
