import { systemActor } from '@g2g/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditEventInput,
  chainAllAuditEvents,
  chainPendingAuditEvents,
  GENESIS_HASH,
  listAuditLog,
  recordAuditEvents,
  verifyAuditChain,
} from './audit.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const event = (n: number): AuditEventInput => ({
  actor: { sub: `officer-${n % 3}`, role: 'ministry_officer' },
  action: 'window.create',
  entityType: 'window',
  entityId: `w-${n}`,
  payload: { n, scheme: 'G2G Malaysia 2013' },
  details: { n },
  occurredAt: new Date(Date.UTC(2013, 0, 14, 9, 0, n)),
  requestId: `req-${n}`,
});

async function append(events: AuditEventInput[]) {
  await database.db.transaction().execute((trx) => recordAuditEvents(trx, events));
}

describe('audit log', () => {
  it('chains committed events in order and verifies the whole chain', async () => {
    await append([event(1), event(2)]);
    await append([event(3)]);
    expect(await chainAllAuditEvents(database.db)).toBe(3);
    expect(await chainAllAuditEvents(database.db)).toBe(0);
    const log = await listAuditLog(database.db, { limit: 10 });
    expect(log.map((e) => e.entity.id)).toEqual(['w-1', 'w-2', 'w-3']);
    expect(log[0]?.prevHash).toBe(GENESIS_HASH);
    expect(log[1]?.prevHash).toBe(log[0]?.hash);
    expect(log[2]?.actor).toEqual({ sub: 'officer-0', role: 'ministry_officer' });
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({ ok: true, checked: 3, unchained: 0, head: log[2]?.hash });
  });

  it('records nothing when the transaction that wrote the event rolls back', async () => {
    const before = await verifyAuditChain(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordAuditEvents(trx, [event(99)]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await chainAllAuditEvents(database.db);
    const after = await verifyAuditChain(database.db);
    expect(after.checked).toBe(before.checked);
  });

  it('reports events recorded but not yet chained without calling it a break', async () => {
    await append([event(4)]);
    const pending = await verifyAuditChain(database.db);
    expect(pending).toMatchObject({ ok: true, unchained: 1 });
    await chainAllAuditEvents(database.db);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, unchained: 0, checked: 4 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the event and chain tables', async () => {
    for (const statement of [
      sql`update audit_events set actor_sub = 'someone-else'`,
      sql`delete from audit_events`,
      sql`truncate audit_events cascade`,
      sql`update audit_chain set hash = prev_hash`,
      sql`delete from audit_chain`,
      sql`truncate audit_chain`,
    ]) {
      await expect(statement.execute(database.db)).rejects.toThrow(/append-only/);
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('runs one chainer at a time: concurrent chainers never fork the chain', async () => {
    await append(Array.from({ length: 50 }, (_, i) => event(100 + i)));
    const counts = await Promise.all([1, 2, 3, 4].map(() => chainPendingAuditEvents(database.db, 7)));
    await chainAllAuditEvents(database.db);
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({ ok: true, checked: 54, unchained: 0 });
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(50);
  });

  it('catches a tampered event, naming the first broken link', async () => {
    const log = await listAuditLog(database.db, { limit: 3 });
    const victim = log[1]!;
    // A superuser bypassing the append-only trigger.
    await database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update audit_events set actor_sub = 'intruder' where id = ${victim.eventId}`.execute(trx);
    });
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(1);
    expect(result.firstBreak).toEqual({ kind: 'hash-mismatch', seq: victim.seq, eventId: victim.eventId });
  });

  it('catches a removed link and a re-hashed link', async () => {
    const fresh = await createTestDatabase();
    try {
      await fresh.db
        .transaction()
        .execute((trx) => recordAuditEvents(trx, [event(1), event(2), event(3), event(4)]));
      await chainAllAuditEvents(fresh.db);
      await fresh.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`delete from audit_chain where seq = 2`.execute(trx);
      });
      expect((await verifyAuditChain(fresh.db)).firstBreak).toEqual({
        kind: 'seq-gap',
        seq: '3',
        expectedSeq: '2',
      });
      // Forge link 2 back with a self-consistent hash over altered content: link 3 no longer follows.
      await fresh.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`insert into audit_chain (seq, event_id, prev_hash, hash)
          select 2, e.id, c.hash, ${'f'.repeat(64)} from audit_events e, audit_chain c
          where e.entity_id = 'w-2' and c.seq = 1`.execute(trx);
      });
      const broken = await verifyAuditChain(fresh.db);
      expect(broken.ok).toBe(false);
      expect(broken.firstBreak).toMatchObject({ kind: 'hash-mismatch', seq: '2' });
    } finally {
      await fresh.close();
    }
  });

  it('accepts the system actor for platform-initiated changes', async () => {
    const fresh = await createTestDatabase();
    try {
      await fresh.db
        .transaction()
        .execute((trx) => recordAuditEvents(trx, [{ ...event(1), actor: systemActor, action: 'sms.retry' }]));
      await chainAllAuditEvents(fresh.db);
      const [entry] = await listAuditLog(fresh.db, { limit: 1 });
      expect(entry?.actor).toEqual({ sub: 'system', role: 'system' });
    } finally {
      await fresh.close();
    }
  });
});
