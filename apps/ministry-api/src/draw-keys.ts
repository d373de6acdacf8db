import { readFileSync } from 'node:fs';
import { ensureDevKeyPair } from '@g2g/auth';
import { type CanonicalValue, canonicalJson } from '@g2g/domain';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';

/** The media type of draw manifests and promotion records signed by the ministry. */
export const MANIFEST_JWS_TYPE = 'g2g-draw+jws';

/** The ministry's draw-signing key: signs manifests and promotion records; publishes its public half. */
export interface DrawKeys {
  /** A compact JWS whose payload is the canonical JSON (RFC 8785) of `payload`. */
  sign(payload: CanonicalValue): Promise<string>;
  /** The public key set served at /.well-known/jwks.json. */
  jwks(): Promise<JSONWebKeySet>;
}

function publicHalf(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return { ...pub, use: 'sig' };
}

function keysFrom(load: () => Promise<JWK>): DrawKeys {
  let loaded: Promise<{ jwk: JWK; key: Awaited<ReturnType<typeof importJWK>> }> | undefined;
  const get = () => {
    loaded ??= load().then(async (jwk) => {
      if (!jwk.kid || !jwk.alg || !['EdDSA', 'ES256'].includes(jwk.alg)) {
        throw new Error('the draw signing key needs a kid and alg EdDSA or ES256');
      }
      return { jwk, key: await importJWK(jwk, jwk.alg) };
    });
    return loaded;
  };
  return {
    async sign(payload) {
      const { jwk, key } = await get();
      return new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
        .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid!, typ: MANIFEST_JWS_TYPE })
        .sign(key);
    },
    async jwks() {
      return { keys: [publicHalf((await get()).jwk)] };
    },
  };
}

/**
 * The signing key from `DRAW_SIGNING_KEY_FILE` (a private JWK, for production), else a development
 * key generated once under `<dataDir>/keys/draw-signing.*` (like the dev token key).
 */
export function configuredDrawKeys(options: { keyFile?: string | undefined; dataDir: string }): DrawKeys {
  if (options.keyFile) {
    const file = options.keyFile;
    return keysFrom(async () => JSON.parse(readFileSync(file, 'utf8')) as JWK);
  }
  return keysFrom(async () => (await ensureDevKeyPair(options.dataDir, 'draw-signing')).privateJwk);
}

/** A key that lives only in this process (tests, and apps built without a configured key). */
export function ephemeralDrawKeys(): DrawKeys {
  return keysFrom(async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    return { ...(await exportJWK(privateKey)), kid: `draw-ephemeral-${Date.now()}`, alg: 'EdDSA' };
  });
}
