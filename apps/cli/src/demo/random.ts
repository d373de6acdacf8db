import { sha256Hex } from '@g2g/domain';

/**
 * The demo's only source of randomness for synthetic data (never for a draw): a small seeded
 * generator (sfc32, seeded from SHA-256 of the seed text), so the same `--seed` and scale give the
 * same registrants, employers and orders on every run.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An index chosen with probability proportional to `weights[i]` (cumulative weights given). */
  weighted(cumulative: readonly number[]): number;
  /** true with probability p. */
  chance(p: number): boolean;
}

export function seededRandom(seed: string): Random {
  const h = sha256Hex(`g2g-demo|${seed}`);
  let a = Number.parseInt(h.slice(0, 8), 16) >>> 0;
  let b = Number.parseInt(h.slice(8, 16), 16) >>> 0;
  let c = Number.parseInt(h.slice(16, 24), 16) >>> 0;
  let d = Number.parseInt(h.slice(24, 32), 16) >>> 0;
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 4_294_967_296;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    weighted: (cumulative) => {
      const total = cumulative[cumulative.length - 1] ?? 0;
      const x = next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}

/** Running totals of `weights`, for `Random.weighted`. */
export function cumulativeOf(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
}
