/**
 * The known-answer vectors of docs/lottery-spec.md: every file in docs/lottery-vectors must be
 * reproduced exactly, so the published specification and the engine cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apportion, type StratumShare } from './apportion.ts';
import { commitmentOf, deriveSeed, type Reveal } from './ceremony.ts';
import { type DrawResult, runDraw } from './draw.ts';
import type { DrawPolicy } from './policy.ts';
import { type CanonicalPool, poolEntries } from './pool.ts';
import { poolFromLines, poolHash, poolLines } from './pool-format.ts';
import { nextPromotion, type Promotion, type Vacancy } from './promotion.ts';
import { ALGORITHM_ID, prngFor, shuffled, subSeed } from './random.ts';
import { resultHash, resultLines, resultRows } from './result-format.ts';
import { nextStagePool } from './stages.ts';
import { verifyDraw } from './verify.ts';

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'lottery-vectors');
const files = readdirSync(folder).filter((name) => name.endsWith('.json'));

interface Stage {
  drawId: string;
  poolLines?: string[];
  poolFrom?: { stage: number; withdrawn: string[]; promoted: string[] };
  reveals: (Reveal & { commitment: string })[];
  beacon: string | null;
  policy: DrawPolicy;
  expected: {
    poolLines?: string[];
    poolHash: string;
    seed: string;
    apportionmentTieOrder: number[];
    strata: DrawResult['strata'];
    orders: DrawResult['orders'];
    resultLines: string[];
    resultHash: string;
    promotions: { vacancy: Vacancy; unavailable: string[]; promoted: Promotion | null }[];
  };
}

interface Primitives {
  prng: { seed: string; first: number[] }[];
  subSeeds: { seed: string; label: string; subSeed: string }[];
  shuffles: { seed: string; n: number; steps: number; prefix: number[] }[];
  apportionments: { total: number; strata: StratumShare[]; tiePriority: number[]; seats: number[] }[];
  commitments: { secret: string; commitment: string }[];
}

const read = (name: string) => JSON.parse(readFileSync(join(folder, name), 'utf8'));

describe('test vectors (docs/lottery-vectors)', () => {
  it('are all there', () => {
    expect(files).toEqual([
      '00-primitives.json',
      '01-union-quota.json',
      '02-district-population.json',
      '03-orders.json',
      '04-multi-stage.json',
    ]);
    for (const name of files) expect(read(name).algorithm).toBe(ALGORITHM_ID);
  });

  it('00-primitives: generator outputs, sub-seeds, shuffles, apportionments, commitments', () => {
    const v = read('00-primitives.json') as Primitives;
    for (const { seed, first } of v.prng) {
      const next = prngFor(seed);
      expect(first.map(() => next())).toEqual(first);
    }
    for (const s of v.subSeeds) expect(subSeed(s.seed, s.label)).toBe(s.subSeed);
    for (const s of v.shuffles) {
      expect([...shuffled(s.n, prngFor(s.seed), s.steps)]).toEqual(s.prefix);
    }
    for (const a of v.apportionments) expect(apportion(a.total, a.strata, a.tiePriority)).toEqual(a.seats);
    for (const c of v.commitments) expect(commitmentOf(c.secret)).toBe(c.commitment);
  });

  for (const name of files.filter((f) => f !== '00-primitives.json')) {
    it(`${name}: pool, seed, quotas, result lines and hash, promotions, verification`, () => {
      const stages = read(name).stages as Stage[];
      const results: DrawResult[] = [];
      for (const stage of stages) {
        const { expected } = stage;
        let pool: CanonicalPool;
        if (stage.poolLines) {
          pool = poolFromLines(stage.poolLines);
          expect(poolLines(pool)).toEqual(stage.poolLines);
        } else {
          const { stage: from, withdrawn, promoted } = stage.poolFrom!;
          pool = nextStagePool(results[from]!, { withdrawn, promoted });
          expect(poolLines(pool)).toEqual(expected.poolLines);
        }
        expect(poolHash(pool)).toBe(expected.poolHash);
        for (const r of stage.reveals) expect(commitmentOf(r.secret)).toBe(r.commitment);
        const seed = deriveSeed({
          drawId: stage.drawId,
          poolHash: expected.poolHash,
          reveals: stage.reveals,
          beacon: stage.beacon,
        });
        expect(seed).toBe(expected.seed);

        const result = runDraw(pool, stage.policy, seed);
        results.push(result);
        const tieOrder = shuffled(result.strata.length, prngFor(subSeed(seed, 'apportionment')));
        expect([...tieOrder].map((t) => result.strata[t]!.id)).toEqual(expected.apportionmentTieOrder);
        expect(result.strata).toEqual(expected.strata);
        expect(result.orders).toEqual(expected.orders);
        expect(resultLines(result)).toEqual(expected.resultLines);
        expect(resultHash(result)).toBe(expected.resultHash);

        const entries = poolEntries(pool);
        const candidates = resultRows(result).map((row, i) => ({ row, entry: entries[i]! }));
        for (const p of expected.promotions) {
          expect(nextPromotion(stage.policy, p.vacancy, candidates, p.unavailable)).toEqual(p.promoted);
        }

        const manifest = {
          algorithm: ALGORITHM_ID,
          drawId: stage.drawId,
          poolHash: expected.poolHash,
          policy: stage.policy,
          reveals: stage.reveals,
          beacon: stage.beacon,
          seed: expected.seed,
          resultHash: expected.resultHash,
        };
        expect(verifyDraw(manifest, poolLines(pool), expected.resultLines).ok).toBe(true);
      }
    });
  }
});
