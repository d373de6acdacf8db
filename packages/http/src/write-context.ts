import type { ActingContext, AuditContext, IdempotencyClaim } from '@g2g/db';
import { AppError, type CanonicalValue, digestOf } from '@g2g/domain';
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/** Who is acting, in which request, and now: the context every audited write takes. */
export function auditContext(c: Context<AppEnv>, at: Date = new Date()): AuditContext {
  return { actor: c.var.actor, requestId: c.var.requestId, at };
}

/**
 * The audit context plus the employer the caller acts for (its token's `employer` claim, only when
 * it acts in the employer role): what writes scoped to an employer's own records take.
 */
export function actingContext(c: Context<AppEnv>, at: Date = new Date()): ActingContext {
  const employerId = c.var.actor.role === 'employer' ? c.var.principal?.employer : undefined;
  return { ...auditContext(c, at), employerId };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Reads the Idempotency-Key header into a claim scoped to the caller (its subject, and the centre or
 * employer it acts for), hashing the method, path and canonical body so that a reused key with a
 * different request is recognised. No header: no claim.
 */
export function idempotencyClaim(c: Context<AppEnv>, body: CanonicalValue): IdempotencyClaim | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('validation-failed', 'The Idempotency-Key header is not valid.', {
      errors: [{ pointer: '/header/idempotency-key', detail: '1-255 visible ASCII characters' }],
    });
  }
  const principal = c.var.principal;
  const scope = [c.var.actor.role, c.var.actor.sub, principal?.centre ?? '', principal?.employer ?? ''].join(
    '|',
  );
  return { scope, key, requestHash: digestOf({ method: c.req.method, path: c.req.path, body }) };
}
