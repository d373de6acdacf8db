import { AppError, digestOf, type FieldError, HEX_DIGEST, sha256Hex } from '@g2g/domain';
import { compareIds } from './policy.ts';
import { ALGORITHM_ID } from './random.ts';

/** Draw and witness ids: 1-128 characters from A-Z a-z 0-9 . _ : - (no escaping anywhere). */
const CEREMONY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A witness's revealed secret: 32 random bytes as 64 lowercase hex characters. */
export interface Reveal {
  readonly witnessId: string;
  readonly secret: string;
}

export interface SeedInputs {
  readonly drawId: string;
  /** The pool hash of the frozen pool (`poolHash`). */
  readonly poolHash: string;
  /** Any order: the derivation sorts them by witness id. */
  readonly reveals: readonly Reveal[];
  /** A public value fixed after the commitments (e.g. a randomness beacon pulse), or null. */
  readonly beacon: string | null;
}

function refuse(errors: FieldError[]): AppError {
  return new AppError('validation-failed', `Invalid ceremony input: ${errors[0]!.detail}`, { errors });
}

/**
 * A witness's commitment: SHA-256 of the 64 ASCII characters of the secret, as lowercase hex
 * (`printf %s "$secret" | sha256sum`).
 */
export function commitmentOf(secretHex: string): string {
  if (typeof secretHex !== 'string' || !HEX_DIGEST.test(secretHex)) {
    throw refuse([{ pointer: '/secret', detail: 'a secret is 64 lowercase hexadecimal characters' }]);
  }
  return sha256Hex(secretHex);
}

/**
 * The draw seed: SHA-256 of the canonical JSON (RFC 8785, as `canonicalJson`) of
 * `{ algorithm, beacon, drawId, poolHash, reveals: [{ secret, witnessId }, ...] }`, reveals sorted by
 * witness id (UTF-16 code unit order). Needs at least one reveal or a beacon.
 */
export function deriveSeed(inputs: SeedInputs): string {
  const errors: FieldError[] = [];
  const { drawId, poolHash, reveals, beacon } = inputs;
  if (typeof drawId !== 'string' || !CEREMONY_ID.test(drawId)) {
    errors.push({ pointer: '/drawId', detail: 'ids are 1-128 characters from A-Z a-z 0-9 . _ : -' });
  }
  if (typeof poolHash !== 'string' || !HEX_DIGEST.test(poolHash)) {
    errors.push({ pointer: '/poolHash', detail: 'expected a lowercase hex SHA-256 digest' });
  }
  if (beacon !== null && typeof beacon !== 'string') {
    errors.push({ pointer: '/beacon', detail: 'expected a string or null' });
  }
  if (!Array.isArray(reveals)) {
    errors.push({ pointer: '/reveals', detail: 'expected an array' });
  } else {
    if (reveals.length === 0 && beacon === null) {
      errors.push({ pointer: '/reveals', detail: 'a seed needs at least one reveal or a beacon' });
    }
    const seen = new Set<string>();
    reveals.forEach((r: Reveal, i) => {
      if (typeof r?.witnessId !== 'string' || !CEREMONY_ID.test(r.witnessId)) {
        errors.push({
          pointer: `/reveals/${i}/witnessId`,
          detail: 'ids are 1-128 characters from A-Z a-z 0-9 . _ : -',
        });
      } else if (seen.has(r.witnessId)) {
        errors.push({ pointer: `/reveals/${i}/witnessId`, detail: `witness ${r.witnessId} revealed twice` });
      }
      seen.add(r?.witnessId);
      if (typeof r?.secret !== 'string' || !HEX_DIGEST.test(r.secret)) {
        errors.push({
          pointer: `/reveals/${i}/secret`,
          detail: 'a secret is 64 lowercase hexadecimal characters',
        });
      }
    });
  }
  if (errors.length > 0) throw refuse(errors);
  const sorted = [...reveals].sort((a, b) => compareIds(a.witnessId, b.witnessId));
  return digestOf({
    algorithm: ALGORITHM_ID,
    beacon,
    drawId,
    poolHash,
    reveals: sorted.map((r) => ({ secret: r.secret, witnessId: r.witnessId })),
  });
}
