import { allow } from '@g2g/auth';
import { createWindow, geography, getScheme, runIdempotent } from '@g2g/db';
import {
  type ApiApp,
  type AppDeps,
  auditContext,
  defineRoute,
  idempotencyClaim,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { assertWindowDefinition } from '@g2g/registration';
import { createWindowBody, windowDefinitionFrom, windowSchema, windowView } from '@g2g/window-routes';

export const createWindowRoute = defineRoute({
  method: 'post',
  path: '/v1/windows',
  tags: ['Windows'],
  summary: 'Create a registration window',
  description:
    "A period in which union centres register workers for a scheme: a subset of the scheme's sectors, opening and closing times (a default, and per division where they differ, as in January 2013), eligibility (age range on a reference date, genders, Bangladeshi citizens) and the service charge collected at the centre. Audited.",
  access: allow('ministry_officer'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(createWindowBody) },
  responses: {
    201: jsonContent(windowSchema, 'The window.'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export function registerCreateWindow(app: ApiApp, deps: AppDeps): void {
  app.openapi(createWindowRoute, async (c) => {
    const body = c.req.valid('json');
    const { divisionIds } = await geography(deps.db);
    const definition = windowDefinitionFrom(body, divisionIds);
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, body), async (trx) => {
      const scheme = await getScheme(trx, body.schemeId);
      assertWindowDefinition(definition, scheme.rules, divisionIds);
      const window = await createWindow(trx, { ...definition, id: body.id, schemeId: scheme.id }, ctx);
      return { status: 201 as const, body: windowView(window) };
    });
    return c.json(outcome.body, 201);
  });
}
