import { allow } from '@g2g/auth';
import { changeEmployerStatus } from '@g2g/db';
import type { EmployerCommand } from '@g2g/demand';
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
import { employerIdParam, employerSchema, employerView, statusReasonBody } from './schema.ts';

const statusResponses = {
  200: jsonContent(employerSchema, 'The account with its new status.'),
  ...problemResponses(401, 403, 404, 409, 413, 415, 422),
};

export const approveEmployerRoute = defineRoute({
  method: 'post',
  path: '/v1/employers/{employerId}/approve',
  tags: ['Employers'],
  summary: 'Approve an employer account',
  description: 'A pending account becomes usable for demand. Committee only; 409 unless pending. Audited.',
  access: allow('committee'),
  request: { params: employerIdParam, headers: idempotencyKeyHeader },
  responses: statusResponses,
});

export const suspendEmployerRoute = defineRoute({
  method: 'post',
  path: '/v1/employers/{employerId}/suspend',
  tags: ['Employers'],
  summary: 'Suspend an employer account',
  description:
    'An approved account is suspended, with a reason: it can file and change no demand, its approved orders take no workers and leave the public summary until reinstated. Committee only; 409 unless approved. Audited.',
  access: allow('committee'),
  request: { params: employerIdParam, headers: idempotencyKeyHeader, body: jsonBody(statusReasonBody) },
  responses: statusResponses,
});

export const reinstateEmployerRoute = defineRoute({
  method: 'post',
  path: '/v1/employers/{employerId}/reinstate',
  tags: ['Employers'],
  summary: 'Reinstate a suspended employer account',
  description: 'With a reason. Committee only; 409 unless suspended. Audited.',
  access: allow('committee'),
  request: { params: employerIdParam, headers: idempotencyKeyHeader, body: jsonBody(statusReasonBody) },
  responses: statusResponses,
});

async function change(c: Context<AppEnv>, deps: AppDeps, employerId: string, command: EmployerCommand) {
  return idempotentWrite(c, deps, { employerId, ...command }, 200, async (trx, ctx) =>
    employerView(await changeEmployerStatus(trx, employerId, command, ctx)),
  );
}

export function registerChangeEmployerStatus(app: ApiApp, deps: AppDeps): void {
  app.openapi(approveEmployerRoute, async (c) =>
    c.json(await change(c, deps, c.req.valid('param').employerId, { type: 'approve' }), 200),
  );
  app.openapi(suspendEmployerRoute, async (c) => {
    const { reason } = c.req.valid('json');
    return c.json(await change(c, deps, c.req.valid('param').employerId, { type: 'suspend', reason }), 200);
  });
  app.openapi(reinstateEmployerRoute, async (c) => {
    const { reason } = c.req.valid('json');
    return c.json(await change(c, deps, c.req.valid('param').employerId, { type: 'reinstate', reason }), 200);
  });
}
