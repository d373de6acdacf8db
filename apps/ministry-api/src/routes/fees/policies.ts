import { allow } from '@g2g/auth';
import { createPolicyVersion, listPolicyVersions, runIdempotent, type StoredPolicyVersion } from '@g2g/db';
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
import { z } from '@hono/zod-openapi';
import {
  capFrom,
  categoriesFrom,
  plain,
  policyVersionBody,
  policyVersionSchema,
  schemeIdParam,
} from './schema.ts';

export const createPolicyVersionRoute = defineRoute({
  method: 'post',
  path: '/v1/fee-policies/{schemeId}/versions',
  tags: ['Fees'],
  summary: 'Add a fee policy version',
  description:
    "A version of the scheme's fee policy: the scheme currency, the cap on what a worker may pay (fixed, a number of months of the contract wage, or zero) and every cost category marked worker-may-pay (with an optional limit) or employer-only. Versions are forward-only: a new one starts after the latest, which it closes if that one was open-ended. A payment takes the version in effect on its value date. Audited; Idempotency-Key.",
  access: allow('ministry_officer'),
  request: { params: schemeIdParam, headers: idempotencyKeyHeader, body: jsonBody(policyVersionBody) },
  responses: {
    201: jsonContent(policyVersionSchema, 'The version as recorded.'),
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const listPolicyVersionsRoute = defineRoute({
  method: 'get',
  path: '/v1/fee-policies/{schemeId}',
  tags: ['Fees'],
  summary: "A scheme's fee policy versions",
  access: allow('ministry_officer', 'auditor'),
  request: { params: schemeIdParam },
  responses: {
    200: jsonContent(
      z.object({ schemeId: z.string(), versions: z.array(policyVersionSchema) }),
      'The versions in order.',
    ),
    ...problemResponses(401, 403),
  },
});

function view(v: StoredPolicyVersion): z.infer<typeof policyVersionSchema> {
  return {
    id: v.id,
    schemeId: v.schemeId,
    currency: v.currency,
    matchWindowDays: v.matchWindowDays,
    effectiveFrom: v.effectiveFrom,
    effectiveTo: v.effectiveTo,
    recordedEffectiveTo: v.recordedEffectiveTo,
    cap: plain(v.cap),
    categories: plain(v.categories),
    recordedAt: v.recordedAt.toISOString(),
    recordedBy: v.recordedBy,
  };
}

export function registerFeePolicies(app: ApiApp, deps: AppDeps): void {
  app.openapi(createPolicyVersionRoute, async (c) => {
    const { schemeId } = c.req.valid('param');
    const body = c.req.valid('json');
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, { schemeId, ...body }), async (trx) => {
      const stored = await createPolicyVersion(
        trx,
        schemeId,
        { ...body, cap: capFrom(body.cap), categories: categoriesFrom(body.categories) },
        ctx,
      );
      return { status: 201 as const, body: view(stored) };
    });
    return c.json(outcome.body, 201);
  });
  app.openapi(listPolicyVersionsRoute, async (c) => {
    const { schemeId } = c.req.valid('param');
    const versions = await listPolicyVersions(deps.db, schemeId);
    return c.json({ schemeId, versions: versions.map(view) }, 200);
  });
}
