import { randomUUID } from 'node:crypto';
import { mintToken } from '@g2g/auth';
import type { Role } from '@g2g/domain';
import type { ApiApp } from '@g2g/http';
import { call, createTestContext, TEST_AUDIENCE, TEST_ISSUER, type TestContext } from '@g2g/http/testing';
import { registrationNumberFromSerial } from '@g2g/registration';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appFactories,
  concretePath,
  type DeclaredOperation,
  declaredOperations,
  placeholderPathValues,
} from './routes.ts';

// Tampered and forged bearer tokens, against every protected route of every app. The authorisation
// matrix (authz-matrix.test.ts) already refuses a missing, an expired and a wrong-audience token on
// every route; this file adds what an attacker would forge: `alg: none`, a payload changed after
// signing (a role added), a token signed by another key under the trusted key's id, a token from
// another issuer, and HS256 "signed" with the trusted public key (algorithm confusion). Each must be
// 401 problem+json that does not echo the token; the same route with an honest token is not 401.

const pathValues: Record<string, string> = {
  schemeId: 'g2g-malaysia-2013',
  windowId: 'g2g-my-test',
  employerId: 'emp-a',
  registrationNumber: registrationNumberFromSerial(1),
  demandId: randomUUID(),
  placementId: randomUUID(),
  version: '1',
  ...placeholderPathValues,
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

let ctx: TestContext;
let apps: Record<string, ApiApp>;
let protectedOps: (DeclaredOperation & { access: readonly string[] })[];
let otherKey: JWK;
let publicJwk: JWK;

const scope = (role: Role) => ({
  ...(role === 'centre_operator' ? { centre: 'U1414' } : {}),
  ...(role === 'employer' ? { employer: 'emp-a' } : {}),
});

beforeAll(async () => {
  ctx = await createTestContext();
  apps = Object.fromEntries(Object.entries(appFactories).map(([name, create]) => [name, create(ctx.deps)]));
  protectedOps = (await declaredOperations(apps)).filter(
    (op): op is DeclaredOperation & { access: readonly string[] } => op.access !== 'public',
  );
  const other = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  // Another key presenting itself under the trusted key's id.
  otherKey = { ...(await exportJWK(other.privateKey)), kid: ctx.privateJwk.kid, alg: 'EdDSA' };
  const { d: _private, ...pub } = ctx.privateJwk;
  publicJwk = pub;
});
afterAll(() => ctx.close());

type Forgery = (role: Role) => Promise<string>;

/** Algorithm confusion: HMAC "signed" with a secret an attacker knows (the public key). */
const hs256 = (role: Role, secret: Uint8Array) =>
  new SignJWT({ roles: [role], ...scope(role) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: publicJwk.kid! })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setSubject('attacker')
    .setExpirationTime('1h')
    .sign(secret);

/** Ways to get a token the apps must refuse, for a caller wanting `role`. */
const forgeries: Record<string, Forgery> = {
  'alg none': async (role) => {
    const [, payload] = (await ctx.token(role, scope(role))).split('.');
    return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
  },
  'payload changed after signing (role added)': async (role) => {
    // An honest token for a role without access, its payload rewritten to claim the needed role.
    const [header, payload, signature] = (await ctx.token('auditor')).split('.');
    const claims = decode(payload!);
    return `${header}.${b64({ ...claims, ...scope(role), roles: [role, 'auditor'] })}.${signature}`;
  },
  'signed by another key under the trusted kid': (role) =>
    mintToken({
      privateJwk: otherKey,
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      sub: 'attacker',
      roles: [role],
      ...scope(role),
    }),
  'from another issuer': (role) => ctx.token(role, { ...scope(role), issuer: 'urn:someone-else' }),
  'HS256 with the public key as the secret (JWK JSON)': (role) =>
    hs256(role, new TextEncoder().encode(JSON.stringify(publicJwk))),
  'HS256 with the public key as the secret (raw key bytes)': (role) =>
    hs256(role, Buffer.from(publicJwk.x!, 'base64url')),
};

describe('tampered and forged tokens', () => {
  it('covers every app', () => {
    expect(new Set(protectedOps.map((op) => op.app))).toEqual(new Set(Object.keys(appFactories)));
  });

  it.each(
    Object.keys(forgeries),
  )('refuses a token %s on every protected route of every app', async (name) => {
    const forge = forgeries[name]!;
    const accepted: string[] = [];
    for (const op of protectedOps) {
      const role = op.access[0] as Role;
      const token = await forge(role);
      const res = await call(apps[op.app]!, op.method, concretePath(op.path, pathValues), {
        token,
        ...(op.hasBody ? { body: {} } : {}),
      });
      if (res.status !== 401) {
        accepted.push(`${op.key}: ${res.status}`);
        continue;
      }
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated' });
      expect(res.text).not.toContain(token.split('.')[1]!);
    }
    expect(accepted).toEqual([]);
  });

  it('lets the same routes through with an honest token (so the 401s above are the forgery)', async () => {
    const refused: string[] = [];
    for (const op of protectedOps) {
      const role = op.access[0] as Role;
      const res = await call(apps[op.app]!, op.method, concretePath(op.path, pathValues), {
        token: await ctx.token(role, scope(role)),
        ...(op.hasBody ? { body: {} } : {}),
      });
      if (res.status === 401) refused.push(op.key);
    }
    expect(refused).toEqual([]);
  });
});
