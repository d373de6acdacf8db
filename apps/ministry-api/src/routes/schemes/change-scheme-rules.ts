import { allow } from '@g2g/auth';
import { getScheme, updateSchemeRules } from '@g2g/db';
import { AppError, assertSchemeRules } from '@g2g/domain';
import {
  type ApiApp,
  type AppDeps,
  auditContext,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { changeRulesBody, schemeIdParam, schemeRulesFrom, schemeSchema, schemeView } from './schema.ts';

export const changeSchemeRulesRoute = defineRoute({
  method: 'put',
  path: '/v1/schemes/{schemeId}/rules',
  tags: ['Schemes'],
  summary: "Change a scheme's rules",
  description:
    'Replaces the demand rules of a scheme, with a reason (audited). The wage currency cannot change.',
  access: allow('ministry_officer'),
  request: { params: schemeIdParam, body: jsonBody(changeRulesBody) },
  responses: {
    200: jsonContent(schemeSchema, 'The scheme with its new rules.'),
    ...problemResponses(401, 403, 404, 413, 415, 422),
  },
});

export function registerChangeSchemeRules(app: ApiApp, deps: AppDeps): void {
  app.openapi(changeSchemeRulesRoute, async (c) => {
    const { schemeId } = c.req.valid('param');
    const body = c.req.valid('json');
    const rules = schemeRulesFrom(body.rules);
    assertSchemeRules(rules);
    const ctx = auditContext(c);
    const scheme = await deps.db.transaction().execute(async (trx) => {
      const current = await getScheme(trx, schemeId);
      if (body.rules.minMonthlyWage.currency !== current.wageCurrency) {
        throw new AppError('rule-violated', `Wages under this scheme are paid in ${current.wageCurrency}.`, {
          errors: [
            { pointer: '/body/rules/minMonthlyWage/currency', detail: `must be ${current.wageCurrency}` },
          ],
        });
      }
      return updateSchemeRules(trx, schemeId, rules, body.reason, ctx);
    });
    return c.json(schemeView(scheme), 200);
  });
}
