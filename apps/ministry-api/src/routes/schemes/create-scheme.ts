import { allow } from '@g2g/auth';
import { createScheme, runIdempotent } from '@g2g/db';
import { AppError, assertSchemeRules } from '@g2g/domain';
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
import { createSchemeBody, schemeRulesFrom, schemeSchema, schemeView } from './schema.ts';

export const createSchemeRoute = defineRoute({
  method: 'post',
  path: '/v1/schemes',
  tags: ['Schemes'],
  summary: 'Create a scheme',
  description:
    'A bilateral programme (e.g. G2G Malaysia 2013) with the rules every demand order under it must keep: sectors, minimum monthly wage (its currency is the wage currency), maximum contract length, age limits.',
  access: allow('ministry_officer'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(createSchemeBody) },
  responses: {
    201: jsonContent(schemeSchema, 'The scheme.'),
    ...problemResponses(401, 403, 409, 413, 415, 422),
  },
});

export function registerCreateScheme(app: ApiApp, deps: AppDeps): void {
  app.openapi(createSchemeRoute, async (c) => {
    const body = c.req.valid('json');
    const rules = schemeRulesFrom(body.rules);
    assertSchemeRules(rules);
    if (body.originCountry === body.destinationCountry) {
      throw new AppError('validation-failed', 'Origin and destination must differ.', {
        errors: [{ pointer: '/body/destinationCountry', detail: 'must differ from originCountry' }],
      });
    }
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, body), async (trx) => {
      const scheme = await createScheme(
        trx,
        { ...body, wageCurrency: body.rules.minMonthlyWage.currency, rules },
        ctx,
      );
      return { status: 201 as const, body: schemeView(scheme) };
    });
    return c.json(outcome.body, 201);
  });
}
