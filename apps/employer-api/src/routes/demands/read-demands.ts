import { allow } from '@g2g/auth';
import { getDemandOrderFor, listDemandOrdersFor } from '@g2g/db';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { callerOf, nextTimeIdCursor, readTimeIdCursor } from '../support.ts';
import {
  demandIdParam,
  demandOrderSchema,
  demandOrderView,
  demandPageSchema,
  listDemandsQuery,
} from './schema.ts';

const readers = allow('employer', 'committee', 'ministry_officer', 'auditor');

export const listDemandsRoute = defineRoute({
  method: 'get',
  path: '/v1/demands',
  tags: ['Demand orders'],
  summary: 'List demand orders',
  description:
    'Newest first. An employer sees only its own orders; ministry officers and auditors only orders that were approved (also once closed); the committee all.',
  access: readers,
  request: { query: listDemandsQuery },
  responses: { 200: jsonContent(demandPageSchema, 'A page of orders.'), ...problemResponses(401, 403) },
});

export const getDemandRoute = defineRoute({
  method: 'get',
  path: '/v1/demands/{demandId}',
  tags: ['Demand orders'],
  summary: 'Read a demand order',
  description:
    "Its status, current terms and version, and open vacancies. An order the caller may not see (another employer's; one never approved, for officers and auditors) is 404, as if it did not exist.",
  access: readers,
  request: { params: demandIdParam },
  responses: { 200: jsonContent(demandOrderSchema, 'The order.'), ...problemResponses(401, 403, 404) },
});

export function registerReadDemands(app: ApiApp, deps: AppDeps): void {
  app.openapi(listDemandsRoute, async (c) => {
    const { status, schemeId, employerId, cursor, limit } = c.req.valid('query');
    const rows = await listDemandOrdersFor(deps.db, callerOf(c), {
      status,
      schemeId,
      employerId,
      before: readTimeIdCursor(cursor),
      limit: limit + 1,
    });
    return c.json(
      {
        items: rows.slice(0, limit).map(demandOrderView),
        nextCursor: nextTimeIdCursor(rows, limit, (r) => ({ at: r.createdAt, id: r.id })),
      },
      200,
    );
  });
  app.openapi(getDemandRoute, async (c) =>
    c.json(
      demandOrderView(await getDemandOrderFor(deps.db, c.req.valid('param').demandId, callerOf(c))),
      200,
    ),
  );
}
