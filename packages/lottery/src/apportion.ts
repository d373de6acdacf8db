/** One stratum as apportionment sees it: its weight (registrants or population) and its size. */
export interface StratumShare {
  readonly weight: number;
  readonly capacity: number;
}

/**
 * Shares `total` seats between strata in proportion to their weights, by the largest-remainder
 * (Hamilton) method, never giving a stratum more seats than its capacity:
 *
 * 1. The total is capped at the sum of capacities.
 * 2. Capping (water-filling): with R seats left for the open strata and W the sum of their weights,
 *    every open stratum whose exact share R·w/W exceeds its capacity is given its capacity and
 *    closed; repeat until no open stratum's share exceeds its capacity.
 * 3. Each open stratum gets floor(R·w/W); the seats left over go one each to the open strata with
 *    the largest remainders (R·w mod W), ties going to the stratum earlier in `tiePriority`
 *    (the position of each stratum in a permutation drawn from the seed; lower wins).
 *
 * Arithmetic is exact (bigint). Weights must be positive integers, capacities non-negative integers.
 * Returns the seats of each stratum, in input order; they always sum to min(total, sum of capacities).
 */
export function apportion(
  total: number,
  strata: readonly StratumShare[],
  tiePriority: ArrayLike<number>,
): number[] {
  const seats = strata.map(() => 0);
  const open = new Set<number>();
  let capacity = 0;
  strata.forEach((s, i) => {
    if (
      !Number.isSafeInteger(s.weight) ||
      s.weight < 1 ||
      !Number.isSafeInteger(s.capacity) ||
      s.capacity < 0
    ) {
      throw new RangeError(`apportion: stratum ${i} needs a positive weight and a non-negative capacity`);
    }
    capacity += s.capacity;
    if (s.capacity > 0) open.add(i);
  });
  let remaining = BigInt(Math.min(total, capacity));
  if (remaining === 0n) return seats;

  let weightSum = 0n;
  for (;;) {
    weightSum = 0n;
    for (const i of open) weightSum += BigInt(strata[i]!.weight);
    const over = [...open].filter(
      (i) => remaining * BigInt(strata[i]!.weight) > BigInt(strata[i]!.capacity) * weightSum,
    );
    if (over.length === 0) break;
    for (const i of over) {
      seats[i] = strata[i]!.capacity;
      remaining -= BigInt(strata[i]!.capacity);
      open.delete(i);
    }
  }

  const remainders: { i: number; remainder: bigint }[] = [];
  let given = 0n;
  for (const i of open) {
    const share = remaining * BigInt(strata[i]!.weight);
    const whole = share / weightSum;
    seats[i] = Number(whole);
    given += whole;
    remainders.push({ i, remainder: share % weightSum });
  }
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? tiePriority[a.i]! - tiePriority[b.i]! : a.remainder > b.remainder ? -1 : 1,
  );
  const extra = Number(remaining - given);
  for (let k = 0; k < extra; k++) seats[remainders[k]!.i]!++;
  return seats;
}
