import { type Actor, type CanonicalValue, canonicalJson, digestOf, sha256Hex } from '@g2g/domain';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);
/** Advisory lock key held by whoever is appending to the chain (`audit` in ASCII). */
const CHAIN_LOCK_KEY = 0x6175646974;

export interface AuditEventInput {
  readonly actor: Actor;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  /** The full payload of the change. Only its digest is stored. */
  readonly payload: CanonicalValue;
  /** Non-personal facts worth reading without the payload (counts, reasons, numbers). */
  readonly details?: Readonly<Record<string, CanonicalValue>>;
  readonly occurredAt: Date;
  readonly requestId?: string | undefined;
}

/**
 * Records audit events inside the caller's transaction, so an event exists if and only if the
 * change it describes was committed.
 */
export async function recordAuditEvents(
  trx: Transaction<Database>,
  events: readonly AuditEventInput[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 2000) {
    await trx
      .insertInto('audit_events')
      .values(events.slice(i, i + 2000).map(auditEventRow))
      .execute();
  }
}

/**
 * The row an audit event becomes. Exported for writers that insert the event inside a larger
 * statement (the registration hot path writes registration, audit event and outbox message in one
 * statement); every audit row is built here.
 */
export function auditEventRow(e: AuditEventInput) {
  return {
    occurred_at: e.occurredAt,
    actor_sub: e.actor.sub,
    actor_role: e.actor.role,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    payload_digest: digestOf(e.payload),
    details: JSON.stringify(e.details ?? {}),
    request_id: e.requestId ?? null,
  };
}

export function recordAuditEvent(trx: Transaction<Database>, event: AuditEventInput): Promise<void> {
  return recordAuditEvents(trx, [event]);
}

interface ChainableEvent {
  readonly id: string;
  readonly occurred_at: Date;
  readonly actor_sub: string;
  readonly actor_role: string;
  readonly action: string;
  readonly entity_type: string;
  readonly entity_id: string;
  readonly payload_digest: string;
  readonly details: Record<string, unknown>;
  readonly request_id: string | null;
}

/** The bytes a chain link hashes: the previous hash, a newline, and the event in canonical JSON. */
export function linkHash(prevHash: string, seq: bigint, event: ChainableEvent): string {
  const body = canonicalJson({
    seq,
    eventId: event.id,
    occurredAt: event.occurred_at,
    actor: { sub: event.actor_sub, role: event.actor_role },
    action: event.action,
    entity: { type: event.entity_type, id: event.entity_id },
    payloadDigest: event.payload_digest,
    details: event.details as CanonicalValue,
    requestId: event.request_id,
  });
  return sha256Hex(`${prevHash}\n${body}`);
}

/**
 * Appends settled events to the chain. An event is settled once no transaction older than its own
 * is still running (its txid is below the snapshot's xmin), so no event can later appear before it
 * in (txid, id) order. Holds an advisory lock while appending; a concurrent call returns 0 at once.
 * Returns the number of events chained.
 */
export async function chainPendingAuditEvents(db: Kysely<Database>, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const chained = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ locked: boolean }>`
        select pg_try_advisory_xact_lock(${CHAIN_LOCK_KEY}) as locked
      `.execute(trx);
      if (!rows[0]?.locked) return -1;
      const head = await trx
        .selectFrom('audit_chain as c')
        .innerJoin('audit_events as e', 'e.id', 'c.event_id')
        .select(['c.seq', 'c.hash', 'e.id', sql<string>`e.txid::text`.as('txid')])
        .orderBy('c.seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const after = head
        ? sql<boolean>`(txid, id) > (${head.txid}::xid8, ${head.id}::bigint)`
        : sql<boolean>`true`;
      const events = await trx
        .selectFrom('audit_events')
        .select([
          'id',
          'occurred_at',
          'actor_sub',
          'actor_role',
          'action',
          'entity_type',
          'entity_id',
          'payload_digest',
          'details',
          'request_id',
        ])
        .where(after)
        .where(sql<boolean>`txid < pg_snapshot_xmin(pg_current_snapshot())`)
        .orderBy('txid')
        .orderBy('id')
        .limit(batchSize)
        .execute();
      if (events.length === 0) return 0;
      let prev = head?.hash ?? GENESIS_HASH;
      let seq = head ? BigInt(head.seq) : 0n;
      const links = events.map((event) => {
        seq += 1n;
        const hash = linkHash(prev, seq, event);
        const link = { seq: seq.toString(), event_id: event.id, prev_hash: prev, hash };
        prev = hash;
        return link;
      });
      for (let i = 0; i < links.length; i += 2000) {
        await trx
          .insertInto('audit_chain')
          .values(links.slice(i, i + 2000))
          .execute();
      }
      return links.length;
    });
    if (chained <= 0) return total;
    total += chained;
    if (chained < batchSize) return total;
  }
}

/**
 * Chains every event committed before the call, waiting for older transactions elsewhere in the
 * cluster to settle if need be (their xids hold the snapshot's xmin back). For tests, shutdown and
 * the audit CLI. Returns the number of events chained.
 */
export async function chainAllAuditEvents(db: Kysely<Database>, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const { maxId } = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('id').as('maxId'))
    .executeTakeFirstOrThrow();
  let total = 0;
  for (;;) {
    total += await chainPendingAuditEvents(db);
    if (maxId === null) return total;
    const waiting = await db
      .selectFrom('audit_events as e')
      .leftJoin('audit_chain as c', 'c.event_id', 'e.id')
      .where('c.event_id', 'is', null)
      .where('e.id', '<=', maxId)
      .select('e.id')
      .limit(1)
      .executeTakeFirst();
    if (!waiting) return total;
    if (Date.now() > deadline)
      throw new Error('audit events are still waiting to be chained after the timeout');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The event columns a chain link covers, as selected alongside `audit_chain as c`. */
const linkedEventColumns = [
  'e.id',
  'e.occurred_at',
  'e.actor_sub',
  'e.actor_role',
  'e.action',
  'e.entity_type',
  'e.entity_id',
  'e.payload_digest',
  'e.details',
  'e.request_id',
] as const;

export type ChainBreak =
  | { readonly kind: 'seq-gap'; readonly seq: string; readonly expectedSeq: string }
  | { readonly kind: 'prev-hash-mismatch'; readonly seq: string; readonly eventId: string }
  | { readonly kind: 'hash-mismatch'; readonly seq: string; readonly eventId: string };

export interface ChainVerification {
  readonly ok: boolean;
  /** Links checked before the first break (or all of them). */
  readonly checked: number;
  readonly head: string;
  readonly firstBreak: ChainBreak | undefined;
  /** Settled events not yet in the chain: the chainer has work to do (not a break). */
  readonly unchained: number;
}

/**
 * Walks the chain from the genesis, recomputing every link from the event it points to, and stops at
 * the first link that does not match. Read-only.
 */
export async function verifyAuditChain(
  db: Kysely<Database>,
  options: { pageSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 10_000;
  let prev = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_chain as c')
      .leftJoin('audit_events as e', 'e.id', 'c.event_id')
      .select(['c.seq', 'c.prev_hash', 'c.hash', 'c.event_id', ...linkedEventColumns])
      .where('c.seq', '>=', expectedSeq.toString())
      .orderBy('c.seq')
      .limit(pageSize)
      .execute();
    for (const row of page) {
      const seq = BigInt(row.seq);
      const fail = (firstBreak: ChainBreak): ChainVerification => ({
        ok: false,
        checked,
        head: prev,
        firstBreak,
        unchained: 0,
      });
      if (seq !== expectedSeq) {
        return fail({ kind: 'seq-gap', seq: row.seq, expectedSeq: expectedSeq.toString() });
      }
      if (row.prev_hash !== prev)
        return fail({ kind: 'prev-hash-mismatch', seq: row.seq, eventId: row.event_id });
      if (row.id === null || linkHash(prev, seq, row as ChainableEvent) !== row.hash) {
        return fail({ kind: 'hash-mismatch', seq: row.seq, eventId: row.event_id });
      }
      prev = row.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    options.onProgress?.(checked);
    if (page.length < pageSize) break;
  }
  const { unchained } = await db
    .selectFrom('audit_events as e')
    .leftJoin('audit_chain as c', 'c.event_id', 'e.id')
    .where('c.event_id', 'is', null)
    .select((eb) => eb.fn.countAll<string>().as('unchained'))
    .executeTakeFirstOrThrow();
  return { ok: true, checked, head: prev, firstBreak: undefined, unchained: Number(unchained) };
}

/**
 * Keeps the chain current in a running app: chains on an interval and soon after `nudge()`. Runs in
 * every process; the advisory lock lets one append at a time.
 */
export class AuditChainer {
  readonly #db: Kysely<Database>;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(db: Kysely<Database>, options: { intervalMs?: number; onError?: (err: unknown) => void } = {}) {
    this.#db = db;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#onError = options.onError ?? (() => {});
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Chains everything settled now; resolves when done. */
  async flush(): Promise<void> {
    await this.#running;
    await chainAllAuditEvents(this.#db);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = chainPendingAuditEvents(this.#db)
        .then(() => undefined, this.#onError)
        .finally(() => {
          this.#running = undefined;
          this.#schedule();
        });
    }, this.#intervalMs);
    this.#timer.unref();
  }
}

export interface AuditLogEntry {
  readonly seq: string;
  readonly eventId: string;
  readonly occurredAt: Date;
  readonly actor: { readonly sub: string; readonly role: string };
  readonly action: string;
  readonly entity: { readonly type: string; readonly id: string };
  readonly payloadDigest: string;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** Reads the chained audit log in chain order, optionally for one entity. */
export async function listAuditLog(
  db: Kysely<Database>,
  query: {
    afterSeq?: string | undefined;
    limit: number;
    entityType?: string | undefined;
    entityId?: string | undefined;
  },
): Promise<AuditLogEntry[]> {
  let q = db
    .selectFrom('audit_chain as c')
    .innerJoin('audit_events as e', 'e.id', 'c.event_id')
    .select(['c.seq', 'c.prev_hash', 'c.hash', ...linkedEventColumns]);
  if (query.afterSeq !== undefined) q = q.where('c.seq', '>', query.afterSeq);
  if (query.entityType !== undefined) q = q.where('e.entity_type', '=', query.entityType);
  if (query.entityId !== undefined) q = q.where('e.entity_id', '=', query.entityId);
  const rows = await q.orderBy('c.seq').limit(query.limit).execute();
  return rows.map((r) => ({
    seq: r.seq,
    eventId: r.id,
    occurredAt: r.occurred_at,
    actor: { sub: r.actor_sub, role: r.actor_role },
    action: r.action,
    entity: { type: r.entity_type, id: r.entity_id },
    payloadDigest: r.payload_digest,
    details: r.details,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}
