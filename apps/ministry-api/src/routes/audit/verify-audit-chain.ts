import { allow } from '@g2g/auth';
import { verifyAuditChain } from '@g2g/db';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { chainVerificationSchema } from './schema.ts';

export const verifyAuditChainRoute = defineRoute({
  method: 'get',
  path: '/v1/audit-chain/verification',
  tags: ['Audit'],
  summary: 'Verify the audit chain',
  description:
    'Walks the whole chain, recomputing every link, and reports the first broken one. `unchained` counts events recorded but not yet linked (normally zero within a second).',
  access: allow('auditor', 'ministry_officer'),
  responses: {
    200: jsonContent(chainVerificationSchema, 'The verification result.'),
    ...problemResponses(401, 403),
  },
});

export function registerVerifyAuditChain(app: ApiApp, deps: AppDeps): void {
  app.openapi(verifyAuditChainRoute, async (c) => {
    const result = await verifyAuditChain(deps.db);
    return c.json({ ...result, firstBreak: result.firstBreak ?? null }, 200);
  });
}
