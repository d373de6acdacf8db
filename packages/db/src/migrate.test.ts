import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('migrations', () => {
  it('are all applied to a test database, and applying again changes nothing', async () => {
    expect(await pendingMigrations(database.db)).toEqual([]);
    const again = await migrateToLatest(database.db);
    expect(again.applied).toEqual([]);
    expect(again.latest).toBe(Object.keys(migrations).at(-1));
    const { rows } = await sql<{ n: string }>`select count(*) as n from schema_migrations`.execute(
      database.db,
    );
    expect(Number(rows[0]?.n)).toBe(Object.keys(migrations).length);
  });

  it('are numbered, listed in order, and never share a number', () => {
    const names = Object.keys(migrations);
    const numbers = names.map((name) => {
      expect(name).toMatch(/^[0-9]{4}-[a-z0-9-]+$/);
      return Number.parseInt(name.slice(0, 4), 10);
    });
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThan(numbers[i - 1]!);
    expect(names).toEqual([...names].sort());
  });

  it('load the administrative geography of Bangladesh with Bangla names', async () => {
    const count = async (table: 'divisions' | 'districts' | 'upazilas' | 'unions') =>
      Number(
        (
          await database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('divisions')).toBe(8);
    expect(await count('districts')).toBe(64);
    expect(await count('upazilas')).toBe(491);
    expect(await count('unions')).toBe(4540);
    const dhaka = await database.db
      .selectFrom('divisions')
      .selectAll()
      .where('name', '=', 'Dhaka')
      .executeTakeFirst();
    expect(dhaka?.name_bn).toBe('ঢাকা');
  });
  it('leave a registration status change free to be a HOT update (no index refers to status; pages have room)', async () => {
    const { rows: indexes } = await sql<{ def: string }>`
      select pg_get_indexdef(indexrelid) as def from pg_index where indrelid = 'registrations'::regclass
    `.execute(database.db);
    expect(indexes.length).toBeGreaterThan(0);
    expect(indexes.filter((i) => /\bstatus\b/.test(i.def)).map((i) => i.def)).toEqual([]);
    const { rows } = await sql<{ options: string[] | null }>`
      select reloptions as options from pg_class where oid = 'registrations'::regclass
    `.execute(database.db);
    expect(rows[0]?.options).toContain('fillfactor=50');
  });
  it('serve the lookup of an active registration by identity from the one-active-per-person index', async () => {
    // The duplicate checks (findActiveNumber, batch sync) filter on `active`; on `status` the planner
    // cannot use the partial index and scans the whole register for every batch.
    const plan = await database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`
        explain select registration_number from registrations
        where window_id = 'w' and id_hash = decode('00', 'hex') and active
      `.execute(trx);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('registrations_one_active_per_person');
  });
});
