import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREPARED } from './client.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 1 });
});
afterAll(() => database.close());

describe('PREPARED statements on PostgreSQL', () => {
  it('run as named prepared statements, parsed once per connection, with the same results', async () => {
    const statement = (n: number) =>
      sql<{ doubled: number }>`${sql.raw(PREPARED)}select ${n}::int * 2 as doubled`;
    expect((await statement(21).execute(database.db)).rows).toEqual([{ doubled: 42 }]);
    expect((await statement(5).execute(database.db)).rows).toEqual([{ doubled: 10 }]);
    const { rows } = await sql<{ name: string; statement: string }>`
      select name, statement from pg_prepared_statements
    `.execute(database.db);
    const ours = rows.filter((r) => r.statement.startsWith(PREPARED.trim()));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.name).toMatch(/^g2g_[0-9a-f]{20}$/);
    // Unmarked statements stay unnamed.
    expect(rows.every((r) => r.name.startsWith('g2g_'))).toBe(true);
  });
});
