import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCentre, listCentres } from './centres.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('centres', () => {
  it('pages through all 4,540 union centres in code order without repeats', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listCentres(database.db, { after, limit: 1000 });
      seen.push(...page.map((c) => c.code));
      if (page.length < 1000) break;
      after = page.at(-1)?.code;
    }
    expect(seen).toHaveLength(4540);
    expect(new Set(seen).size).toBe(4540);
    expect(seen).toEqual([...seen].sort());
  });

  it('filters by division, district and upazila, by id or English name', async () => {
    const byName = await listCentres(database.db, { district: 'dhaka', limit: 500 });
    const dhaka = byName[0]!.district;
    const byId = await listCentres(database.db, { district: dhaka.id, limit: 500 });
    expect(byId).toEqual(byName);
    expect(byName.every((c) => c.district.name === 'Dhaka' && c.division.name === 'Dhaka')).toBe(true);
    const savar = await listCentres(database.db, { upazila: 'Savar', limit: 500 });
    expect(savar.length).toBeGreaterThan(5);
    expect(savar.every((c) => c.upazila.name === 'Savar')).toBe(true);
    const sylhet = await listCentres(database.db, { division: 'Sylhet', district: 'Dhaka', limit: 10 });
    expect(sylhet).toEqual([]);
  });

  it('finds one centre by code, with Bangla names', async () => {
    const centre = await findCentre(database.db, 'U1414');
    expect(centre).toMatchObject({ code: 'U1414', union: { id: 1414 } });
    expect(centre?.union.nameBn).toMatch(/[\u0980-\u09FF]/);
    expect(await findCentre(database.db, 'U9999')).toBeUndefined();
  });
});
