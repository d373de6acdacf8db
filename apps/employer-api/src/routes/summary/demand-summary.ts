import { publicAccess } from '@g2g/auth';
import { demandSummary } from '@g2g/db';
import { genders } from '@g2g/demand';
import { digestOf, SCHEME_ID } from '@g2g/domain';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { z } from '@hono/zod-openapi';

const count = z.number().int();

export const demandSummarySchema = z
  .object({
    items: z.array(
      z.object({
        schemeId: z.string(),
        sector: z.string(),
        gender: z.enum(genders),
        month: z.string().openapi({ example: '2013-09', description: 'Month of the expected start date.' }),
        workersApproved: count,
        workersPlaced: count.openapi({ description: 'Of those, workers allocated and still active.' }),
        openVacancies: count,
      }),
    ),
    totals: z.object({ workersApproved: count, workersPlaced: count, openVacancies: count }),
  })
  .openapi('DemandSummary');

export const demandSummaryRoute = defineRoute({
  method: 'get',
  path: '/v1/demand-summary',
  tags: ['Demand summary'],
  summary: 'Approved vacancies by scheme, sector, gender and month',
  description:
    'The honest odds: approved vacancies, grouped by scheme, sector, gender and month of expected start, with how many are already placed. Counts approved orders of employers in good standing (closed orders and suspended employers are left out). Public and cacheable (`ETag`, 60 s).',
  access: publicAccess,
  request: { query: z.object({ schemeId: z.string().regex(SCHEME_ID).optional() }) },
  responses: {
    200: jsonContent(demandSummarySchema, 'The summary.'),
    304: { description: 'Not modified since the ETag in If-None-Match.' },
    ...problemResponses(),
  },
});

export function registerDemandSummary(app: ApiApp, deps: AppDeps): void {
  app.openapi(demandSummaryRoute, async (c) => {
    const items = await demandSummary(deps.db, { schemeId: c.req.valid('query').schemeId });
    const sum = (key: 'workersApproved' | 'workersPlaced' | 'openVacancies') =>
      items.reduce((total, row) => total + row[key], 0);
    const body = {
      items: items.map((r) => ({ ...r })),
      totals: {
        workersApproved: sum('workersApproved'),
        workersPlaced: sum('workersPlaced'),
        openVacancies: sum('openVacancies'),
      },
    };
    const etag = `"${digestOf(body).slice(0, 32)}"`;
    c.header('cache-control', 'public, max-age=60');
    c.header('etag', etag);
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.json(body, 200);
  });
}
