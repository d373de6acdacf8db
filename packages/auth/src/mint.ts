import type { Role } from '@g2g/domain';
import { importJWK, type JWK, SignJWT } from 'jose';

export interface MintTokenInput {
  readonly privateJwk: JWK;
  readonly issuer: string;
  readonly audience: string;
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly centre?: string | undefined;
  readonly employer?: string | undefined;
  readonly ttlSeconds?: number;
  readonly now?: Date;
}

/** Signs a token with a local key (dev tokens, tests). Default lifetime: 12 hours. */
export async function mintToken(input: MintTokenInput): Promise<string> {
  const alg = input.privateJwk.alg ?? 'EdDSA';
  const key = await importJWK(input.privateJwk, alg);
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    roles: [...input.roles],
    ...(input.centre ? { centre: input.centre } : {}),
    ...(input.employer ? { employer: input.employer } : {}),
  })
    .setProtectedHeader({ alg, typ: 'JWT', ...(input.privateJwk.kid ? { kid: input.privateJwk.kid } : {}) })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setSubject(input.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (input.ttlSeconds ?? 12 * 3600))
    .sign(key);
}
