import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './client.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ dataDir: 'memory://' });
  await sql`create table t (id int primary key, note text)`.execute(handle.db);
});
afterAll(() => handle.close());

describe('PGlite dialect', () => {
  it('never lets a concurrent transaction run its statements inside another one', async () => {
    let proceed!: () => void;
    const paused = new Promise<void>((r) => {
      proceed = r;
    });
    const failing = handle.db.transaction().execute(async (trx) => {
      await sql`insert into t values (1, 'rolled back')`.execute(trx);
      await paused;
      throw new Error('abort');
    });
    // Started while the first transaction is open: they wait their turn (FIFO) instead of sharing its session.
    const committing = handle.db.transaction().execute(async (trx) => {
      await sql`insert into t values (2, 'committed')`.execute(trx);
    });
    const outside = sql<{ n: string }>`select count(*) as n from t`.execute(handle.db);
    proceed();
    await expect(failing).rejects.toThrow('abort');
    await committing;
    expect((await outside).rows[0]?.n).toBe('1');
    const { rows } = await sql<{ id: number }>`select id from t order by id`.execute(handle.db);
    expect(rows.map((r) => r.id)).toEqual([2]);
  });

  it('reads int8, numeric and date as strings, like the pg driver here', async () => {
    const { rows } = await sql<{ big: unknown; num: unknown; day: unknown; ts: unknown }>`
      select 9007199254740993::int8 as big, 12.50::numeric as num, date '2013-01-14' as day, now() as ts
    `.execute(handle.db);
    expect(rows[0]).toMatchObject({ big: '9007199254740993', num: '12.50', day: '2013-01-14' });
    expect(rows[0]?.ts).toBeInstanceOf(Date);
  });

  it('supports savepoints inside a transaction', async () => {
    const trx = await handle.db.startTransaction().execute();
    await sql`insert into t values (10, 'kept')`.execute(trx);
    const sp = await trx.savepoint('item').execute();
    await sql`insert into t values (11, 'undone')`.execute(sp);
    await sp.rollbackToSavepoint('item').execute();
    await trx.commit().execute();
    const { rows } = await sql<{ id: number }>`select id from t where id >= 10 order by id`.execute(
      handle.db,
    );
    expect(rows.map((r) => r.id)).toEqual([10]);
  });
});
