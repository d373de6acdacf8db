import { describe, expect, it } from 'vitest';
import { commitmentOf, deriveSeed } from './ceremony.ts';
import { runDraw } from './draw.ts';
import type { DrawPolicy } from './policy.ts';
import { poolFromEntries } from './pool.ts';
import { poolHash, poolLines } from './pool-format.ts';
import { ALGORITHM_ID } from './random.ts';
import { resultHash, resultLines } from './result-format.ts';
import { seedOf, syntheticEntries } from './test-support.ts';
import { type DrawManifest, verifyDraw } from './verify.ts';

const policy: DrawPolicy = {
  total: 20,
  quota: { level: 'union', basis: 'registrants' },
  orders: [{ id: 'MY-1', sector: 'construction', vacancies: 8, gender: 'male', minAge: 18, maxAge: 40 }],
  waitlist: { per: 'order', length: 3 },
};

function publishedDraw() {
  const pool = poolFromEntries(syntheticEntries({ size: 150, label: 'verify' }));
  const secrets = ['w1', 'w2', 'w3'].map((witnessId) => ({
    witnessId,
    secret: seedOf(`secret of ${witnessId}`),
  }));
  const reveals = secrets.map((r) => ({ ...r, commitment: commitmentOf(r.secret) }));
  const hash = poolHash(pool);
  const seed = deriveSeed({ drawId: 'draw-7', poolHash: hash, reveals: secrets, beacon: 'pulse 1234' });
  const result = runDraw(pool, policy, seed);
  const manifest: DrawManifest = {
    algorithm: ALGORITHM_ID,
    drawId: 'draw-7',
    poolHash: hash,
    policy,
    reveals,
    beacon: 'pulse 1234',
    seed,
    resultHash: resultHash(result),
  };
  return { manifest, pool: poolLines(pool), result: resultLines(result) };
}

describe('verifyDraw', () => {
  const published = publishedDraw();

  it('accepts an honest draw and recomputes its hashes and seed', () => {
    const report = verifyDraw(published.manifest, published.pool, published.result);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.recomputed).toEqual({
      poolHash: published.manifest.poolHash,
      seed: published.manifest.seed,
      resultHash: published.manifest.resultHash,
    });
  });

  it('rejects a tampered pool line: pool hash, seed and then the result differ', () => {
    const pool = [...published.pool];
    pool[10] = pool[10]!.replace(/\t(\d+)\t(\w+,?)*\t2013/, (m) =>
      m.replace(/\t(\d+)\t/, (_, age) => `\t${Number(age) + 1}\t`),
    );
    expect(pool[10]).not.toBe(published.pool[10]);
    const report = verifyDraw(published.manifest, pool, published.result);
    expect(report.ok).toBe(false);
    const kinds = report.problems.map((p) => p.kind);
    expect(kinds).toContain('pool-hash');
    expect(kinds).toContain('seed');
    expect(kinds).toContain('result-hash');
  });

  it('reports the first non-canonical pool line', () => {
    const pool = [...published.pool];
    [pool[3], pool[4]] = [pool[4]!, pool[3]!];
    const report = verifyDraw(published.manifest, pool, published.result);
    expect(report.problems[0]).toEqual({
      kind: 'pool-line',
      line: 4,
      expected: published.pool[3],
      actual: pool[3],
    });
    // The content is the same pool, so hash, seed and result still check out.
    expect(report.problems.length).toBe(1);
  });

  it('rejects a tampered result line, naming the line', () => {
    const result = [...published.result];
    const k = result.findIndex((line) => line.includes('\tnot-selected\t'));
    result[k] = result[k]!.replace('\tnot-selected\t\t', '\tselected\t999\t');
    const report = verifyDraw(published.manifest, published.pool, result);
    // The manifest's result hash still matches the engine; the file is what differs.
    expect(report.problems).toEqual([
      { kind: 'result-line', line: k + 1, expected: published.result[k], actual: result[k] },
    ]);
  });

  it('rejects a truncated result file', () => {
    const report = verifyDraw(published.manifest, published.pool, published.result.slice(0, -1));
    expect(report.problems[0]).toEqual({
      kind: 'result-line',
      line: published.result.length,
      expected: published.result.at(-1),
      actual: null,
    });
  });

  it('rejects each tampered manifest field', () => {
    const { manifest } = published;
    const other = seedOf('forged');
    const cases: [Partial<DrawManifest>, string][] = [
      [{ algorithm: 'g2g-lottery/0' }, 'algorithm'],
      [{ poolHash: other }, 'pool-hash'],
      [{ seed: other }, 'seed'],
      [{ resultHash: other }, 'result-hash'],
      [{ beacon: 'pulse 1235' }, 'seed'],
      [{ drawId: 'draw-8' }, 'seed'],
      [{ reveals: [{ ...manifest.reveals[0]!, secret: other }, ...manifest.reveals.slice(1)] }, 'commitment'],
      [
        { reveals: [{ ...manifest.reveals[0]!, commitment: other }, ...manifest.reveals.slice(1)] },
        'commitment',
      ],
      [{ policy: { ...policy, total: 21 } }, 'result-line'],
      [{ policy: { ...policy, total: -1 } }, 'invalid-input'],
    ];
    for (const [change, kind] of cases) {
      const report = verifyDraw({ ...manifest, ...change }, published.pool, published.result);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.kind)).toContain(kind);
    }
  });

  it('reports an unreadable pool line as invalid input', () => {
    const pool = [...published.pool];
    pool[5] = 'garbage';
    const report = verifyDraw(published.manifest, pool, published.result);
    expect(report.problems).toEqual([
      { kind: 'invalid-input', pointer: '/poolLines/5', detail: 'expected 9 TAB-separated fields' },
    ]);
  });
});
