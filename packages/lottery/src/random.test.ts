import { isAppError } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival } from './fairness.ts';
import { identity, prngFor, Shuffle, shuffled, subSeed, type Uint32Source, uniformIndex } from './random.ts';
import { seedOf } from './test-support.ts';

const TWO_POW_32 = 2 ** 32;

/** A 32-bit source that replays `values`, counting how many were drawn. */
function scripted(values: number[]): Uint32Source & { drawn: () => number } {
  let k = 0;
  const source = () => {
    if (k >= values.length) throw new Error('source exhausted');
    return values[k++]!;
  };
  return Object.assign(source, { drawn: () => k });
}

describe('prngFor', () => {
  it('is seedrandom xor4096 seeded with the hex string, outputs as unsigned 32-bit integers', () => {
    const next = prngFor('0'.repeat(64));
    const first = [next(), next(), next()];
    expect(first.every((u) => Number.isInteger(u) && u >= 0 && u < TWO_POW_32)).toBe(true);
    const again = prngFor('0'.repeat(64));
    expect([again(), again(), again()]).toEqual(first);
  });

  it('refuses anything but 64 lowercase hex characters', () => {
    for (const bad of ['', 'abc', 'A'.repeat(64), `${'0'.repeat(63)}g`, '0'.repeat(65), 'seed-of-the-day']) {
      let error: unknown;
      try {
        prngFor(bad);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error) && error.code === 'validation-failed').toBe(true);
    }
  });

  it('gives different streams for different sub-seeds', () => {
    const seed = seedOf('draw');
    const a = prngFor(subSeed(seed, 'stratum:union:1'));
    const b = prngFor(subSeed(seed, 'stratum:union:2'));
    expect([a(), a(), a()]).not.toEqual([b(), b(), b()]);
  });
});

describe('uniformIndex', () => {
  it('accepts exactly [0, limit) where limit is the largest multiple of n in 2^32, so no residue is favoured', () => {
    for (const n of [1, 2, 3, 6, 7, 1000, 4_540, 20_000_000, 3 * 2 ** 30, 2 ** 31 + 1, TWO_POW_32]) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      expect(limit % n).toBe(0);
      // The last accepted value maps to n - 1; every value from the limit up is redrawn.
      const rejected = limit < TWO_POW_32 ? [limit, TWO_POW_32 - 1] : [];
      const source = scripted([...rejected, limit - 1]);
      expect(uniformIndex(source, n)).toBe((limit - 1) % n);
      expect(source.drawn()).toBe(rejected.length + 1);
    }
  });

  it('redraws a whole run of rejected values (n = 3·2^30 rejects a quarter of the range)', () => {
    const n = 3 * 2 ** 30;
    const source = scripted([n, n + 1, TWO_POW_32 - 1, 2 ** 30, 0]);
    expect(uniformIndex(source, n)).toBe(2 ** 30);
    expect(source.drawn()).toBe(4);
    // A plain modulo would have mapped n + 1 to 1: values below 2^30 would come twice as often.
  });

  it('counts exactly: over a stratified sweep of the 32-bit range every residue of 6 occurs equally often', () => {
    const n = 6;
    const counts = new Array(n).fill(0);
    const step = 65_537; // coprime with 6, so the sweep visits every residue class evenly
    for (let u = 0; u < TWO_POW_32 - (TWO_POW_32 % n); u += step * n) {
      for (let r = 0; r < n; r++) counts[uniformIndex(() => u + r, n)]++;
    }
    expect(new Set(counts).size).toBe(1);
  });

  it('refuses n outside [1, 2^32]', () => {
    expect(() => uniformIndex(() => 0, 0)).toThrow(RangeError);
    expect(() => uniformIndex(() => 0, TWO_POW_32 + 1)).toThrow(RangeError);
    expect(() => uniformIndex(() => 0, 1.5)).toThrow(RangeError);
  });
});

describe('Shuffle', () => {
  it('performs forward Durstenfeld steps: j = i + uniformIndex(n - i), swap i and j', () => {
    // Draws 2, 0, 2, 1, 0 -> j = 2, 1, 4, 4, 4.
    expect([...shuffled(5, scripted([2, 0, 2, 1, 0]))]).toEqual([2, 1, 4, 0, 3]);
    // The same steps with the sparse (map) representation.
    const sparse = new Shuffle(5, scripted([2, 0, 2, 1, 0]), 0);
    expect([0, 1, 2, 3, 4].map(() => sparse.take())).toEqual([2, 1, 4, 0, 3]);
  });

  it('gives the first k positions of the full shuffle, sparse or dense', () => {
    for (const [n, k] of [
      [1000, 37],
      [1000, 999],
      [100_000, 5_000],
      [7, 7],
      [1, 1],
    ] as const) {
      const full = shuffled(n, prngFor(seedOf(`prefix ${n}`)));
      const prefix = shuffled(n, prngFor(seedOf(`prefix ${n}`)), k);
      expect([...prefix]).toEqual([...full.subarray(0, k)]);
      const sparse = new Shuffle(n, prngFor(seedOf(`prefix ${n}`)), 0);
      expect(Array.from({ length: k }, () => sparse.take())).toEqual([...prefix]);
    }
    const items = Uint32Array.from(identity(1000), (k) => 5 * k);
    const over = Shuffle.over(items, prngFor(seedOf('prefix 1000')));
    expect(Array.from({ length: 37 }, () => over.take())).toEqual(
      [...shuffled(1000, prngFor(seedOf('prefix 1000')), 37)].map((k) => 5 * k),
    );
    const all = shuffled(1000, prngFor(seedOf('permutation')));
    expect([...all].sort((a, b) => a - b)).toEqual([...identity(1000)]);
  });

  it('refuses to take more positions than it has', () => {
    const shuffle = new Shuffle(1, () => 0);
    expect(shuffle.take()).toBe(0);
    expect(() => shuffle.take()).toThrow(RangeError);
  });

  it('produces every permutation of 4 items equally often (chi-square over 24 cells, fixed seed)', () => {
    const counts = new Map<string, number>();
    const next = prngFor(seedOf('permutations'));
    const rounds = 48_000;
    for (let r = 0; r < rounds; r++) {
      const key = shuffled(4, next).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const expected = rounds / 24;
    const statistic = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chiSquareSurvival(statistic, 23)).toBeGreaterThan(0.001);
  });
});
