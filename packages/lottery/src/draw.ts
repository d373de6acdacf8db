import { AppError } from '@g2g/domain';
import { apportion } from './apportion.ts';
import {
  compareIds,
  type DemandOrder,
  type DrawPolicy,
  fitsOrder,
  type StratumLevel,
  validatePolicy,
} from './policy.ts';
import { type CanonicalPool, GENDERS, geographyLookup } from './pool.ts';
import { ALGORITHM_ID, assertSeed, prngFor, Shuffle, shuffled, subSeed } from './random.ts';

/** Packs a member's rank within its stratum above its shuffle position (both below 2^26). */
const RANK_SHIFT = 2 ** 26;

/** Outcome codes of the columnar result are indices into this list. */
export const OUTCOMES = ['not-selected', 'selected', 'waitlisted'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const NOT_SELECTED = 0;
export const SELECTED = 1;
export const WAITLISTED = 2;

export interface StratumSummary {
  /** The geography id at the policy's level; 0 when the level is `none`. */
  readonly id: number;
  readonly registrants: number;
  /** Registrants, or the population from the policy's table. */
  readonly weight: number;
  /** Seats apportioned to the stratum; exactly this many of its entries are selected. */
  readonly quota: number;
  /** Entries on the stratum's waitlist (0 unless the waitlist is per stratum). */
  readonly waitlisted: number;
}

export interface OrderSummary {
  readonly id: string;
  readonly vacancies: number;
  readonly allocated: number;
  /** Entries on the order's waitlist (0 unless the waitlist is per order). */
  readonly waitlisted: number;
}

/**
 * The outcome of a draw, in columns indexed like the pool (canonical order). Serialise it with
 * `writeResult` / `resultLines`, or read it as objects with `resultRows`.
 */
export interface DrawResult {
  readonly algorithm: typeof ALGORITHM_ID;
  readonly seed: string;
  readonly policy: DrawPolicy;
  readonly pool: CanonicalPool;
  /** Ascending stratum id. */
  readonly strata: readonly StratumSummary[];
  /** In the policy's order. */
  readonly orders: readonly OrderSummary[];
  /** Stratum id of each entry (0 when the level is `none`). */
  readonly stratum: Int32Array;
  /** Index into OUTCOMES. */
  readonly outcome: Uint8Array;
  /** 1-based global rank of each selected entry; 0 for the others. */
  readonly rank: Uint32Array;
  /** 1-based position on its stratum's or order's waitlist; 0 unless waitlisted. */
  readonly waitlistPosition: Uint32Array;
  /** Index into `policy.orders`: the order allocated (selected) or waited for (waitlisted); -1 for none. */
  readonly order: Int32Array;
  /** Entry indices of the selected, best rank first. */
  readonly ranking: Uint32Array;
}

/**
 * Runs a draw. Pure: the same pool, policy and seed give the same result on every platform.
 *
 * 1. Strata: entries grouped by the policy's level (one stratum, id 0, for `none`).
 * 2. Quotas: the total apportioned over strata (see `apportion`), remainder ties broken by a
 *    shuffle of the strata (ascending id) drawn from the sub-seed `apportionment`.
 * 3. In each stratum, its entries in canonical order are shuffled (forward Durstenfeld) from the
 *    sub-seed `stratum:<level>:<id>`; the first `quota` are selected, the next `length` (waitlist
 *    per stratum) are its waitlist in that order.
 * 4. Ranking: the selected, in canonical order, shuffled from the sub-seed `rank`.
 * 5. Allocation (if orders): in rank order, each selected entry gets the first of its preferred
 *    sectors, in preference order, having an order with a vacancy it fits (gender, age); among orders
 *    of that sector the lowest id (UTF-16 order) it fits wins.
 * 6. Waitlist per order: the non-selected, in canonical order, shuffled from the sub-seed `reserve`,
 *    are walked in that order; each joins the waitlist of the first order (same rule as 5) whose
 *    waitlist is not yet full, until every order's waitlist is full or the pool is exhausted.
 */
export function runDraw(pool: CanonicalPool, policyInput: DrawPolicy, seed: string): DrawResult {
  assertSeed(seed);
  const policy = validatePolicy(policyInput);
  const n = pool.size;
  const level = policy.quota.level;
  const stratum = stratumColumn(pool, level);

  // 1. Strata: ids with entries, ascending, and their sizes.
  let maxId = 0;
  for (let i = 0; i < n; i++) if (stratum[i]! > maxId) maxId = stratum[i]!;
  const sizeOf = new Uint32Array(maxId + 1);
  for (let i = 0; i < n; i++) sizeOf[stratum[i]!]!++;
  const ids: number[] = [];
  for (let id = 0; id <= maxId; id++) if (sizeOf[id]! > 0) ids.push(id);

  // 2. Quotas.
  const weights = ids.map((id) => {
    if (policy.quota.basis === 'registrants') return sizeOf[id]!;
    const population = policy.quota.population[String(id)];
    if (population === undefined) {
      throw new AppError('validation-failed', `The population table has no row for stratum ${id}.`, {
        errors: [
          { pointer: `/policy/quota/population/${id}`, detail: 'stratum has registrants but no population' },
        ],
      });
    }
    return population;
  });
  const tiePriority = new Uint32Array(ids.length);
  shuffled(ids.length, prngFor(subSeed(seed, 'apportionment'))).forEach((stratumIndex, position) => {
    tiePriority[stratumIndex] = position;
  });
  const quotas = apportion(
    policy.total,
    ids.map((id, t) => ({ weight: weights[t]!, capacity: sizeOf[id]! })),
    tiePriority,
  );

  // 3. Selection and per-stratum waitlists. Each stratum's shuffle gives the ranks (within the
  // stratum, in canonical order) of its first `ranked` members; sorted by that rank, they are
  // matched to entries in one sequential pass over the pool.
  const stratumWaitlist = policy.waitlist.per === 'stratum' ? policy.waitlist.length : 0;
  const indexOf = new Int32Array(maxId + 1);
  const picks: Float64Array[] = ids.map((id, t) => {
    indexOf[id] = t;
    const ranked = Math.min(sizeOf[id]!, quotas[t]! + stratumWaitlist);
    if (ranked === 0) return new Float64Array(0);
    const members = shuffled(sizeOf[id]!, prngFor(subSeed(seed, `stratum:${level}:${id}`)), ranked);
    // member rank · 2^26 + shuffle position, sorted: by member rank (both are below 2^26, see MAX_POOL_SIZE).
    return Float64Array.from(members, (member, position) => member * RANK_SHIFT + position).sort();
  });
  const outcome = new Uint8Array(n);
  const rank = new Uint32Array(n);
  const waitlistPosition = new Uint32Array(n);
  const order = new Int32Array(n).fill(-1);
  const selectedCount = quotas.reduce((a, b) => a + b, 0);
  const selected = new Uint32Array(selectedCount); // canonical order
  const seen = new Uint32Array(ids.length);
  const nextPick = new Uint32Array(ids.length);
  const wanted = Float64Array.from(picks, (p) => (p.length > 0 ? Math.floor(p[0]! / RANK_SHIFT) : -1));
  for (let i = 0, s = 0; i < n; i++) {
    const t = indexOf[stratum[i]!]!;
    if (seen[t]!++ !== wanted[t]) continue;
    const list = picks[t]!;
    const k = nextPick[t]!++;
    const position = list[k]! % RANK_SHIFT;
    wanted[t] = k + 1 < list.length ? Math.floor(list[k + 1]! / RANK_SHIFT) : -1;
    if (position < quotas[t]!) {
      outcome[i] = SELECTED;
      selected[s++] = i;
    } else {
      outcome[i] = WAITLISTED;
      waitlistPosition[i] = position - quotas[t]! + 1;
    }
  }
  const strata = ids.map((id, t) => ({
    id,
    registrants: sizeOf[id]!,
    weight: weights[t]!,
    quota: quotas[t]!,
    waitlisted: picks[t]!.length - quotas[t]!,
  }));

  // 4. Global ranking of the selected.
  const ranking = shuffled(selectedCount, prngFor(subSeed(seed, 'rank'))).map((k) => selected[k]!);
  for (let r = 0; r < selectedCount; r++) rank[ranking[r]!] = r + 1;

  // 5. Allocation, and 6. waitlists per order.
  const allocated = policy.orders.map(() => 0);
  const waitlisted = policy.orders.map(() => 0);
  if (policy.orders.length > 0) {
    const choose = orderChooser(pool, policy.orders);
    const remaining = policy.orders.map((o) => o.vacancies);
    for (let r = 0; r < selectedCount; r++) {
      const i = ranking[r]!;
      const o = choose(i, (k) => remaining[k]! > 0);
      if (o >= 0) {
        order[i] = o;
        remaining[o]!--;
        allocated[o]!++;
      }
    }
    if (policy.waitlist.per === 'order' && policy.waitlist.length > 0) {
      const length = policy.waitlist.length;
      const reserve = new Uint32Array(n - selectedCount);
      for (let i = 0, k = 0; i < n; i++) if (outcome[i] !== SELECTED) reserve[k++] = i;
      const walk = Shuffle.over(reserve, prngFor(subSeed(seed, 'reserve')));
      let open = policy.orders.length;
      for (let step = 0; step < reserve.length && open > 0; step++) {
        const i = walk.take();
        const o = choose(i, (k) => waitlisted[k]! < length);
        if (o >= 0) {
          outcome[i] = WAITLISTED;
          order[i] = o;
          waitlistPosition[i] = ++waitlisted[o]!;
          if (waitlisted[o] === length) open--;
        }
      }
    }
  }

  return {
    algorithm: ALGORITHM_ID,
    seed,
    policy,
    pool,
    strata,
    orders: policy.orders.map((o, k) => ({
      id: o.id,
      vacancies: o.vacancies,
      allocated: allocated[k]!,
      waitlisted: waitlisted[k]!,
    })),
    stratum,
    outcome,
    rank,
    waitlistPosition,
    order,
    ranking,
  };
}

/** Each entry's stratum id: its union, the union's ancestor at the level, or 0 for `none`. */
function stratumColumn(pool: CanonicalPool, level: StratumLevel): Int32Array {
  if (level === 'union') return pool.union;
  const stratum = new Int32Array(pool.size);
  if (level !== 'none') {
    const ancestor = geographyLookup(pool)[level];
    for (let i = 0; i < pool.size; i++) stratum[i] = ancestor[pool.union[i]!]!;
  }
  return stratum;
}

/**
 * The rule shared by allocation and per-order waitlists: for entry i, the first order, taking its
 * preferred sectors in preference order and, within a sector, orders by ascending id, that the entry
 * fits (gender, age) and that `hasRoom`; -1 if none.
 */
function orderChooser(
  pool: CanonicalPool,
  orders: readonly DemandOrder[],
): (i: number, hasRoom: (order: number) => boolean) => number {
  const byId = orders.map((_, k) => k).sort((a, b) => compareIds(orders[a]!.id, orders[b]!.id));
  // For each preference list, the orders its entry may take, in the order they are tried.
  const candidates = pool.preferenceLists.map((list) =>
    list.flatMap((sector) => byId.filter((k) => orders[k]!.sector === sector)),
  );
  return (i, hasRoom) => {
    const gender = GENDERS[pool.gender[i]!]!;
    const age = pool.age[i]!;
    for (const k of candidates[pool.preferences[i]!]!) {
      if (hasRoom(k) && fitsOrder(orders[k]!, gender, age)) return k;
    }
    return -1;
  };
}
