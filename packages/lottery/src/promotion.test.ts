import { AppError } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import { runDraw } from './draw.ts';
import type { DrawPolicy } from './policy.ts';
import { type PoolEntry, poolEntries, poolFromEntries } from './pool.ts';
import { nextPromotion, type WaitlistCandidate } from './promotion.ts';
import { resultRows } from './result-format.ts';
import { seedOf, syntheticEntries } from './test-support.ts';

const entries = syntheticEntries({ size: 240, label: 'promotion' });
const pool = poolFromEntries(entries);
const all = poolEntries(pool);

function candidatesOf(policy: DrawPolicy, label: string): WaitlistCandidate[] {
  const rows = resultRows(runDraw(pool, policy, seedOf(label)));
  return rows.map((row, i) => ({ row, entry: all[i]! }));
}

describe('nextPromotion', () => {
  const perStratum: DrawPolicy = {
    total: 24,
    quota: { level: 'union', basis: 'registrants' },
    orders: [],
    waitlist: { per: 'stratum', length: 4 },
  };
  const candidates = candidatesOf(perStratum, 'stratum draw');
  const dropout = candidates.find((c) => c.row.outcome === 'selected')!;
  const vacancy = { stratum: dropout.row.stratum, orderId: null };
  const waitlist = candidates
    .filter((c) => c.row.outcome === 'waitlisted' && c.row.stratum === vacancy.stratum)
    .sort((a, b) => a.row.waitlistPosition! - b.row.waitlistPosition!);

  it('takes the stratum waitlist in position order, skipping dropouts and those already promoted', () => {
    expect(waitlist.length).toBe(4);
    const first = nextPromotion(perStratum, vacancy, candidates, [dropout.row.registrationNumber]);
    expect(first).toEqual({
      registrationNumber: waitlist[0]!.row.registrationNumber,
      waitlistPosition: 1,
      orderId: null,
    });
    const second = nextPromotion(perStratum, vacancy, candidates, [waitlist[0]!.row.registrationNumber]);
    expect(second?.registrationNumber).toBe(waitlist[1]!.row.registrationNumber);
    const none = nextPromotion(
      perStratum,
      vacancy,
      candidates,
      waitlist.map((c) => c.row.registrationNumber),
    );
    expect(none).toBe(null);
  });

  it('is deterministic whatever the order of the candidates', () => {
    const a = nextPromotion(perStratum, vacancy, candidates, []);
    const b = nextPromotion(perStratum, vacancy, [...candidates].reverse(), []);
    expect(b).toEqual(a);
  });

  it('fills an order vacancy from the order waitlist, or from the stratum waitlist with someone who fits', () => {
    const order = {
      id: 'MY-001',
      sector: 'plantation',
      vacancies: 8,
      gender: 'any',
      minAge: 18,
      maxAge: 40,
    } as const;
    for (const per of ['order', 'stratum'] as const) {
      const policy: DrawPolicy = { ...perStratum, orders: [order], waitlist: { per, length: 6 } };
      const rows = candidatesOf(policy, `order draw ${per}`);
      const holder = rows.find((c) => c.row.order === order.id && c.row.outcome === 'selected')!;
      const gap = { stratum: holder.row.stratum, orderId: order.id };
      const taken: string[] = [];
      for (;;) {
        const next = nextPromotion(policy, gap, rows, taken);
        if (next === null) break;
        const chosen = rows.find((c) => c.row.registrationNumber === next.registrationNumber)!;
        expect(next.orderId).toBe(order.id);
        expect(chosen.entry.sectors).toContain('plantation');
        expect(chosen.entry.age).toBeGreaterThanOrEqual(18);
        expect(chosen.entry.age).toBeLessThanOrEqual(40);
        if (per === 'order') expect(chosen.row.order).toBe(order.id);
        else expect(chosen.row.stratum).toBe(holder.row.stratum);
        taken.push(next.registrationNumber);
      }
      expect(taken.length).toBeGreaterThan(0);
    }
  });

  it('does not refill a place without an order when waitlists are per order, nor anything without waitlist', () => {
    const order = {
      id: 'O',
      sector: 'services',
      vacancies: 1,
      gender: 'any',
      minAge: 0,
      maxAge: 150,
    } as const;
    const policy: DrawPolicy = { ...perStratum, orders: [order], waitlist: { per: 'order', length: 2 } };
    expect(nextPromotion(policy, { stratum: 1, orderId: null }, candidates, [])).toBe(null);
    expect(nextPromotion({ ...perStratum, waitlist: { per: 'none' } }, vacancy, candidates, [])).toBe(null);
    expect(() => nextPromotion(perStratum, { stratum: 1, orderId: 'nope' }, candidates, [])).toThrow(
      AppError,
    );
  });

  it('refuses inconsistent candidates', () => {
    const mismatched = waitlist.map((c, k) => ({
      row: c.row,
      entry: waitlist[(k + 1) % waitlist.length]!.entry,
    }));
    expect(() => nextPromotion(perStratum, vacancy, mismatched, [])).toThrow(AppError);
    const twice = [...waitlist, { ...waitlist[0]!, row: { ...waitlist[0]!.row, registrationNumber: 'x' } }];
    const entryOf = (c: WaitlistCandidate): PoolEntry => ({
      ...c.entry,
      registrationNumber: c.row.registrationNumber,
    });
    expect(() =>
      nextPromotion(
        perStratum,
        vacancy,
        twice.map((c) => ({ row: c.row, entry: entryOf(c) })),
        [],
      ),
    ).toThrow(/share a waitlist position/);
  });
});
