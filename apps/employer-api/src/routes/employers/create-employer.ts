import { allow } from '@g2g/auth';
import { createEmployer } from '@g2g/db';
import { newEmployerId } from '@g2g/demand';
import {
  type ApiApp,
  type AppDeps,
  defineRoute,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { callerOf, idempotentWrite } from '../support.ts';
import { createEmployerBody, employerSchema, employerView, profileFrom } from './schema.ts';

export const createEmployerRoute = defineRoute({
  method: 'post',
  path: '/v1/employers',
  tags: ['Employers'],
  summary: 'Create an employer account',
  description:
    "By the employer itself (the account's id is its token's `employer` claim) or by the committee (naming the id). The account is pending until the committee approves it; only then can it file demand. Audited.",
  access: allow('employer', 'committee'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(createEmployerBody) },
  responses: {
    201: jsonContent(employerSchema, 'The new, pending account.'),
    ...problemResponses(401, 403, 409, 413, 415, 422),
  },
});

export function registerCreateEmployer(app: ApiApp, deps: AppDeps): void {
  app.openapi(createEmployerRoute, async (c) => {
    const body = c.req.valid('json');
    const id = newEmployerId(callerOf(c), body.id);
    const view = await idempotentWrite(c, deps, body, 201, async (trx, ctx) =>
      employerView(await createEmployer(trx, id, profileFrom(body), ctx)),
    );
    return c.json(view, 201);
  });
}
