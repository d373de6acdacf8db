import { AppError, HEX_DIGEST, sha256Hex } from '@g2g/domain';
import xor4096 from 'seedrandom/lib/xor4096.js';

/**
 * The algorithm identifier stored in every draw manifest. It names this engine's rules (version 1)
 * and the one pseudo-random generator it uses, with the exact version of the package providing it.
 */
export const ALGORITHM_ID = 'g2g-lottery/1 (seedrandom-xor4096@3.0.5)';

/** A source of independent, uniformly distributed unsigned 32-bit integers. */
export type Uint32Source = () => number;

const TWO_POW_32 = 4_294_967_296;

/** Throws unless `seed` is a lowercase hex SHA-256 digest (64 characters). */
export function assertSeed(seed: unknown, pointer = '/seed'): asserts seed is string {
  if (typeof seed !== 'string' || !HEX_DIGEST.test(seed)) {
    throw new AppError('validation-failed', 'A seed must be 64 lowercase hexadecimal characters.', {
      errors: [{ pointer, detail: 'expected a lowercase hex SHA-256 digest' }],
    });
  }
}

/**
 * The seed of one independent stream of the draw: SHA-256 over the ASCII text `<seed>|<label>`,
 * as lowercase hex. Labels: `apportionment`, `stratum:<level>:<id>`, `rank`, `reserve`.
 */
export function subSeed(seed: string, label: string): string {
  assertSeed(seed);
  return sha256Hex(`${seed}|${label}`);
}

/**
 * The engine's only generator: seedrandom's xor4096 (Brent's xorgens), seeded with the 64-character
 * hex string itself, returning its 32-bit outputs as unsigned integers.
 */
export function prngFor(seedHex: string): Uint32Source {
  assertSeed(seedHex);
  const int32 = xor4096(seedHex).int32;
  return () => int32() >>> 0;
}

/**
 * An exactly uniform integer in [0, n) for 1 <= n <= 2^32: draws below the largest multiple of n
 * that fits in 32 bits are reduced modulo n, draws at or above it are rejected and redrawn.
 */
export function uniformIndex(next: Uint32Source, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
    throw new RangeError(`uniformIndex: n must be an integer in [1, 2^32], got ${n}`);
  }
  const limit = TWO_POW_32 - (TWO_POW_32 % n);
  let u = next();
  while (u >= limit) u = next();
  return u % n;
}

/**
 * The forward Durstenfeld (Fisher–Yates) shuffle of 0, 1, .., n-1, taken one position at a time:
 * step i draws j = i + uniformIndex(n - i) and swaps positions i and j; `take()` performs the next
 * step and returns the element that ends at position i. Positions are final once taken, so a draw
 * that needs only the first k pays for k steps. When few steps are expected (8k < n) the displaced
 * elements are kept in a map instead of an n-element array: same draws, same result, O(k) memory.
 */
export class Shuffle {
  readonly #size: number;
  readonly #next: Uint32Source;
  readonly #dense: Uint32Array | null;
  readonly #moved = new Map<number, number>();
  #step = 0;

  constructor(size: number, next: Uint32Source, expectedSteps = size, items: Uint32Array | null = null) {
    this.#size = size;
    this.#next = next;
    this.#dense = items ?? (expectedSteps * 8 >= size ? identity(size) : null);
  }

  /** A shuffle of `items` itself (in place, which it takes over): `take()` returns its elements. */
  static over(items: Uint32Array, next: Uint32Source): Shuffle {
    return new Shuffle(items.length, next, items.length, items);
  }

  take(): number {
    const i = this.#step++;
    const m = this.#size - i;
    if (m <= 0) throw new RangeError('Shuffle: every position has been taken');
    const limit = TWO_POW_32 - (TWO_POW_32 % m);
    let u = this.#next();
    while (u >= limit) u = this.#next();
    const j = i + (u % m);
    const dense = this.#dense;
    if (dense !== null) {
      const placed = dense[j]!;
      dense[j] = dense[i]!;
      dense[i] = placed;
      return placed;
    }
    const moved = this.#moved;
    const placed = moved.get(j) ?? j;
    if (j !== i) moved.set(j, moved.get(i) ?? i);
    moved.delete(i);
    return placed;
  }
}

/** The first `steps` positions of the shuffle of 0, 1, .., n-1 (all of it by default). */
export function shuffled(n: number, next: Uint32Source, steps = n): Uint32Array {
  const shuffle = new Shuffle(n, next, steps);
  const out = new Uint32Array(Math.min(steps, n));
  for (let k = 0; k < out.length; k++) out[k] = shuffle.take();
  return out;
}

/** 0, 1, .., n-1 in a Uint32Array. */
export function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
