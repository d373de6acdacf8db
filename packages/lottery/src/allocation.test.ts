import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDraw, SELECTED, WAITLISTED } from './draw.ts';
import type { DemandOrder, DrawPolicy } from './policy.ts';
import { GENDERS, type PoolEntry, poolFromEntries } from './pool.ts';
import { resultRows } from './result-format.ts';
import { placeOf, seedOf } from './test-support.ts';

const SECTORS = ['construction', 'plantation', 'services'];

function person(i: number, gender: PoolEntry['gender'], age: number, sectors: string[]): PoolEntry {
  return {
    registrationNumber: String(100 + i).padStart(11, '0'),
    ...placeOf(1 + (i % 3)),
    gender,
    age,
    sectors,
    registeredOn: '2013-01-20',
  };
}

describe('allocation by random serial dictatorship', () => {
  it('walks the ranking, gives each their first preferred sector with a fitting vacancy, lowest order id first', () => {
    const pool = poolFromEntries([
      person(0, 'male', 30, ['plantation', 'construction']),
      person(1, 'female', 30, ['construction', 'plantation']),
      person(2, 'male', 50, ['construction']),
      person(3, 'male', 25, ['construction']),
      person(4, 'other', 22, ['services', 'plantation']),
    ]);
    const orders: DemandOrder[] = [
      { id: 'B-construction', sector: 'construction', vacancies: 1, gender: 'any', minAge: 18, maxAge: 45 },
      { id: 'A-construction', sector: 'construction', vacancies: 1, gender: 'male', minAge: 18, maxAge: 45 },
      { id: 'plantation', sector: 'plantation', vacancies: 1, gender: 'any', minAge: 18, maxAge: 45 },
    ];
    const policy: DrawPolicy = {
      total: 5,
      quota: { level: 'none', basis: 'registrants' },
      orders,
      waitlist: { per: 'none' },
    };
    const result = runDraw(pool, policy, seedOf('allocation'));
    const rows = resultRows(result);
    const byRank = [...rows].sort((a, b) => a.rank! - b.rank!);
    // Replay the rule by hand along the drawn ranking.
    const left = new Map(orders.map((o) => [o.id, o.vacancies]));
    const ids = [...orders].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const row of byRank) {
      const e = pool.preferenceLists[pool.preferences[Number(row.registrationNumber) - 100]!]!;
      const i = Number(row.registrationNumber) - 100;
      const gender = GENDERS[pool.gender[i]!]!;
      const age = pool.age[i]!;
      let expected: string | null = null;
      for (const sector of e) {
        const o = ids.find(
          (o) =>
            o.sector === sector &&
            left.get(o.id)! > 0 &&
            (o.gender === 'any' || o.gender === gender) &&
            age >= o.minAge &&
            age <= o.maxAge,
        );
        if (o) {
          expected = o.id;
          left.set(o.id, left.get(o.id)! - 1);
          break;
        }
      }
      expect(row.order).toBe(expected);
    }
    // Person 2 (aged 50) fits no order; person 4 prefers services, which has no order.
    expect(rows[2]!.order).toBe(null);
  });
});

const entryArb = fc.record({
  gender: fc.constantFrom(...GENDERS),
  age: fc.integer({ min: 16, max: 60 }),
  sectors: fc.shuffledSubarray(SECTORS, { minLength: 0, maxLength: 3 }),
  union: fc.integer({ min: 1, max: 4 }),
});
const orderArb = fc.record({
  sector: fc.constantFrom(...SECTORS),
  vacancies: fc.integer({ min: 0, max: 6 }),
  gender: fc.constantFrom('male', 'female', 'any') as fc.Arbitrary<DemandOrder['gender']>,
  minAge: fc.integer({ min: 16, max: 40 }),
  span: fc.integer({ min: 0, max: 25 }),
});

describe('allocation properties (fast-check)', () => {
  it('never gives an ineligible order, never overfills, and nobody envies a later-ranked worker', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 60 }),
        fc.array(orderArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('none', 'union') as fc.Arbitrary<'none' | 'union'>,
        fc.string({ minLength: 1, maxLength: 8 }),
        (people, orderSpecs, total, waitlistLength, level, label) => {
          const pool = poolFromEntries(
            people.map((p, i) => ({ ...person(i, p.gender, p.age, p.sectors), ...placeOf(p.union) })),
          );
          const orders: DemandOrder[] = orderSpecs.map((o, k) => ({
            id: `order-${(k * 7) % orderSpecs.length}-${k}`,
            sector: o.sector,
            vacancies: o.vacancies,
            gender: o.gender,
            minAge: o.minAge,
            maxAge: o.minAge + o.span,
          }));
          const policy: DrawPolicy = {
            total,
            quota: { level, basis: 'registrants' },
            orders,
            waitlist: { per: 'order', length: waitlistLength },
          };
          const result = runDraw(pool, policy, seedOf(label));
          const fits = (i: number, o: DemandOrder) =>
            pool.preferenceLists[pool.preferences[i]!]!.includes(o.sector) &&
            (o.gender === 'any' || o.gender === GENDERS[pool.gender[i]!]) &&
            pool.age[i]! >= o.minAge &&
            pool.age[i]! <= o.maxAge;
          const held = orders.map(() => [] as number[]);
          const waiting = orders.map(() => [] as number[]);
          for (let i = 0; i < pool.size; i++) {
            const k = result.order[i]!;
            if (k < 0) continue;
            expect(fits(i, orders[k]!)).toBe(true);
            if (result.outcome[i] === SELECTED) held[k]!.push(i);
            else {
              expect(result.outcome[i]).toBe(WAITLISTED);
              waiting[k]!.push(result.waitlistPosition[i]!);
            }
          }
          held.forEach((holders, k) => {
            expect(holders.length).toBeLessThanOrEqual(orders[k]!.vacancies);
          });
          waiting.forEach((positions) => {
            expect(positions.sort((a, b) => a - b)).toEqual(positions.map((_, p) => p + 1));
            expect(positions.length).toBeLessThanOrEqual(waitlistLength);
          });
          // No justified envy: an order a selected worker fits and prefers to what they got is full,
          // and held only by workers ranked before them.
          const rank = (o: DemandOrder) => (i: number) => {
            const list = pool.preferenceLists[pool.preferences[i]!]!;
            return (
              list.indexOf(o.sector) * orders.length +
              [...orders].sort((a, b) => (a.id < b.id ? -1 : 1)).indexOf(o)
            );
          };
          for (const i of result.ranking) {
            const got = result.order[i]!;
            for (const [k, o] of orders.entries()) {
              if (k === got || !fits(i, o)) continue;
              if (got >= 0 && rank(o)(i) > rank(orders[got]!)(i)) continue;
              expect(held[k]!.length).toBe(o.vacancies);
              for (const j of held[k]!) expect(result.rank[j]!).toBeLessThan(result.rank[i]!);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
