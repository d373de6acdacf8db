import { AppError } from '@g2g/domain';
import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ALLOWED_ALGORITHMS } from './keys.ts';
import { type Principal, principalFromClaims } from './principal.ts';

export interface TokenVerifierOptions {
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds of clock skew tolerated on exp/nbf. */
  readonly clockToleranceSeconds?: number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** How long a verified token is remembered (bounded by its own expiry), and how many are. */
const REMEMBER_MS = 5 * 60_000;
const REMEMBER_MAX = 10_000;

/**
 * Verifies a compact JWS: signature by a known key, algorithm in the allow-list (EdDSA, ES256),
 * issuer, audience, expiry (required). Any failure is `unauthenticated` with a reason that does not
 * echo the token.
 *
 * A token that verified is remembered for up to five minutes (never past its expiry), so that an
 * operator's stream of requests costs one signature check rather than one each: at 1,500
 * registrations a second the signature check would otherwise be a good part of the CPU budget.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const verified = new Map<string, { principal: Principal; until: number }>();
  return async (token: string) => {
    const now = Date.now();
    const known = verified.get(token);
    if (known && known.until > now) return known.principal;
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        algorithms: [...ALLOWED_ALGORITHMS],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSeconds ?? 30,
      });
      const principal = principalFromClaims(payload);
      if (verified.size >= REMEMBER_MAX) verified.clear();
      verified.set(token, { principal, until: Math.min(now + REMEMBER_MS, (payload.exp ?? 0) * 1000) });
      return principal;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('unauthenticated', describe(err), { cause: err });
    }
  };
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The token has expired.';
  if (err instanceof errors.JWTClaimValidationFailed) {
    return `The token's "${err.claim}" claim is not acceptable here.`;
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return 'The token is signed with an algorithm that is not allowed.';
  if (err instanceof errors.JWKSNoMatchingKey) return 'The token is not signed by a known key.';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is not valid.';
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JOSENotSupported) {
    return 'The token could not be verified.';
  }
  return 'The token is malformed or could not be verified.';
}
