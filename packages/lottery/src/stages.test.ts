import { AppError } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import { runDraw } from './draw.ts';
import type { DrawPolicy } from './policy.ts';
import { poolFromEntries } from './pool.ts';
import { poolLines } from './pool-format.ts';
import { resultRows } from './result-format.ts';
import { nextStagePool } from './stages.ts';
import { seedOf, syntheticEntries } from './test-support.ts';

describe('nextStagePool (multi-stage draws)', () => {
  const pool = poolFromEntries(syntheticEntries({ size: 200, label: 'stages' }));
  const shortlist: DrawPolicy = {
    total: 30,
    quota: { level: 'union', basis: 'registrants' },
    orders: [],
    waitlist: { per: 'stratum', length: 2 },
  };
  const first = runDraw(pool, shortlist, seedOf('shortlist'));
  const rows = resultRows(first);
  const lines = poolLines(pool);

  it('is the selected entries, unchanged, in canonical order', () => {
    const next = nextStagePool(first);
    const expected = lines.filter((_, i) => rows[i]!.outcome === 'selected');
    expect(poolLines(next)).toEqual(expected);
    expect(next.size).toBe(30);
  });

  it('drops withdrawn entries and adds promoted ones', () => {
    const withdrawn = rows
      .filter((r) => r.outcome === 'selected')
      .slice(0, 3)
      .map((r) => r.registrationNumber);
    const promoted = rows
      .filter((r) => r.outcome === 'waitlisted')
      .slice(0, 2)
      .map((r) => r.registrationNumber);
    const next = nextStagePool(first, { withdrawn, promoted });
    const kept = new Set(
      resultRows(runDraw(next, { ...shortlist, total: 0 }, seedOf('x'))).map((r) => r.registrationNumber),
    );
    expect(next.size).toBe(29);
    for (const r of withdrawn) expect(kept.has(r)).toBe(false);
    for (const r of promoted) expect(kept.has(r)).toBe(true);
  });

  it('runs the next stage as an ordinary draw', () => {
    const medical: DrawPolicy = {
      total: 10,
      quota: { level: 'district', basis: 'registrants' },
      orders: [],
      waitlist: { per: 'none' },
    };
    const second = runDraw(nextStagePool(first), medical, seedOf('medical'));
    expect(second.ranking.length).toBe(10);
  });

  it('refuses withdrawals of entries that were not selected and promotions of entries not waitlisted', () => {
    const notSelected = rows.find((r) => r.outcome === 'not-selected')!.registrationNumber;
    const selected = rows.find((r) => r.outcome === 'selected')!.registrationNumber;
    for (const changes of [
      { withdrawn: [notSelected] },
      { promoted: [selected] },
      { withdrawn: [selected, selected] },
    ]) {
      let error: unknown;
      try {
        nextStagePool(first, changes);
      } catch (e) {
        error = e;
      }
      expect(error instanceof AppError && error.code === 'rule-violated').toBe(true);
    }
  });
});
