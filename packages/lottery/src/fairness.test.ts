import { describe, expect, it } from 'vitest';
import { type DrawResult, runDraw, SELECTED } from './draw.ts';
import {
  chiSquareSurvival,
  type FairnessCell,
  fairnessReport,
  mergeSparseCells,
  regularizedGammaQ,
} from './fairness.ts';
import type { DrawPolicy } from './policy.ts';
import { poolFromEntries } from './pool.ts';
import { seedOf, syntheticEntries } from './test-support.ts';

describe('chi-square p-values (regularised upper incomplete gamma)', () => {
  it('matches reference values (scipy.stats.chi2.sf)', () => {
    const cases: [number, number, number][] = [
      [3.841458820694124, 1, 0.05],
      [18.307038053275146, 10, 0.05],
      [100, 50, 3.454931382984871e-5],
      [0.001, 3, 0.9999915920809419],
      [4539, 4539, 0.4972085826107007],
      [5000, 4539, 1.361698906089823e-6],
    ];
    for (const [x, df, p] of cases) expect(chiSquareSurvival(x, df)).toBeCloseTo(p, 10);
    // Two degrees of freedom: exactly exp(-x/2).
    expect(chiSquareSurvival(5, 2)).toBeCloseTo(Math.exp(-2.5), 14);
    expect(regularizedGammaQ(1, 0)).toBe(1);
    expect(() => regularizedGammaQ(0, 1)).toThrow(RangeError);
  });
});

describe('mergeSparseCells', () => {
  const cell = (key: string, registrants: number, expected: number): FairnessCell => ({
    from: key,
    to: key,
    registrants,
    observed: 0,
    expected,
  });

  it('merges consecutive cells until expected selected and not selected both reach 5, remainder into the last', () => {
    const cells = mergeSparseCells([
      cell('a', 10, 2),
      cell('b', 10, 4),
      cell('c', 100, 5),
      cell('d', 8, 4),
      cell('e', 2, 0.5),
    ]);
    expect(cells.map((c) => [c.from, c.to, c.registrants, c.expected])).toEqual([
      ['a', 'b', 20, 6],
      ['c', 'e', 110, 9.5],
    ]);
  });

  it('keeps a lone sparse group as one cell', () => {
    expect(mergeSparseCells([cell('a', 3, 1)]).length).toBe(1);
    expect(mergeSparseCells([])).toEqual([]);
  });
});

const policy: DrawPolicy = {
  total: 150,
  quota: { level: 'union', basis: 'registrants' },
  orders: [],
  waitlist: { per: 'none' },
};

/** The same result with the selection replaced: `pick` chooses which `quota` members of each stratum. */
function rigged(result: DrawResult, pick: (members: number[]) => number[]): DrawResult {
  const outcome = new Uint8Array(result.outcome.length);
  for (const s of result.strata) {
    const members = [...outcome.keys()].filter((i) => result.stratum[i] === s.id);
    for (const i of pick(members).slice(0, s.quota)) outcome[i] = SELECTED;
  }
  return { ...result, outcome };
}

describe('fairness report', () => {
  // 3,000 registrations over 20 days at 6 centres of uneven size, in registration order.
  const pool = poolFromEntries(syntheticEntries({ size: 3000, days: 20, label: 'fairness' }));

  it('does not block honest draws (50 fixed seeds, threshold 0.001 on each of 4 tests)', () => {
    for (let k = 0; k < 50; k++) {
      const report = fairnessReport(runDraw(pool, policy, seedOf(`honest ${k}`)));
      expect(report.blocking).toBe(false);
      expect(report.tests.map((t) => t.dimension)).toEqual([
        'registration-day',
        'centre',
        'district',
        'gender',
      ]);
    }
  });

  it('reports exact agreement where quotas fix the counts', () => {
    const report = fairnessReport(runDraw(pool, policy, seedOf('exact')));
    const centre = report.tests.find((t) => t.dimension === 'centre')!;
    expect(centre.statistic).toBeCloseTo(0, 9);
    expect(centre.pValue).toBeCloseTo(1, 9);
    for (const c of centre.cells) expect(c.observed).toBeCloseTo(c.expected, 9);
  });

  it('blocks a draw that favours early registrations (the DV-2012 failure), even within quotas', () => {
    const honest = runDraw(pool, policy, seedOf('dv-2012'));
    // Broken engine: each centre takes its quota from its first registrations (entry order).
    const report = fairnessReport(rigged(honest, (members) => members));
    expect(report.blocking).toBe(true);
    const day = report.tests.find((t) => t.dimension === 'registration-day')!;
    expect(day.pValue).toBeLessThan(1e-12);
    // The per-centre quotas were respected, so the centre test alone could not catch it.
    expect(report.tests.find((t) => t.dimension === 'centre')!.pValue).toBeCloseTo(1, 9);
  });

  it('blocks a draw that favours a gender', () => {
    const honest = runDraw(pool, policy, seedOf('gender'));
    const men = (i: number) => (pool.gender[i] === 0 ? 0 : 1);
    const report = fairnessReport(rigged(honest, (members) => [...members].sort((a, b) => men(a) - men(b))));
    expect(report.blocking).toBe(true);
    expect(report.tests.find((t) => t.dimension === 'gender')!.pValue).toBeLessThan(0.001);
  });

  it('blocks a draw that ignores the quotas and favours one centre', () => {
    const honest = runDraw(
      pool,
      { ...policy, quota: { level: 'none', basis: 'registrants' } },
      seedOf('centre'),
    );
    const outcome = new Uint8Array(pool.size);
    const favoured = [...outcome.keys()].filter((i) => pool.union[i] === 6);
    for (const i of favoured.slice(0, 150)) outcome[i] = SELECTED;
    const report = fairnessReport({ ...honest, outcome });
    expect(report.blocking).toBe(true);
    expect(report.tests.find((t) => t.dimension === 'centre')!.pValue).toBeLessThan(1e-12);
  });
});

describe('uniform selection over many seeds', () => {
  // 600 registrations at 6 centres over 12 days; 60 selected with union quotas; 400 fixed seeds.
  const pool = poolFromEntries(syntheticEntries({ size: 600, days: 12, label: 'uniformity' }));
  const small: DrawPolicy = { ...policy, total: 60 };
  const seeds = 400;
  const counts = new Float64Array(pool.size);
  // Expected selections: the sum over draws of quota/registrants of the entry's stratum (remainder
  // ties are broken by the seed, so a stratum's quota can differ by one between draws).
  const expectedCounts = new Float64Array(pool.size);
  for (let k = 0; k < seeds; k++) {
    const result = runDraw(pool, small, seedOf(`uniform ${k}`));
    for (const i of result.ranking) counts[i]!++;
    const share = new Map(result.strata.map((s) => [s.id, s.quota / s.registrants]));
    for (let i = 0; i < pool.size; i++) {
      expectedCounts[i] = expectedCounts[i]! + share.get(result.stratum[i]!)!;
    }
  }

  /** Pearson's chi-square of observed against expected selections, grouped by `key`. */
  const pValueBy = (key: (i: number) => number) => {
    const observed = new Map<number, number>();
    const expected = new Map<number, number>();
    const size = new Map<number, number>();
    for (let i = 0; i < pool.size; i++) {
      observed.set(key(i), (observed.get(key(i)) ?? 0) + counts[i]!);
      expected.set(key(i), (expected.get(key(i)) ?? 0) + expectedCounts[i]!);
      size.set(key(i), (size.get(key(i)) ?? 0) + seeds);
    }
    let statistic = 0;
    for (const [k, e] of expected) {
      const d = observed.get(k)! - e;
      statistic += (d * d * size.get(k)!) / (e * (size.get(k)! - e));
    }
    return chiSquareSurvival(statistic, expected.size - 1);
  };

  it('selects every pool position equally often within its stratum (p > 0.001)', () => {
    expect(pValueBy((i) => i)).toBeGreaterThan(0.001);
  });

  it('is uniform across registration days, centres and strata (p > 0.001)', () => {
    expect(pValueBy((i) => pool.registeredOn[i]!)).toBeGreaterThan(0.001);
    expect(pValueBy((i) => pool.union[i]!)).toBeGreaterThan(0.001);
    expect(pValueBy((i) => pool.gender[i]!)).toBeGreaterThan(0.001);
  });

  it('gives the first and last registrations of each centre the same chance', () => {
    const early = (i: number) => (pool.registeredOn[i]! <= pool.registeredOn[0]! + 2 ? 1 : 0);
    expect(pValueBy(early)).toBeGreaterThan(0.001);
  });
});
