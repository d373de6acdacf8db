import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessages, memoryTransport, OutboxSender, outboxCounts } from './outbox.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 12 });
});
afterAll(() => database.close());

describe('two outbox senders on PostgreSQL', () => {
  it('send every message exactly once between them', async () => {
    const messages = Array.from({ length: 600 }, (_, i) => ({
      channel: 'sms' as const,
      recipient: '+8801712345678',
      template: 'registration.withdrawn' as const,
      params: { registrationNumber: '00000000019' },
      dedupeKey: `test:${i}`,
    }));
    await database.db.transaction().execute((trx) => enqueueMessages(trx, messages));
    // Two senders, as in two processes: separate claims, real parallelism on separate connections.
    const slow = (t: ReturnType<typeof memoryTransport>) => ({
      name: 'slow',
      send: async (m: Parameters<typeof t.send>[0]) => {
        await new Promise((r) => setTimeout(r, 1));
        return t.send(m);
      },
    });
    const a = memoryTransport();
    const b = memoryTransport();
    const senders = [
      new OutboxSender(database.db, slow(a), { batchSize: 25, concurrency: 5 }),
      new OutboxSender(database.db, slow(b), { batchSize: 25, concurrency: 5 }),
    ];
    const results = await Promise.all(senders.map((s) => s.drain()));
    const ids = [...a.sent, ...b.sent].map((m) => m.id);
    expect(ids).toHaveLength(600);
    expect(new Set(ids).size).toBe(600);
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(600);
    expect(await outboxCounts(database.db)).toEqual({ sent: 600 });
  });
});
