import { createTokenVerifier, mintToken } from '@g2g/auth';
import { chainAllAuditEvents, sql } from '@g2g/db';
import { createTestDatabase, type TestDatabase } from '@g2g/db/testing';
import type { Role } from '@g2g/domain';
import type { Hono } from 'hono';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from 'jose';
import { pino } from 'pino';
import type { AppDeps } from './deps.ts';

export const TEST_ISSUER = 'urn:g2g:test-issuer';
export const TEST_AUDIENCE = 'urn:g2g:test-api';

export interface TokenOptions {
  readonly sub?: string;
  readonly centre?: string;
  readonly employer?: string;
  readonly ttlSeconds?: number;
  readonly now?: Date;
  readonly audience?: string;
  readonly issuer?: string;
}

export interface TestContext {
  readonly database: TestDatabase;
  readonly db: TestDatabase['db'];
  readonly deps: AppDeps;
  readonly privateJwk: JWK;
  /** A token for the given role(s), signed by the key the test apps trust. */
  token(roles: Role | readonly Role[], options?: TokenOptions): Promise<string>;
  /** Chains every settled audit event (the background chainer's job in a running app). */
  chainAudit(): Promise<number>;
  close(): Promise<void>;
}

/** A test file's own migrated database, a signing key its apps trust, and deps for createApp. */
export async function createTestContext(options: { poolSize?: number } = {}): Promise<TestContext> {
  const database = await createTestDatabase(options);
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'EdDSA' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'EdDSA' };
  const tokenVerifier = createTokenVerifier({
    keys: createLocalJWKSet({ keys: [publicJwk] }),
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
  });
  const deps: AppDeps = {
    db: database.db,
    logger: pino({ level: 'silent' }),
    tokenVerifier,
    readiness: async () => {
      await sql`select 1`.execute(database.db);
    },
  };
  return {
    database,
    db: database.db,
    deps,
    privateJwk,
    token: (roles, o = {}) =>
      mintToken({
        privateJwk,
        issuer: o.issuer ?? TEST_ISSUER,
        audience: o.audience ?? TEST_AUDIENCE,
        sub: o.sub ?? `test-${Array.isArray(roles) ? roles[0] : roles}`,
        roles: Array.isArray(roles) ? roles : [roles as Role],
        centre: o.centre,
        employer: o.employer,
        ...(o.ttlSeconds !== undefined ? { ttlSeconds: o.ttlSeconds } : {}),
        ...(o.now !== undefined ? { now: o.now } : {}),
      }),
    chainAudit: () => chainAllAuditEvents(database.db),
    close: () => database.close(),
  };
}

export interface TestResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface TestRequest {
  readonly token?: string;
  readonly body?: unknown;
  /** Raw body text, sent as-is (for malformed-input tests). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

/** Calls an app in-process (no socket) and parses a JSON or problem+json answer. */
// biome-ignore lint/suspicious/noExplicitAny: any app built on createApiApp
export async function call<T = any>(
  // biome-ignore lint/suspicious/noExplicitAny: any app built on createApiApp
  app: Hono<any>,
  method: string,
  path: string,
  request: TestRequest = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined;
  if (request.rawBody !== undefined) body = request.rawBody;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') && text.length > 0 ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}
