import { allow } from '@g2g/auth';
import { updateEmployer } from '@g2g/db';
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
import { employerIdParam, employerSchema, employerView, updateEmployerBody } from './schema.ts';

export const updateEmployerRoute = defineRoute({
  method: 'patch',
  path: '/v1/employers/{employerId}',
  tags: ['Employers'],
  summary: 'Change an employer account',
  description:
    "An employer changes its own address and contact; its legal identity (name, registration number, country, sector) only the committee. Another employer's account is 404. Audited (without the contact's personal data).",
  access: allow('employer', 'committee'),
  request: { params: employerIdParam, headers: idempotencyKeyHeader, body: jsonBody(updateEmployerBody) },
  responses: {
    200: jsonContent(employerSchema, 'The account.'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export function registerUpdateEmployer(app: ApiApp, deps: AppDeps): void {
  app.openapi(updateEmployerRoute, async (c) => {
    const { employerId } = c.req.valid('param');
    const body = c.req.valid('json');
    const view = await idempotentWrite(c, deps, body, 200, async (trx, ctx) =>
      employerView(await updateEmployer(trx, employerId, body, ctx)),
    );
    return c.json(view, 200);
  });
}
