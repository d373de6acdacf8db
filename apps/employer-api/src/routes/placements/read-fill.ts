import { allow } from '@g2g/auth';
import { demandFillFor } from '@g2g/db';
import { REGISTRATION_NUMBER } from '@g2g/demand';
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
import { demandIdParam } from '../demands/schema.ts';
import { callerOf } from '../support.ts';
import { fillQuery, fillSchema, fillView } from './schema.ts';

export const readFillRoute = defineRoute({
  method: 'get',
  path: '/v1/demands/{demandId}/fill',
  tags: ['Fill'],
  summary: 'How an order is being filled',
  description:
    'Placements per stage (selected, medical passed/failed, visa issued, departed, arrived, dropped out), active placements, open vacancies, and the placements by registration number (never names), with the replacement links. Readable by whoever may read the order.',
  access: allow('employer', 'committee', 'ministry_officer', 'auditor'),
  request: { params: demandIdParam, query: fillQuery },
  responses: { 200: jsonContent(fillSchema, 'The fill.'), ...problemResponses(401, 403, 404) },
});

const cursorSchema = z.object({ after: z.string().regex(REGISTRATION_NUMBER) });

export function registerReadFill(app: ApiApp, deps: AppDeps): void {
  app.openapi(readFillRoute, async (c) => {
    const { demandId } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, cursorSchema).after;
    const fill = await demandFillFor(deps.db, demandId, callerOf(c), { after, limit: limit + 1 });
    const page = fill.placements.slice(0, limit);
    const last = page.at(-1);
    const next =
      fill.placements.length > limit && last ? encodeCursor({ after: last.registrationNumber }) : null;
    return c.json(fillView({ ...fill, placements: page }, next), 200);
  });
}
