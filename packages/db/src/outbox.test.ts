import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage, enqueueMessages, memoryTransport, OutboxSender, outboxCounts } from './outbox.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const confirm = (n: string, mobile = '+8801712345678') => ({
  channel: 'sms' as const,
  recipient: mobile,
  template: 'registration.confirmed' as const,
  params: { registrationNumber: n, windowName: 'January 2013' },
  dedupeKey: `registration.confirmed:${n}`,
});

describe('the outbox', () => {
  it('renders Bangla and English from the template, once per dedupe key, only if the transaction commits', async () => {
    await database.db.transaction().execute(async (trx) => {
      await enqueueMessage(trx, confirm('00000000019'));
      await enqueueMessages(trx, [confirm('00000000019'), confirm('00000000027')]);
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueMessage(trx, confirm('00000000035'));
        throw new Error('the registration failed');
      }),
    ).rejects.toThrow('the registration failed');
    const rows = await database.db.selectFrom('outbox_messages').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.dedupe_key)).toEqual([
      'registration.confirmed:00000000019',
      'registration.confirmed:00000000027',
    ]);
    expect(rows[0]?.body).toBe(
      'নিবন্ধন সম্পন্ন: নম্বর ০০০০-০০০০-০১৯ (January 2013)। লটারি সবার জন্য সমান; কাউকে টাকা দেবেন না।\nRegistered: number 0000-0000-019 (January 2013). The draw is equal for all; pay no one.',
    );
  });

  it('is drained once: each message sent exactly once and marked sent', async () => {
    const transport = memoryTransport();
    const sender = new OutboxSender(database.db, transport, { batchSize: 1 });
    expect(await sender.drain()).toEqual({ sent: 2, failed: 0, dead: 0 });
    expect(await sender.drain()).toEqual({ sent: 0, failed: 0, dead: 0 });
    expect(transport.sent.map((m) => m.dedupeKey)).toEqual([
      'registration.confirmed:00000000019',
      'registration.confirmed:00000000027',
    ]);
    expect(await outboxCounts(database.db)).toEqual({ sent: 2 });
    // Sent is final: the database refuses to touch the row again.
    await expect(sql`update outbox_messages set status = 'pending'`.execute(database.db)).rejects.toThrow(
      /already sent/,
    );
  });

  it('retries a failure after a backoff and dead-letters after the last attempt', async () => {
    await database.db.transaction().execute((trx) => enqueueMessage(trx, confirm('00000000043')));
    let now = new Date('2030-01-01T00:00:00Z');
    const transport = memoryTransport();
    const sender = new OutboxSender(database.db, transport, {
      maxAttempts: 3,
      clock: () => now,
      backoffMs: (n) => n * 60_000,
    });
    transport.failNext(5);
    expect(await sender.drainOnce()).toEqual({ sent: 0, failed: 1, dead: 0 });
    expect(await sender.drainOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    now = new Date(now.getTime() + 60_000);
    expect(await sender.drainOnce()).toEqual({ sent: 0, failed: 1, dead: 0 });
    now = new Date(now.getTime() + 120_000);
    expect(await sender.drainOnce()).toEqual({ sent: 0, failed: 0, dead: 1 });
    const row = await database.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('dedupe_key', '=', 'registration.confirmed:00000000043')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_error: 'Error: gateway timeout' });
    expect(transport.sent).toEqual([]);
  });

  it('dead-letters a permanent failure at once, and reclaims a message whose sender died', async () => {
    await database.db
      .transaction()
      .execute((trx) => enqueueMessages(trx, [confirm('00000000051'), confirm('00000000060')]));
    let now = new Date('2030-02-01T00:00:00Z');
    const transport = memoryTransport();
    const sender = new OutboxSender(database.db, transport, {
      clock: () => now,
      leaseMs: 60_000,
      batchSize: 1,
    });
    transport.failNext(1, { permanent: true });
    expect(await sender.drainOnce()).toEqual({ sent: 0, failed: 0, dead: 1 });
    // A sender claims the other message and dies before sending it.
    const dying = new OutboxSender(
      database.db,
      { name: 'dying', send: () => new Promise(() => {}) },
      { clock: () => now, leaseMs: 60_000, batchSize: 1 },
    );
    void dying.drainOnce();
    await new Promise((r) => setTimeout(r, 200));
    expect(await sender.drainOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    now = new Date(now.getTime() + 61_000);
    expect(await sender.drainOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect(transport.sent.map((m) => [m.dedupeKey, m.attempt])).toEqual([
      ['registration.confirmed:00000000060', 2],
    ]);
  });
});
