import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './client.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { adminQuery, withDatabase } from './testing/admin.ts';
import { testDatabaseUrl } from './testing/index.ts';

// *.pg.test.ts files run only when TEST_DATABASE_URL points at a PostgreSQL server (see vitest.config.ts).
describe('migrations on PostgreSQL', () => {
  it('run exactly once when two processes start together on an empty database', async () => {
    const admin = testDatabaseUrl()!;
    const name = `g2g_migrate_race_${randomBytes(4).toString('hex')}`;
    await adminQuery(admin, `create database ${name}`);
    const a = await openDatabase({ databaseUrl: withDatabase(admin, name), poolSize: 2 });
    const b = await openDatabase({ databaseUrl: withDatabase(admin, name), poolSize: 2 });
    try {
      const [ra, rb] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      const all = Object.keys(migrations);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(all);
      expect(await pendingMigrations(a.db)).toEqual([]);
      const { rows } = await sql<{ n: string }>`select count(*) as n from unions`.execute(a.db);
      expect(rows[0]?.n).toBe('4540');
    } finally {
      await a.close();
      await b.close();
      await adminQuery(admin, `drop database if exists ${name} with (force)`);
    }
  });
});
