import { createHash, createHmac } from 'node:crypto';
import { type CanonicalValue, canonicalJson } from './canonical-json.ts';

/** Lowercase hex SHA-256 of a UTF-8 string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lowercase hex SHA-256 of the canonical JSON form of a value. */
export function digestOf(value: CanonicalValue): string {
  return sha256Hex(canonicalJson(value));
}

/** Lowercase hex HMAC-SHA-256, used for keyed hashes of personal identifiers. */
export function hmacSha256Hex(key: string | Uint8Array, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

export const HEX_DIGEST = /^[0-9a-f]{64}$/;
