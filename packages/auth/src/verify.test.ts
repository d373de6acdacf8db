import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './mint.ts';
import { createTokenVerifier, type TokenVerifier } from './verify.ts';

const issuer = 'urn:g2g:test-issuer';
const audience = 'urn:g2g:api';
let privateJwk: JWK;
let publicJwk: JWK;
let ecPrivate: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let verify: TokenVerifier;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  privateJwk = { ...(await exportJWK(ed.privateKey)), kid: 'ed', alg: 'EdDSA' };
  publicJwk = { ...(await exportJWK(ed.publicKey)), kid: 'ed', alg: 'EdDSA' };
  const ec = await generateKeyPair('ES256', { extractable: true });
  ecPrivate = ec.privateKey;
  const ecPublic = { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256' };
  verify = createTokenVerifier({
    keys: createLocalJWKSet({ keys: [publicJwk, ecPublic] }),
    issuer,
    audience,
  });
});

const mint = (overrides: Partial<Parameters<typeof mintToken>[0]> = {}) =>
  mintToken({ privateJwk, issuer, audience, sub: 'officer-7', roles: ['ministry_officer'], ...overrides });

async function rejection(token: string | Promise<string>) {
  try {
    await verify(await token);
  } catch (err) {
    return err as { code: string; detail: string };
  }
  throw new Error('the token was accepted');
}

describe('token verification', () => {
  it('accepts an EdDSA token from a known key and reads the principal', async () => {
    const principal = await verify(await mint({ roles: ['centre_operator', 'witness'], centre: 'U1414' }));
    expect(principal).toEqual({
      sub: 'officer-7',
      roles: ['centre_operator', 'witness'],
      centre: 'U1414',
      employer: undefined,
    });
  });

  it('accepts ES256 too', async () => {
    const token = await new SignJWT({ roles: ['auditor'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'ec' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('auditor-1')
      .setExpirationTime('1h')
      .sign(ecPrivate);
    expect((await verify(token)).roles).toEqual(['auditor']);
  });

  it('rejects an expired token', async () => {
    const err = await rejection(mint({ now: new Date(Date.now() - 13 * 3600_000) }));
    expect(err).toMatchObject({ code: 'unauthenticated', detail: 'The token has expired.' });
  });

  it('rejects a token for another audience or from another issuer', async () => {
    expect(await rejection(mint({ audience: 'urn:other:api' }))).toMatchObject({
      code: 'unauthenticated',
      detail: 'The token\'s "aud" claim is not acceptable here.',
    });
    expect(await rejection(mint({ issuer: 'urn:someone-else' }))).toMatchObject({
      detail: 'The token\'s "iss" claim is not acceptable here.',
    });
  });

  it('rejects a token signed by a key it does not know', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const otherJwk = { ...(await exportJWK(other.privateKey)), kid: 'ed', alg: 'EdDSA' };
    expect(
      await rejection(mintToken({ privateJwk: otherJwk, issuer, audience, sub: 'x', roles: ['auditor'] })),
    ).toMatchObject({
      code: 'unauthenticated',
      detail: 'The token signature is not valid.',
    });
  });

  it('rejects alg "none"', async () => {
    const payload = { sub: 'x', roles: ['ministry_officer'], iss: issuer, aud: audience, exp: now() + 600 };
    const err = await rejection(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`);
    expect(err.code).toBe('unauthenticated');
  });

  it('rejects HMAC signed with the public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const forged = await new SignJWT({ roles: ['ministry_officer'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'ed' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('attacker')
      .setExpirationTime('1h')
      .sign(secret);
    expect(await rejection(forged)).toMatchObject({
      code: 'unauthenticated',
      detail: 'The token is signed with an algorithm that is not allowed.',
    });
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const [h, , s] = (await mint()).split('.');
    const payload = {
      sub: 'officer-7',
      roles: ['ministry_officer', 'auditor'],
      iss: issuer,
      aud: audience,
      exp: now() + 600,
    };
    expect((await rejection(`${h}.${b64(payload)}.${s}`)).code).toBe('unauthenticated');
  });

  it('rejects tokens without usable role claims', async () => {
    expect((await rejection(mint({ roles: [] }))).detail).toMatch(/"roles" must be a non-empty array/);
    expect((await rejection(mint({ roles: ['king' as never] }))).detail).toMatch(/unknown role\(s\) king/);
    expect((await rejection(mint({ roles: ['centre_operator'] }))).detail).toMatch(/needs a "centre" claim/);
    expect((await rejection(mint({ roles: ['employer'] }))).detail).toMatch(/needs an "employer" claim/);
  });

  it('rejects a token without an expiry', async () => {
    const token = await new SignJWT({ roles: ['auditor'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('auditor-1')
      .sign(await (await import('jose')).importJWK(privateJwk, 'EdDSA'));
    expect((await rejection(token)).code).toBe('unauthenticated');
  });

  it('rejects garbage', async () => {
    expect((await rejection('not.a.jwt')).code).toBe('unauthenticated');
  });
});
