import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKeyPaths, ensureDevKeyPair, verificationKeys } from './keys.ts';
import { mintToken } from './mint.ts';
import { createTokenVerifier } from './verify.ts';

const issuer = 'urn:g2g:test-issuer';
const audience = 'urn:g2g:api';
let dir: string;
let server: Server;
let jwksUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'g2g-keys-'));
  const { publicJwks } = await ensureDevKeyPair(dir, 'idp');
  server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(publicJwks));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('verification keys', () => {
  it('generates a dev key pair once, private key readable only by its owner, and reuses it', async () => {
    const first = await ensureDevKeyPair(dir);
    const again = await ensureDevKeyPair(dir);
    expect(again.privateJwk).toEqual(first.privateJwk);
    expect(first.privateJwk.d).toBeDefined();
    expect(first.publicJwks.keys[0]?.d).toBeUndefined();
    expect(statSync(devKeyPaths(dir).privatePath).mode & 0o077).toBe(0);
  });

  it.each([
    ['a JWKS URL (the identity provider)', () => ({ kind: 'jwks-url' as const, url: jwksUrl })],
    ['a local JWKS file', () => ({ kind: 'jwks-file' as const, path: devKeyPaths(dir, 'idp').jwksPath })],
  ])('verifies tokens against %s', async (_label, source) => {
    const { privateJwk } = await ensureDevKeyPair(dir, 'idp');
    const verify = createTokenVerifier({ keys: await verificationKeys(source()), issuer, audience });
    const token = await mintToken({
      privateJwk,
      issuer,
      audience,
      sub: 'officer-1',
      roles: ['ministry_officer'],
    });
    expect((await verify(token)).sub).toBe('officer-1');
    const { privateJwk: devKey } = await ensureDevKeyPair(dir);
    const foreign = await mintToken({ privateJwk: devKey, issuer, audience, sub: 'x', roles: ['auditor'] });
    await expect(verify(foreign)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('verifies dev tokens against the dev key when no provider is configured', async () => {
    const verify = createTokenVerifier({
      keys: await verificationKeys({ kind: 'dev', dataDir: dir }),
      issuer,
      audience,
    });
    const { privateJwk } = await ensureDevKeyPair(dir);
    const token = await mintToken({
      privateJwk,
      issuer,
      audience,
      sub: 'op',
      roles: ['centre_operator'],
      centre: 'U0001',
    });
    expect((await verify(token)).centre).toBe('U0001');
  });

  it('refuses a JWKS file that is not JSON', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'not json');
    await expect(verificationKeys({ kind: 'jwks-file', path: bad })).rejects.toThrow();
  });
});
