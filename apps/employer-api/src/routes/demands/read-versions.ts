import { allow } from '@g2g/auth';
import { getDemandOrderVersionFor, listDemandOrderVersionsFor } from '@g2g/db';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { callerOf } from '../support.ts';
import { demandIdParam, demandVersionSchema, demandVersionView, versionParam } from './schema.ts';

const readers = allow('employer', 'committee', 'ministry_officer', 'auditor');

export const listVersionsRoute = defineRoute({
  method: 'get',
  path: '/v1/demands/{demandId}/versions',
  tags: ['Demand orders'],
  summary: "Every version of an order's terms",
  description:
    'Oldest first; each with the reason for the change and who (by role) recorded it. Readable by whoever may read the order.',
  access: readers,
  request: { params: demandIdParam },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(demandVersionSchema) }).openapi('DemandOrderVersions'),
      'The versions.',
    ),
    ...problemResponses(401, 403, 404),
  },
});

export const getVersionRoute = defineRoute({
  method: 'get',
  path: '/v1/demands/{demandId}/versions/{version}',
  tags: ['Demand orders'],
  summary: 'One version of an order',
  access: readers,
  request: { params: versionParam },
  responses: { 200: jsonContent(demandVersionSchema, 'The version.'), ...problemResponses(401, 403, 404) },
});

export function registerReadVersions(app: ApiApp, deps: AppDeps): void {
  app.openapi(listVersionsRoute, async (c) => {
    const versions = await listDemandOrderVersionsFor(deps.db, c.req.valid('param').demandId, callerOf(c));
    return c.json({ items: versions.map(demandVersionView) }, 200);
  });
  app.openapi(getVersionRoute, async (c) => {
    const { demandId, version } = c.req.valid('param');
    return c.json(
      demandVersionView(await getDemandOrderVersionFor(deps.db, demandId, version, callerOf(c))),
      200,
    );
  });
}
