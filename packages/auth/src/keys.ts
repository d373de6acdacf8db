import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';

/** Algorithms a token may be signed with. HMAC and `none` are never accepted. */
export const ALLOWED_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export type KeySource =
  | { readonly kind: 'jwks-url'; readonly url: string }
  | { readonly kind: 'jwks-file'; readonly path: string }
  | { readonly kind: 'dev'; readonly dataDir: string };

export interface DevKeyPair {
  readonly privateJwk: JWK;
  readonly publicJwks: JSONWebKeySet;
}

export function devKeyPaths(dataDir: string, name = 'dev-token') {
  const dir = join(dataDir, 'keys');
  return { privatePath: join(dir, `${name}.private.jwk.json`), jwksPath: join(dir, `${name}.jwks.json`) };
}

/**
 * Loads a local Ed25519 key pair under `<dataDir>/keys/`, generating it on first use. The private key
 * file is written 0600. Used for dev tokens (`pnpm token`) and, under another name, other local keys.
 */
export async function ensureDevKeyPair(dataDir: string, name = 'dev-token'): Promise<DevKeyPair> {
  const { privatePath, jwksPath } = devKeyPaths(dataDir, name);
  if (existsSync(privatePath) && existsSync(jwksPath)) {
    return {
      privateJwk: JSON.parse(readFileSync(privatePath, 'utf8')) as JWK,
      publicJwks: JSON.parse(readFileSync(jwksPath, 'utf8')) as JSONWebKeySet,
    };
  }
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `${name}-${randomUUID()}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  mkdirSync(dirname(privatePath), { recursive: true, mode: 0o700 });
  writeFileSync(privatePath, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  const publicJwks = { keys: [publicJwk] };
  writeFileSync(jwksPath, `${JSON.stringify(publicJwks, null, 2)}\n`);
  return { privateJwk, publicJwks };
}

/** Resolves where verification keys come from into jose's key lookup. */
export async function verificationKeys(source: KeySource): Promise<JWTVerifyGetKey> {
  switch (source.kind) {
    case 'jwks-url':
      return createRemoteJWKSet(new URL(source.url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    case 'jwks-file':
      return createLocalJWKSet(JSON.parse(readFileSync(source.path, 'utf8')) as JSONWebKeySet);
    case 'dev':
      return createLocalJWKSet((await ensureDevKeyPair(source.dataDir)).publicJwks);
    default: {
      const never: never = source;
      throw new Error(`unknown key source ${JSON.stringify(never)}`);
    }
  }
}
