import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIdempotent } from './idempotency.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 20 });
  await sql`create table work_done (id serial primary key, note text not null)`.execute(database.db);
});
afterAll(() => database.close());

describe('runIdempotent under concurrency (PostgreSQL)', () => {
  it('answers 409 to a retry that arrives while the first request is still running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const claim = { scope: 's', key: 'slow', requestHash: 'c'.repeat(64) };
    const first = runIdempotent(database.db, claim, async (trx) => {
      await sql`insert into work_done (note) values ('slow')`.execute(trx);
      started();
      await gate;
      return { status: 201, body: { done: true } };
    });
    await running;
    await expect(
      runIdempotent(database.db, claim, async () => ({ status: 201, body: {} })),
    ).rejects.toMatchObject({
      code: 'idempotency-key-in-progress',
    });
    release();
    expect(await first).toMatchObject({ status: 201, replayed: false });
    expect(await runIdempotent(database.db, claim, async () => ({ status: 500, body: {} }))).toMatchObject({
      body: { done: true },
      replayed: true,
    });
  });

  it('does the work exactly once across 30 simultaneous retries of one key', async () => {
    const claim = { scope: 's', key: 'burst', requestHash: 'd'.repeat(64) };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        runIdempotent(database.db, claim, async (trx) => {
          await sql`insert into work_done (note) values ('burst')`.execute(trx);
          await sql`select pg_sleep(0.05)`.execute(trx);
          return { status: 201, body: { ok: 1 } };
        }),
      ),
    );
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from work_done where note = 'burst'`.execute(database.db);
    expect(rows[0]?.n).toBe('1');
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'idempotency-key-in-progress' });
      else expect(o.value.body).toEqual({ ok: 1 });
    }
    expect(outcomes.filter((o) => o.status === 'fulfilled' && !o.value.replayed)).toHaveLength(1);
  });
});
