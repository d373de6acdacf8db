import { AppError } from '@g2g/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIdempotent } from './idempotency.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create table work_done (id serial primary key, note text not null)`.execute(database.db);
});
afterAll(() => database.close());

const claim = (key: string, requestHash = 'a'.repeat(64)) => ({ scope: 'centre:U1414', key, requestHash });

async function doWork(note: string) {
  return runIdempotent(database.db, claim(note), async (trx) => {
    const { rows } = await sql<{
      id: number;
    }>`insert into work_done (note) values (${note}) returning id`.execute(trx);
    return { status: 201, body: { id: rows[0]?.id, note } };
  });
}

async function countWork(note: string) {
  const { rows } = await sql<{ n: string }>`select count(*) as n from work_done where note = ${note}`.execute(
    database.db,
  );
  return Number(rows[0]?.n);
}

describe('runIdempotent', () => {
  it('does the work once and replays the stored response on retry', async () => {
    const first = await doWork('k1');
    const second = await doWork('k1');
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ ...first, replayed: true });
    expect(await countWork('k1')).toBe(1);
  });

  it('refuses the same key with a different request (422)', async () => {
    await doWork('k2');
    const attempt = runIdempotent(database.db, claim('k2', 'b'.repeat(64)), async () => ({
      status: 201,
      body: {},
    }));
    await expect(attempt).rejects.toMatchObject({ code: 'idempotency-key-reused' });
    expect(await countWork('k2')).toBe(1);
  });

  it('stores nothing when the work fails, so a retry does it afresh', async () => {
    await expect(
      runIdempotent(database.db, claim('k3'), async (trx) => {
        await sql`insert into work_done (note) values ('k3')`.execute(trx);
        throw new AppError('conflict', 'refused');
      }),
    ).rejects.toBeInstanceOf(AppError);
    expect(await countWork('k3')).toBe(0);
    const retry = await doWork('k3');
    expect(retry.replayed).toBe(false);
    expect(await countWork('k3')).toBe(1);
  });

  it('keeps the keys of different scopes apart', async () => {
    const a = await runIdempotent(database.db, { ...claim('shared'), scope: 'centre:U0001' }, async () => ({
      status: 201,
      body: { who: 'U0001' },
    }));
    const b = await runIdempotent(database.db, { ...claim('shared'), scope: 'centre:U0002' }, async () => ({
      status: 201,
      body: { who: 'U0002' },
    }));
    expect([a.body, b.body, a.replayed, b.replayed]).toEqual([
      { who: 'U0001' },
      { who: 'U0002' },
      false,
      false,
    ]);
  });

  it('runs the work in a transaction when no key is given', async () => {
    const result = await runIdempotent(database.db, undefined, async (trx) => {
      await sql`insert into work_done (note) values ('nokey')`.execute(trx);
      return { status: 200, body: 'ok' };
    });
    expect(result).toEqual({ status: 200, body: 'ok', replayed: false });
  });
});
