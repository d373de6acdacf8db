import { publicAccess } from '@g2g/auth';
import { getWindow, listWindows } from '@g2g/db';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { windowIdParam, windowSchema, windowView } from './schema.ts';

export const listWindowsRoute = defineRoute({
  method: 'get',
  path: '/v1/windows',
  tags: ['Windows'],
  summary: 'List registration windows',
  description:
    'Every registration window: its scheme, sectors, opening and closing times per division, eligibility and service charge. Public.',
  access: publicAccess,
  request: { query: z.object({ scheme: z.string().min(3).max(63).optional() }) },
  responses: {
    200: jsonContent(z.object({ items: z.array(windowSchema) }), 'The windows.'),
    ...problemResponses(),
  },
});

export const getWindowRoute = defineRoute({
  method: 'get',
  path: '/v1/windows/{windowId}',
  tags: ['Windows'],
  summary: 'Read a registration window',
  access: publicAccess,
  request: { params: windowIdParam },
  responses: { 200: jsonContent(windowSchema, 'The window.'), ...problemResponses(404) },
});

/** The read side of windows, served by both the ministry API and the registration API. */
export function registerReadWindows(app: ApiApp, deps: AppDeps): void {
  app.openapi(listWindowsRoute, async (c) => {
    const { scheme } = c.req.valid('query');
    return c.json({ items: (await listWindows(deps.db, { schemeId: scheme })).map(windowView) }, 200);
  });
  app.openapi(getWindowRoute, async (c) =>
    c.json(windowView(await getWindow(deps.db, c.req.valid('param').windowId)), 200),
  );
}
