import { publicAccess } from '@g2g/auth';
import { getScheme, listSchemes } from '@g2g/db';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { schemeIdParam, schemeSchema, schemeView } from './schema.ts';

export const listSchemesRoute = defineRoute({
  method: 'get',
  path: '/v1/schemes',
  tags: ['Schemes'],
  summary: 'List schemes',
  description: 'Every scheme and its rules. Public.',
  access: publicAccess,
  responses: {
    200: jsonContent(z.object({ items: z.array(schemeSchema) }), 'The schemes.'),
    ...problemResponses(),
  },
});

export const getSchemeRoute = defineRoute({
  method: 'get',
  path: '/v1/schemes/{schemeId}',
  tags: ['Schemes'],
  summary: 'Read a scheme',
  access: publicAccess,
  request: { params: schemeIdParam },
  responses: { 200: jsonContent(schemeSchema, 'The scheme.'), ...problemResponses(404) },
});

export function registerReadSchemes(app: ApiApp, deps: AppDeps): void {
  app.openapi(listSchemesRoute, async (c) =>
    c.json({ items: (await listSchemes(deps.db)).map(schemeView) }, 200),
  );
  app.openapi(getSchemeRoute, async (c) =>
    c.json(schemeView(await getScheme(deps.db, c.req.valid('param').schemeId)), 200),
  );
}
