import { allow } from '@g2g/auth';
import { listAuditLog } from '@g2g/db';
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
import { auditPageSchema, listAuditQuery } from './schema.ts';

export const listAuditEventsRoute = defineRoute({
  method: 'get',
  path: '/v1/audit-events',
  tags: ['Audit'],
  summary: 'Read the hash-chained audit log',
  description:
    'Every state change made by a person, in chain order, with who, what, when, the payload digest and the chain links. Filter by entity.',
  access: allow('auditor', 'ministry_officer'),
  request: { query: listAuditQuery },
  responses: { 200: jsonContent(auditPageSchema, 'A page of the chain.'), ...problemResponses(401, 403) },
});

export function registerListAuditEvents(app: ApiApp, deps: AppDeps): void {
  app.openapi(listAuditEventsRoute, async (c) => {
    const { entityType, entityId, cursor, limit } = c.req.valid('query');
    const afterSeq =
      cursor === undefined
        ? undefined
        : decodeCursor(cursor, z.object({ seq: z.string().regex(/^[0-9]+$/) })).seq;
    const rows = await listAuditLog(deps.db, { afterSeq, entityType, entityId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() })),
        nextCursor: rows.length > limit && last ? encodeCursor({ seq: last.seq }) : null,
      },
      200,
    );
  });
}
