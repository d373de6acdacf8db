import { dateFromDayNumber } from '@g2g/domain';
import { type DrawResult, SELECTED } from './draw.ts';
import { GENDERS, geographyLookup } from './pool.ts';

/** A draw is blocked for review when any test's p-value is below this. */
export const FAIRNESS_THRESHOLD = 0.001;
/** Cells are merged until both the expected selected and expected not selected reach this. */
export const MIN_EXPECTED = 5;

export const FAIRNESS_DIMENSIONS = ['registration-day', 'centre', 'district', 'gender'] as const;
export type FairnessDimension = (typeof FAIRNESS_DIMENSIONS)[number];

/** One cell of a test: the groups with keys `from` .. `to` (one group when equal). */
export interface FairnessCell {
  readonly from: string;
  readonly to: string;
  readonly registrants: number;
  readonly observed: number;
  readonly expected: number;
}

export interface FairnessTest {
  readonly dimension: FairnessDimension;
  readonly cells: readonly FairnessCell[];
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
}

export interface FairnessReport {
  readonly threshold: number;
  readonly blocking: boolean;
  readonly tests: readonly FairnessTest[];
}

/**
 * Compares who was selected with what the policy predicts, by registration day, centre (union),
 * district and gender. Under the policy each entry of stratum s is selected with probability
 * quota_s / registrants_s, so a group's expected count is the sum of that over its entries.
 *
 * Groups with registrants are taken in key order (date, id, or male/female/other) and merged with
 * their successors until the cell's expected selected and expected not selected are both >= 5; a
 * remainder that never gets there joins the last cell. The statistic is Pearson's chi-square of the
 * selected / not-selected x cell table, sum of (O - E)^2 * n / (E * (n - E)), with k - 1 degrees of
 * freedom for k cells (k < 2: statistic 0, p-value 1). Stratified selection only lowers the
 * statistic's variance, so the p-value is conservative: it never raises false alarms, and a draw that
 * favours early registrations, a centre or a gender shows up as a tiny p-value.
 */
export function fairnessReport(result: DrawResult, threshold = FAIRNESS_THRESHOLD): FairnessReport {
  const pool = result.pool;
  const n = pool.size;
  let maxStratum = 0;
  for (const s of result.strata) maxStratum = Math.max(maxStratum, s.id);
  const probability = new Float64Array(maxStratum + 1);
  for (const s of result.strata) probability[s.id] = s.quota / s.registrants;
  const districtOf = geographyLookup(pool).district;
  let maxDistrict = 0;
  for (const row of pool.geography) maxDistrict = Math.max(maxDistrict, row.district);
  let firstDay = n > 0 ? pool.registeredOn[0]! : 0;
  let lastDay = firstDay;
  for (let i = 0; i < n; i++) {
    const day = pool.registeredOn[i]!;
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }

  // One pass over the pool tallies all four groupings (plain arrays: this loop runs 20M times).
  const days = tally(lastDay - firstDay + 1);
  const centres = tally(districtOf.length);
  const districts = tally(maxDistrict + 1);
  const genders = tally(GENDERS.length);
  const { union, registeredOn, gender } = pool;
  const { outcome, stratum } = result;
  for (let i = 0; i < n; i++) {
    const selected = outcome[i] === SELECTED ? 1 : 0;
    const p = probability[stratum[i]!]!;
    const u = union[i]!;
    const day = registeredOn[i]! - firstDay;
    days.registrants[day] = days.registrants[day]! + 1;
    days.observed[day] = days.observed[day]! + selected;
    days.expected[day] = days.expected[day]! + p;
    centres.registrants[u] = centres.registrants[u]! + 1;
    centres.observed[u] = centres.observed[u]! + selected;
    centres.expected[u] = centres.expected[u]! + p;
    const d = districtOf[u]!;
    districts.registrants[d] = districts.registrants[d]! + 1;
    districts.observed[d] = districts.observed[d]! + selected;
    districts.expected[d] = districts.expected[d]! + p;
    const g = gender[i]!;
    genders.registrants[g] = genders.registrants[g]! + 1;
    genders.observed[g] = genders.observed[g]! + selected;
    genders.expected[g] = genders.expected[g]! + p;
  }
  const tests = [
    chiSquareTest('registration-day', mergeSparseCells(groups(days, (k) => dateFromDayNumber(firstDay + k)))),
    chiSquareTest('centre', mergeSparseCells(groups(centres, String))),
    chiSquareTest('district', mergeSparseCells(groups(districts, String))),
    chiSquareTest('gender', mergeSparseCells(groups(genders, (k) => GENDERS[k]!))),
  ];
  return { threshold, blocking: tests.some((t) => t.pValue < threshold), tests };
}

/** Registrants, selected and expected selected per group key (a small dense integer). */
interface Tally {
  readonly registrants: Float64Array;
  readonly observed: Float64Array;
  readonly expected: Float64Array;
}

function tally(keys: number): Tally {
  return {
    registrants: new Float64Array(keys),
    observed: new Float64Array(keys),
    expected: new Float64Array(keys),
  };
}

/** The groups with registrants, in key order, each named by `label`. */
function groups(t: Tally, label: (key: number) => string): FairnessCell[] {
  const cells: FairnessCell[] = [];
  t.registrants.forEach((registrants, key) => {
    if (registrants === 0) return;
    const name = label(key);
    cells.push({ from: name, to: name, registrants, observed: t.observed[key]!, expected: t.expected[key]! });
  });
  return cells;
}

/** Merges consecutive cells until expected selected and not selected are both >= MIN_EXPECTED. */
export function mergeSparseCells(groups: readonly FairnessCell[]): FairnessCell[] {
  const cells: FairnessCell[] = [];
  let open: FairnessCell | null = null;
  const join = (a: FairnessCell, b: FairnessCell): FairnessCell => ({
    from: a.from,
    to: b.to,
    registrants: a.registrants + b.registrants,
    observed: a.observed + b.observed,
    expected: a.expected + b.expected,
  });
  for (const group of groups) {
    open = open === null ? group : join(open, group);
    if (open.expected >= MIN_EXPECTED && open.registrants - open.expected >= MIN_EXPECTED) {
      cells.push(open);
      open = null;
    }
  }
  if (open !== null) {
    const last = cells.pop();
    cells.push(last === undefined ? open : join(last, open));
  }
  return cells;
}

function chiSquareTest(dimension: FairnessDimension, cells: FairnessCell[]): FairnessTest {
  if (cells.length < 2) return { dimension, cells, statistic: 0, degreesOfFreedom: 0, pValue: 1 };
  let statistic = 0;
  for (const c of cells) {
    const d = c.observed - c.expected;
    statistic += (d * d * c.registrants) / (c.expected * (c.registrants - c.expected));
  }
  const degreesOfFreedom = cells.length - 1;
  return {
    dimension,
    cells,
    statistic,
    degreesOfFreedom,
    pValue: chiSquareSurvival(statistic, degreesOfFreedom),
  };
}

/** P(X >= statistic) for X chi-square distributed with `df` degrees of freedom. */
export function chiSquareSurvival(statistic: number, df: number): number {
  return regularizedGammaQ(df / 2, statistic / 2);
}

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the regularised upper incomplete gamma function, for a > 0, x >= 0:
 * by its power series (as 1 - P) when x < a + 1, else by its continued fraction (modified Lentz).
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0))
    throw new RangeError(`regularizedGammaQ: needs a > 0 and x >= 0, got ${a}, ${x}`);
  if (x === 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    return Math.max(0, 1 - sum * front);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.min(1, front * h);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, about 15 significant digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let k = 1; k < LANCZOS.length; k++) sum += LANCZOS[k]! / (z + k);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
