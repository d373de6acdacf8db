import { cursorParam, limitParam } from '@g2g/http';
import { z } from '@hono/zod-openapi';

export const auditEntrySchema = z
  .object({
    seq: z.string().openapi({ description: 'Position in the chain (decimal string).' }),
    eventId: z.string(),
    occurredAt: z.string().datetime(),
    actor: z.object({ sub: z.string(), role: z.string() }),
    action: z.string(),
    entity: z.object({ type: z.string(), id: z.string() }),
    payloadDigest: z.string(),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEntry');

export const listAuditQuery = z.object({
  entityType: z.string().min(1).max(60).optional(),
  entityId: z.string().min(1).max(200).optional(),
  cursor: cursorParam,
  limit: limitParam(1000, 100),
});

export const auditPageSchema = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .openapi('AuditPage');

export const chainVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    head: z.string(),
    firstBreak: z
      .object({
        kind: z.string(),
        seq: z.string(),
        eventId: z.string().optional(),
        expectedSeq: z.string().optional(),
      })
      .nullable(),
    unchained: z.number().int(),
  })
  .openapi('AuditChainVerification');
