import { type Access, requireAccess } from '@g2g/auth';
import { AppError } from '@g2g/domain';
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

export type DeclaredRoute = Omit<RouteConfig, 'middleware' | 'security'> & {
  /** Who may call it. Required: a route cannot be added without saying. */
  readonly access: Access;
  /** Largest request body accepted, in bytes (default 64 KiB). */
  readonly bodyLimit?: number;
};

/**
 * Declares a route: its OpenAPI description, its access (enforced and published in the document as
 * `x-access`), and a body guard that answers 415 for a non-JSON body, 413 for an oversized one, and
 * 400 for malformed JSON before the schema is applied.
 */
export function defineRoute<const R extends DeclaredRoute>(route: R) {
  const { access, bodyLimit, ...config } = route;
  const middleware: MiddlewareHandler<AppEnv>[] = [
    requireAccess(access) as unknown as MiddlewareHandler<AppEnv>,
  ];
  if (config.request?.body) middleware.push(jsonBodyGuard(bodyLimit ?? DEFAULT_BODY_LIMIT));
  return createRoute({
    ...config,
    middleware,
    ...('public' in access ? {} : { security: [{ bearerAuth: [] }] }),
    'x-access': 'public' in access ? 'public' : [...access.roles],
  } as RouteConfig & { middleware: MiddlewareHandler<AppEnv>[] }) as unknown as Omit<
    R,
    'access' | 'bodyLimit'
  > & {
    middleware: MiddlewareHandler<AppEnv>[];
    'x-access': 'public' | string[];
  };
}

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

function jsonBodyGuard(limit: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (!JSON_TYPE.test(type)) {
      throw new AppError('unsupported-media-type', 'Send the request body as application/json.');
    }
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
    // Read through Hono's body cache (no clone of the request stream); the parsed JSON is cached too.
    const raw = await c.req.arrayBuffer();
    if (raw.byteLength > limit) throw tooLarge(limit);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new AppError('malformed-json', 'The request body is not valid UTF-8.');
    }
    try {
      const parsed: unknown = JSON.parse(text);
      // Hand the parsed body to the validator so it is read once.
      (c.req as unknown as { bodyCache: { json?: unknown } }).bodyCache.json = Promise.resolve(parsed);
    } catch {
      throw new AppError('malformed-json', 'The request body is not valid JSON.');
    }
    await next();
  };
}

function tooLarge(limit: number): AppError {
  return new AppError('payload-too-large', `The request body must be at most ${limit} bytes.`);
}
