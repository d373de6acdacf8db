import { publicAccess } from '@g2g/auth';
import { listCentres } from '@g2g/db';
import {
  type ApiApp,
  type AppDeps,
  decodeCursor,
  defineRoute,
  encodeCursor,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { centrePageSchema, listCentresQuery } from './schema.ts';

export const listCentresRoute = defineRoute({
  method: 'get',
  path: '/v1/centres',
  tags: ['Centres'],
  summary: 'List union service centres',
  description:
    'Every Union Information and Service Centre (one per union parishad), with its union, upazila, district and division in English and Bangla. Public. Ordered by centre code; page with `cursor`.',
  access: publicAccess,
  request: { query: listCentresQuery },
  responses: { 200: jsonContent(centrePageSchema, 'A page of centres.'), ...problemResponses() },
});

export function registerListCentres(app: ApiApp, deps: AppDeps): void {
  app.openapi(listCentresRoute, async (c) => {
    const { division, district, upazila, cursor, limit } = c.req.valid('query');
    const after =
      cursor === undefined ? undefined : decodeCursor(cursor, z.object({ after: z.string() })).after;
    const items = await listCentres(deps.db, { division, district, upazila, after, limit: limit + 1 });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    c.header('cache-control', 'public, max-age=300');
    return c.json(
      { items: page, nextCursor: items.length > limit && last ? encodeCursor({ after: last.code }) : null },
      200,
    );
  });
}
