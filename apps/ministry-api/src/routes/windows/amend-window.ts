import { allow, publicAccess } from '@g2g/auth';
import { amendWindow, geography, getScheme, getWindow, listWindowAmendments } from '@g2g/db';
import {
  type ApiApp,
  type AppDeps,
  auditContext,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { assertWindowDefinition } from '@g2g/registration';
import {
  amendWindowBody,
  windowDefinitionFrom,
  windowIdParam,
  windowSchema,
  windowView,
} from '@g2g/window-routes';
import { z } from '@hono/zod-openapi';

export const amendWindowRoute = defineRoute({
  method: 'put',
  path: '/v1/windows/{windowId}',
  tags: ['Windows'],
  summary: 'Amend a registration window',
  description:
    "Replaces the window's definition, with a reason (audited; the previous definition is kept). Before any division opens anything may change. Once one has opened, what registered workers were promised holds: eligibility and the service charge are frozen, sectors may be added but not removed, opened divisions keep their opening time, and no closing time may move to before now. Registrations already made are never re-checked.",
  access: allow('ministry_officer'),
  request: { params: windowIdParam, body: jsonBody(amendWindowBody) },
  responses: {
    200: jsonContent(windowSchema, 'The amended window.'),
    ...problemResponses(401, 403, 404, 413, 415, 422),
  },
});

export const listWindowAmendmentsRoute = defineRoute({
  method: 'get',
  path: '/v1/windows/{windowId}/amendments',
  tags: ['Windows'],
  summary: "A window's amendments",
  description:
    'Every amendment of the window, oldest first: the version it made, when, by whom, and why. Public.',
  access: publicAccess,
  request: { params: windowIdParam },
  responses: {
    200: jsonContent(
      z.object({
        items: z.array(
          z.object({
            version: z.number().int(),
            amendedAt: z.string(),
            amendedBy: z.string(),
            reason: z.string(),
          }),
        ),
      }),
      'The amendments.',
    ),
    ...problemResponses(404),
  },
});

export function registerAmendWindow(app: ApiApp, deps: AppDeps): void {
  app.openapi(amendWindowRoute, async (c) => {
    const { windowId } = c.req.valid('param');
    const body = c.req.valid('json');
    const { divisionIds } = await geography(deps.db);
    const definition = windowDefinitionFrom(body, divisionIds);
    const ctx = auditContext(c);
    const window = await deps.db.transaction().execute(async (trx) => {
      const current = await getWindow(trx, windowId);
      const scheme = await getScheme(trx, current.schemeId);
      assertWindowDefinition(definition, scheme.rules, divisionIds);
      return amendWindow(trx, windowId, definition, body.reason, ctx);
    });
    return c.json(windowView(window), 200);
  });
  app.openapi(listWindowAmendmentsRoute, async (c) => {
    const { windowId } = c.req.valid('param');
    await getWindow(deps.db, windowId);
    const items = await listWindowAmendments(deps.db, windowId);
    return c.json({ items: items.map((a) => ({ ...a, amendedAt: a.amendedAt.toISOString() })) }, 200);
  });
}
