import { randomUUID } from 'node:crypto';
import { allow, type TokenVerifier } from '@g2g/auth';
import { isDatabaseUnavailable } from '@g2g/db';
import { AppError, roles } from '@g2g/domain';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { mountDocs } from './docs.ts';
import type { AppEnv } from './env.ts';
import { jsonContent, problemResponses } from './openapi.ts';
import { problemResponse } from './problem.ts';
import { defineRoute } from './route.ts';
import { validationHook } from './validation.ts';

export interface ApiAppOptions {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly logger: Logger;
  readonly tokenVerifier: TokenVerifier;
  /** Resolves when the app can serve (database reachable); rejects otherwise. */
  readonly readiness: () => Promise<void>;
  /** Hard ceiling on any request body, in bytes; routes set their own lower limits. */
  readonly maxBodyBytes?: number;
}

export type ApiApp = OpenAPIHono<AppEnv>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The one app factory: request ids, logging, security headers, body ceiling, health and readiness,
 * the OpenAPI 3.1 document, the docs page, and the error mapping to problem+json are wired here once.
 * Routes are registered into the returned app with `app.openapi(defineRoute(...), handler)`.
 */
export function createApiApp(options: ApiAppOptions): ApiApp {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { logger } = options;

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('logger', logger.child({ requestId }));
    c.set('tokenVerifier', options.tokenVerifier);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    const status = c.res.status;
    const entry = {
      method: c.req.method,
      route: c.req.routePath,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) c.var.logger.error(entry, 'request failed');
    else c.var.logger.info(entry, 'request');
  });
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 4 * 1024 * 1024,
      onError: () => {
        throw new AppError('payload-too-large', 'The request body is larger than this service accepts.');
      },
    }),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await options.readiness();
    } catch (err) {
      throw new AppError('service-unavailable', 'The database is not reachable.', {
        cause: err,
        retryAfter: 5,
      });
    }
    return c.json({ status: 'ready' });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A JWT signed with EdDSA or ES256 by the identity provider; claims: sub, roles, centre, employer.',
  });
  let document: unknown;
  app.get('/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: options.title, version: options.version, description: options.description },
    });
    return c.json(document);
  });
  mountDocs(app, options.title);
  app.openapi(whoamiRoute, (c) => {
    const principal = c.var.principal!;
    return c.json(
      {
        sub: principal.sub,
        roles: [...principal.roles],
        actingAs: c.var.actor.role,
        centre: principal.centre ?? null,
        employer: principal.employer ?? null,
      },
      200,
    );
  });

  app.notFound((c) =>
    problemResponse(
      new AppError('route-not-found', `There is no route ${c.req.method} ${c.req.path}.`),
      c.get('requestId') ?? randomUUID(),
    ),
  );
  app.onError((err, c) => errorResponse(err, c));
  return app;
}

const whoamiRoute = defineRoute({
  method: 'get',
  path: '/v1/whoami',
  tags: ['Session'],
  summary: 'Who does this token say I am',
  description: 'Echoes the verified claims of the bearer token: subject, roles, centre, employer.',
  access: allow(...roles),
  responses: {
    200: jsonContent(
      z
        .object({
          sub: z.string(),
          roles: z.array(z.enum(roles)),
          actingAs: z.string(),
          centre: z.string().nullable(),
          employer: z.string().nullable(),
        })
        .openapi('Whoami'),
      'The verified principal.',
    ),
    ...problemResponses(401, 403),
  },
});

/** Maps any thrown value to a problem+json response; unexpected errors are logged, never echoed. */
export function errorResponse(err: unknown, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? randomUUID();
  const log = c.get('logger') ?? undefined;
  if (err instanceof AppError) {
    if (err.code === 'service-unavailable') log?.warn({ err: err.cause ?? err }, 'unavailable');
    return problemResponse(err, requestId);
  }
  if (err instanceof HTTPException) {
    const mapped = fromHttpException(err);
    if (mapped) return problemResponse(mapped, requestId);
  }
  if (isDatabaseUnavailable(err)) {
    log?.warn({ err }, 'database unavailable');
    return problemResponse(
      new AppError('service-unavailable', 'The database is not reachable right now; retry shortly.', {
        retryAfter: 5,
      }),
      requestId,
    );
  }
  log?.error({ err }, 'unexpected error');
  return problemResponse(
    new AppError(
      'internal-error',
      `Something failed on our side. Quote request id ${requestId} when reporting it.`,
    ),
    requestId,
  );
}

function fromHttpException(err: HTTPException): AppError | undefined {
  switch (err.status) {
    case 400:
      return new AppError('malformed-json', 'The request body could not be parsed.');
    case 401:
      return new AppError('unauthenticated', 'Authentication is required.');
    case 403:
      return new AppError('forbidden', 'Not allowed.');
    case 404:
      return new AppError('not-found', 'Not found.');
    case 413:
      return new AppError('payload-too-large', 'The request body is too large.');
    case 415:
      return new AppError('unsupported-media-type', 'Send the request body as application/json.');
    default:
      return undefined;
  }
}
