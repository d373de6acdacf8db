import { AppError } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import { deriveSeed } from './ceremony.ts';
import { NOT_SELECTED, runDraw, SELECTED, WAITLISTED } from './draw.ts';
import type { DrawPolicy } from './policy.ts';
import { type PoolEntry, poolFromEntries } from './pool.ts';
import { poolHash } from './pool-format.ts';
import { resultHash, resultLines, resultRows } from './result-format.ts';
import { seedOf, shuffled, syntheticEntries } from './test-support.ts';

const unionQuota: DrawPolicy = {
  total: 40,
  quota: { level: 'union', basis: 'registrants' },
  orders: [],
  waitlist: { per: 'stratum', length: 3 },
};

describe('runDraw', () => {
  const entries = syntheticEntries({ size: 400 });
  const pool = poolFromEntries(entries);
  const seed = seedOf('draw');

  it('selects exactly each stratum quota and ranks the selected 1..n', () => {
    const result = runDraw(pool, unionQuota, seed);
    expect(result.strata.reduce((a, s) => a + s.quota, 0)).toBe(40);
    for (const s of result.strata) {
      const members = [...result.outcome.keys()].filter((i) => result.stratum[i] === s.id);
      expect(members.length).toBe(s.registrants);
      expect(members.filter((i) => result.outcome[i] === SELECTED).length).toBe(s.quota);
      const waitlist = members
        .filter((i) => result.outcome[i] === WAITLISTED)
        .map((i) => result.waitlistPosition[i]);
      expect(waitlist.sort()).toEqual([1, 2, 3].slice(0, Math.min(3, s.registrants - s.quota)));
    }
    const ranks = [...result.rank].filter((r) => r > 0).sort((a, b) => a - b);
    expect(ranks).toEqual(Array.from({ length: 40 }, (_, k) => k + 1));
    expect([...result.ranking].map((i) => result.rank[i])).toEqual(ranks);
  });

  it('gives the same bytes whatever the insertion order of the pool', () => {
    const again = poolFromEntries(shuffled(entries, 'another order'));
    expect(resultLines(runDraw(again, unionQuota, seed))).toEqual(
      resultLines(runDraw(pool, unionQuota, seed)),
    );
  });

  it('gives a different result for a different seed, and the same for the same seed', () => {
    const a = resultHash(runDraw(pool, unionQuota, seed));
    expect(resultHash(runDraw(pool, unionQuota, seed))).toBe(a);
    expect(resultHash(runDraw(pool, unionQuota, seedOf('other')))).not.toBe(a);
  });

  it('refuses a seed that is not 64 lowercase hex characters', () => {
    for (const bad of ['', seed.toUpperCase(), seed.slice(1), `${seed}0`, 'draw of 2013-03-01']) {
      expect(() => runDraw(pool, unionQuota, bad)).toThrow(AppError);
    }
  });

  it('selects the whole pool when the total exceeds it, and nobody for a total of 0', () => {
    const all = runDraw(pool, { ...unionQuota, total: 10_000 }, seed);
    expect(all.outcome.every((o) => o === SELECTED)).toBe(true);
    const none = runDraw(pool, { ...unionQuota, total: 0, waitlist: { per: 'none' } }, seed);
    expect(none.outcome.every((o) => o === NOT_SELECTED)).toBe(true);
    expect(none.ranking.length).toBe(0);
  });

  it('runs on an empty pool', () => {
    const empty = runDraw(poolFromEntries([]), unionQuota, seed);
    expect(empty.strata).toEqual([]);
    expect(resultLines(empty)).toEqual([]);
  });

  it('draws without strata when the level is none', () => {
    const result = runDraw(pool, { ...unionQuota, quota: { level: 'none', basis: 'registrants' } }, seed);
    expect(result.strata).toEqual([{ id: 0, registrants: 400, weight: 400, quota: 40, waitlisted: 3 }]);
    expect(resultRows(result).every((row) => row.stratum === 0)).toBe(true);
  });

  it('apportions by a population table, ignoring rows for strata without registrants', () => {
    const population = { '1': 1000, '2': 1000, '3': 1000, '4': 1000, '5': 1000, '6': 5000, '99': 1_000_000 };
    const policy: DrawPolicy = { ...unionQuota, quota: { level: 'union', basis: 'population', population } };
    const result = runDraw(pool, policy, seed);
    expect(result.strata.map((s) => s.quota)).toEqual([4, 4, 4, 4, 4, 20]);
    const missing = { ...population, '6': undefined } as unknown as Record<string, number>;
    const error = (() => {
      try {
        runDraw(
          pool,
          { ...policy, quota: { level: 'union', basis: 'population', population: missing } },
          seed,
        );
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error?.errors?.[0]?.pointer).toBe('/policy/quota/population/6');
  });

  it('stratifies by district, upazila and division through the geography', () => {
    for (const level of ['division', 'district', 'upazila'] as const) {
      const result = runDraw(pool, { ...unionQuota, quota: { level, basis: 'registrants' } }, seed);
      const byId = new Map(result.strata.map((s) => [s.id, s]));
      resultRows(result).forEach((row, i) => {
        expect(row.stratum).toBe(
          entries.find((e) => e.registrationNumber === row.registrationNumber)![level],
        );
        expect(byId.has(result.stratum[i]!)).toBe(true);
      });
    }
  });

  it('validates the policy and reports every problem with a pointer', () => {
    const bad = {
      total: -1,
      quota: { level: 'village', basis: 'registrants' },
      orders: [{ id: 'a b', sector: 'X', vacancies: 1.5, gender: 'm', minAge: 50, maxAge: 20 }],
      waitlist: { per: 'order', length: -2 },
    } as unknown as DrawPolicy;
    let error: AppError | undefined;
    try {
      runDraw(pool, bad, seed);
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.code).toBe('validation-failed');
    expect(error?.errors?.map((e) => e.pointer)).toEqual([
      '/policy/total',
      '/policy/quota/level',
      '/policy/orders/0/id',
      '/policy/orders/0/sector',
      '/policy/orders/0/vacancies',
      '/policy/orders/0/gender',
      '/policy/orders/0/maxAge',
      '/policy/waitlist/length',
    ]);
  });
});

describe('seed and result sensitivity', () => {
  const entries = syntheticEntries({ size: 300, label: 'sensitivity' });
  const reveals = [
    { witnessId: 'witness-1', secret: seedOf('secret 1') },
    { witnessId: 'witness-2', secret: seedOf('secret 2') },
  ];
  const outcome = (pool: PoolEntry[], inputs: Partial<Parameters<typeof deriveSeed>[0]> = {}) => {
    const canonical = poolFromEntries(pool);
    const seed = deriveSeed({
      drawId: 'draw-1',
      poolHash: poolHash(canonical),
      reveals,
      beacon: null,
      ...inputs,
    });
    return { seed, result: resultHash(runDraw(canonical, unionQuota, seed)) };
  };
  const base = outcome(entries);

  it('changes seed and result when one pool entry changes', () => {
    const changed = entries.map((e, i) => (i === 123 ? { ...e, age: e.age + 1 } : e));
    const after = outcome(changed);
    expect(after.seed).not.toBe(base.seed);
    expect(after.result).not.toBe(base.result);
  });

  it('changes seed and result when one reveal or the beacon changes', () => {
    for (const inputs of [
      { reveals: [reveals[0]!, { witnessId: 'witness-2', secret: seedOf('secret 3') }] },
      { beacon: 'NIST beacon pulse 1' },
      { drawId: 'draw-2' },
    ]) {
      const after = outcome(entries, inputs);
      expect(after.seed).not.toBe(base.seed);
      expect(after.result).not.toBe(base.result);
    }
  });
});
