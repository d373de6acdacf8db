import { allow } from '@g2g/auth';
import { getEmployerFor, listEmployers } from '@g2g/db';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { callerOf, nextTimeIdCursor, readTimeIdCursor } from '../support.ts';
import {
  employerIdParam,
  employerPageSchema,
  employerSchema,
  employerView,
  listEmployersQuery,
} from './schema.ts';

export const listEmployersRoute = defineRoute({
  method: 'get',
  path: '/v1/employers',
  tags: ['Employers'],
  summary: 'List employer accounts',
  description:
    'Every account, oldest first, optionally by status (e.g. `pending`, to approve). Committee only.',
  access: allow('committee'),
  request: { query: listEmployersQuery },
  responses: { 200: jsonContent(employerPageSchema, 'A page of accounts.'), ...problemResponses(401, 403) },
});

export const getEmployerRoute = defineRoute({
  method: 'get',
  path: '/v1/employers/{employerId}',
  tags: ['Employers'],
  summary: 'Read an employer account',
  description: "An employer reads its own account (another's is 404); the committee any.",
  access: allow('employer', 'committee'),
  request: { params: employerIdParam },
  responses: { 200: jsonContent(employerSchema, 'The account.'), ...problemResponses(401, 403, 404) },
});

export function registerReadEmployers(app: ApiApp, deps: AppDeps): void {
  app.openapi(listEmployersRoute, async (c) => {
    const { status, cursor, limit } = c.req.valid('query');
    const rows = await listEmployers(deps.db, { status, after: readTimeIdCursor(cursor), limit: limit + 1 });
    return c.json(
      {
        items: rows.slice(0, limit).map(employerView),
        nextCursor: nextTimeIdCursor(rows, limit, (r) => ({ at: r.createdAt, id: r.id })),
      },
      200,
    );
  });
  app.openapi(getEmployerRoute, async (c) => {
    const { employerId } = c.req.valid('param');
    return c.json(employerView(await getEmployerFor(deps.db, employerId, callerOf(c))), 200);
  });
}
