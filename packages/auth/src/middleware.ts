import { type Actor, AppError, type Role } from '@g2g/domain';
import type { MiddlewareHandler } from 'hono';
import type { Principal } from './principal.ts';
import type { TokenVerifier } from './verify.ts';

/** Who may call a route: anyone, or a token holding one of the listed roles. */
export type Access = { readonly public: true } | { readonly roles: readonly Role[] };

export const publicAccess: Access = { public: true };

export function allow(...allowed: Role[]): Access {
  return { roles: allowed };
}

export interface AuthVariables {
  tokenVerifier: TokenVerifier;
  principal: Principal | undefined;
  actor: Actor;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Enforces a route's declared access: a public route lets anyone in (and ignores any token); a
 * protected one needs a valid bearer token (401 otherwise) holding one of the route's roles (403
 * otherwise). Sets `principal` and `actor` (the subject and the role it acts in here).
 */
export function requireAccess(access: Access): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    if ('public' in access) {
      c.set('principal', undefined);
      c.set('actor', { sub: 'public', role: 'public' });
      return next();
    }
    const header = c.req.header('authorization');
    if (!header) {
      throw new AppError('unauthenticated', 'This route needs a bearer token in the Authorization header.');
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <JWT>".');
    }
    const principal = await c.var.tokenVerifier(match[1]);
    const role = access.roles.find((r) => principal.roles.includes(r));
    if (!role) {
      throw new AppError('forbidden', `This route is for the role(s): ${access.roles.join(', ')}.`);
    }
    c.set('principal', principal);
    c.set('actor', { sub: principal.sub, role });
    return next();
  };
}
