import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, type StratumShare } from './apportion.ts';

const inOrder = (count: number) => Array.from({ length: count }, (_, i) => i);

describe('apportion (largest remainder with capping)', () => {
  it('matches a hand computation: 5 seats over 6, 4 and 2 registrants', () => {
    // Exact shares 2.5, 1.667, 0.833: floors 2, 1, 0; the 2 seats left go to remainders 0.833 and 0.667.
    const strata = [6, 4, 2].map((n) => ({ weight: n, capacity: n }));
    expect(apportion(5, strata, inOrder(3))).toEqual([2, 2, 1]);
  });

  it('caps a stratum smaller than its share and shares its surplus among the rest', () => {
    // Population 1000/100/100 with 3/10/10 registrants, 8 seats: stratum 0's share 6.67 > 3, so it
    // gets 3; the remaining 5 seats split 2.5/2.5 between the others, the tie going by priority.
    const strata = [
      { weight: 1000, capacity: 3 },
      { weight: 100, capacity: 10 },
      { weight: 100, capacity: 10 },
    ];
    expect(apportion(8, strata, [0, 1, 2])).toEqual([3, 3, 2]);
    expect(apportion(8, strata, [0, 2, 1])).toEqual([3, 2, 3]);
  });

  it('caps in rounds until no share exceeds its capacity', () => {
    // Round 1: shares 9.01, 0.09, 0.90: stratum 0 is capped at 2. Round 2: 8 seats over weights 1 and 10:
    // 0.73 and 7.27 > 5, so stratum 2 is capped at 5. Round 3: the 3 seats left go to stratum 1.
    const strata: StratumShare[] = [
      { weight: 100, capacity: 2 },
      { weight: 1, capacity: 50 },
      { weight: 10, capacity: 5 },
    ];
    expect(apportion(10, strata, inOrder(3))).toEqual([2, 3, 5]);
  });

  it('selects everyone when the total exceeds the pool, and no one for a total of 0', () => {
    const strata = [3, 1, 7].map((n) => ({ weight: n, capacity: n }));
    expect(apportion(100, strata, inOrder(3))).toEqual([3, 1, 7]);
    expect(apportion(0, strata, inOrder(3))).toEqual([0, 0, 0]);
    expect(apportion(5, [], [])).toEqual([]);
  });

  it('gives a tiny stratum its proportional seat only when its remainder earns it', () => {
    const strata = [
      { weight: 1, capacity: 1 },
      { weight: 99, capacity: 99 },
    ];
    expect(apportion(10, strata, [0, 1])).toEqual([0, 10]);
    expect(apportion(60, strata, [0, 1])).toEqual([1, 59]);
  });

  it('always sums exactly, respects capacities, and agrees with a one-cap-at-a-time reference', () => {
    const stratum = fc.record({
      weight: fc.integer({ min: 1, max: 1_000_000 }),
      capacity: fc.integer({ min: 0, max: 500 }),
    });
    fc.assert(
      fc.property(
        fc.array(stratum, { maxLength: 40 }),
        fc.integer({ min: 0, max: 30_000 }),
        (strata, total) => {
          const priority = inOrder(strata.length).reverse();
          const seats = apportion(total, strata, priority);
          const capacity = strata.reduce((a, s) => a + s.capacity, 0);
          expect(seats.reduce((a, b) => a + b, 0)).toBe(Math.min(total, capacity));
          seats.forEach((seat, i) => {
            expect(seat).toBeGreaterThanOrEqual(0);
            expect(seat).toBeLessThanOrEqual(strata[i]!.capacity);
          });
          expect(seats).toEqual(reference(total, strata, priority));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses weights below 1 and negative capacities', () => {
    expect(() => apportion(1, [{ weight: 0, capacity: 1 }], [0])).toThrow(RangeError);
    expect(() => apportion(1, [{ weight: 1, capacity: -1 }], [0])).toThrow(RangeError);
  });
});

/**
 * An independent reading of the rule: cap the single most over-served stratum (largest share minus
 * capacity, compared exactly) one at a time, then Hamilton on the rest, ranking remainders by
 * cross-multiplication.
 */
function reference(total: number, strata: readonly StratumShare[], priority: readonly number[]): number[] {
  const seats = strata.map(() => 0);
  const open = new Set(strata.map((_, i) => i).filter((i) => strata[i]!.capacity > 0));
  let left = BigInt(
    Math.min(
      total,
      strata.reduce((a, s) => a + s.capacity, 0),
    ),
  );
  const weightOf = (i: number) => BigInt(strata[i]!.weight);
  for (;;) {
    const w = [...open].reduce((a, i) => a + weightOf(i), 0n);
    // Over by (left*w_i - cap_i*W)/W; the common denominator W lets us compare numerators.
    let worst = -1;
    let excess = 0n;
    for (const i of open) {
      const over = left * weightOf(i) - BigInt(strata[i]!.capacity) * w;
      if (over > excess) [worst, excess] = [i, over];
    }
    if (worst < 0) break;
    seats[worst] = strata[worst]!.capacity;
    left -= BigInt(strata[worst]!.capacity);
    open.delete(worst);
  }
  const w = [...open].reduce((a, i) => a + weightOf(i), 0n);
  const ranked = [...open];
  for (const i of ranked) seats[i] = Number((left * weightOf(i)) / w);
  const given = ranked.reduce((a, i) => a + BigInt(seats[i]!), 0n);
  ranked.sort((a, b) => {
    const ra = (left * weightOf(a)) % w;
    const rb = (left * weightOf(b)) % w;
    return ra === rb ? priority[a]! - priority[b]! : ra > rb ? -1 : 1;
  });
  for (let k = 0; k < Number(left - given); k++) seats[ranked[k]!]!++;
  return seats;
}
