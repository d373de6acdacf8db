import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type MessageChannel,
  type MessageParams,
  type MessageTemplate,
  renderMessage,
} from '@g2g/registration';
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Database, OutboxMessageTable } from './types.ts';

/**
 * The platform's outbox. A change that must tell someone (an SMS to a worker, an alert to the
 * vigilance desk) enqueues the message in its own transaction; the OutboxSender sends it after
 * commit. Messages are rendered from the template catalogue (`@g2g/registration` messages.ts) in
 * Bangla and English when enqueued, so the stored body is exactly what is sent.
 */
export interface MessageInput<T extends MessageTemplate = MessageTemplate> {
  readonly channel: MessageChannel;
  /** E.164 number for `sms`; a desk or mailbox name for `alert`. */
  readonly recipient: string;
  readonly template: T;
  readonly params: MessageParams<T>;
  /** At most one message per key is ever enqueued (e.g. `registration.confirmed:00000123457`). */
  readonly dedupeKey: string;
}

/** A message of any template, its parameters matching that template. */
export type AnyMessageInput = { [T in MessageTemplate]: MessageInput<T> }[MessageTemplate];

/** The row a message becomes (exported so set-wise writers insert exactly what `enqueueMessage` does). */
export function outboxRow<T extends MessageTemplate>(
  message: MessageInput<T>,
): Insertable<OutboxMessageTable> & { body: string } {
  return {
    channel: message.channel,
    recipient: message.recipient,
    template: message.template,
    body: renderMessage(message.template, message.params).text,
    dedupe_key: message.dedupeKey,
  };
}

/** Enqueues one message in the caller's transaction; a repeated dedupe key enqueues nothing. */
export function enqueueMessage<T extends MessageTemplate>(
  trx: Transaction<Database>,
  message: MessageInput<T>,
): Promise<void> {
  return enqueueMessages(trx, [message as AnyMessageInput]);
}

export async function enqueueMessages(
  trx: Transaction<Database>,
  messages: readonly AnyMessageInput[],
): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((m) => outboxRow(m));
  // One statement whatever the count (arrays, not one parameter per value).
  await sql`
    insert into outbox_messages (channel, recipient, template, body, dedupe_key)
    select * from unnest(${rows.map((r) => r.channel)}::text[], ${rows.map((r) => r.recipient)}::text[],
                         ${rows.map((r) => r.template)}::text[], ${rows.map((r) => r.body)}::text[],
                         ${rows.map((r) => r.dedupe_key)}::text[])
    on conflict (dedupe_key) do nothing
  `.execute(trx);
}

export interface OutgoingMessage {
  readonly id: string;
  readonly channel: MessageChannel;
  readonly recipient: string;
  readonly template: string;
  readonly body: string;
  readonly dedupeKey: string;
  /** 1 on the first try. */
  readonly attempt: number;
}

/** Where messages go: an SMS gateway, the vigilance desk's inbox, the console in development. */
export interface MessageTransport {
  readonly name: string;
  /**
   * Delivers one message; resolves with the gateway's reference. Throw to retry later, or throw a
   * `PermanentDeliveryError` when retrying cannot help (e.g. the gateway refuses the number). The
   * message id is stable across retries: pass it to a gateway that deduplicates.
   */
  send(message: OutgoingMessage): Promise<{ readonly ref: string | null }>;
}

export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** Development transport: one line per message on the given writer (stdout by default). */
export function consoleTransport(
  write: (line: string) => void = (l) => process.stdout.write(l),
): MessageTransport {
  return {
    name: 'console',
    send: async (m) => {
      write(`[${m.channel} #${m.id} to ${m.recipient}] ${m.body.replaceAll('\n', ' | ')}\n`);
      return { ref: null };
    },
  };
}

/** A transport that keeps what it was given (tests); `failNext(n)` makes the next n sends throw. */
export function memoryTransport() {
  const sent: OutgoingMessage[] = [];
  let failures = 0;
  let permanent = false;
  const transport: MessageTransport & {
    sent: OutgoingMessage[];
    failNext(n: number, options?: { permanent?: boolean }): void;
  } = {
    name: 'memory',
    sent,
    failNext(n, options = {}) {
      failures = n;
      permanent = options.permanent ?? false;
    },
    async send(m) {
      if (failures > 0) {
        failures--;
        throw permanent ? new PermanentDeliveryError('refused') : new Error('gateway timeout');
      }
      sent.push(m);
      return { ref: `mem-${m.id}` };
    },
  };
  return transport;
}

export interface OutboxSenderOptions {
  readonly batchSize?: number;
  /** Attempts before a message is dead-lettered. */
  readonly maxAttempts?: number;
  /** How long a claim lasts; a sender that dies mid-send leaves its claims to expire. */
  readonly leaseMs?: number;
  readonly pollMs?: number;
  /** Delay before attempt n+1 after n failed ones. */
  readonly backoffMs?: (failedAttempts: number) => number;
  readonly concurrency?: number;
  readonly clock?: () => Date;
  readonly senderId?: string;
  readonly onError?: (err: unknown) => void;
}

export const defaultBackoffMs = (failed: number) =>
  Math.min(15 * 60_000, 5_000 * 2 ** Math.max(0, failed - 1));

export interface DrainResult {
  readonly sent: number;
  readonly failed: number;
  readonly dead: number;
}

/**
 * Drains the outbox in the background. Each round claims due messages with `FOR UPDATE SKIP LOCKED`
 * (so senders in other processes take other rows) and marks them `sending` under a lease, sends
 * them, then marks the delivered ones `sent` in one statement that also checks the claim is still
 * its own. A failure is retried after a backoff; after `maxAttempts` (or a permanent failure) the
 * message is `dead`. `sent` and `dead` are final (a trigger refuses any later change), so a message
 * is marked sent exactly once; it can be sent twice only if a sender dies between the gateway's
 * acceptance and the mark, and then with the same message id.
 */
export class OutboxSender {
  readonly #db: Kysely<Database>;
  readonly #transport: MessageTransport;
  readonly #batchSize: number;
  readonly #maxAttempts: number;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #backoffMs: (failed: number) => number;
  readonly #concurrency: number;
  readonly #clock: () => Date;
  readonly #onError: (err: unknown) => void;
  readonly senderId: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(db: Kysely<Database>, transport: MessageTransport, options: OutboxSenderOptions = {}) {
    this.#db = db;
    this.#transport = transport;
    this.#batchSize = options.batchSize ?? 100;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#pollMs = options.pollMs ?? 500;
    this.#backoffMs = options.backoffMs ?? defaultBackoffMs;
    this.#concurrency = options.concurrency ?? 8;
    this.#clock = options.clock ?? (() => new Date());
    this.#onError = options.onError ?? (() => {});
    this.senderId = options.senderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  get transportName(): string {
    return this.#transport.name;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Sends everything due now, round after round, until a round finds nothing. */
  async drain(): Promise<DrainResult> {
    const total = { sent: 0, failed: 0, dead: 0 };
    for (;;) {
      const round = await this.drainOnce();
      total.sent += round.sent;
      total.failed += round.failed;
      total.dead += round.dead;
      if (round.sent + round.failed + round.dead === 0) return total;
    }
  }

  /** One round: claim up to batchSize due messages, send them, record the outcome. */
  async drainOnce(): Promise<DrainResult> {
    const now = this.#clock();
    const claimed = await this.#claim(now);
    let sent = 0;
    let failed = 0;
    let dead = claimed.expired;
    for (let i = 0; i < claimed.messages.length; i += this.#concurrency) {
      const chunk = claimed.messages.slice(i, i + this.#concurrency);
      const outcomes = await Promise.all(
        chunk.map((m) =>
          this.#transport.send(m).then(
            (receipt) => ({ m, ok: true as const, ref: receipt.ref }),
            (err: unknown) => ({ m, ok: false as const, err }),
          ),
        ),
      );
      const delivered = outcomes.filter((o) => o.ok);
      if (delivered.length > 0) {
        await sql`
          update outbox_messages as o
          set status = 'sent', sent_at = ${this.#clock()}, transport_ref = d.ref, claimed_by = null, last_error = null
          from (select unnest(${delivered.map((d) => d.m.id)}::bigint[]) as id,
                       unnest(${delivered.map((d) => d.ref)}::text[]) as ref) as d
          where o.id = d.id and o.status = 'sending' and o.claimed_by = ${this.senderId}
        `.execute(this.#db);
        sent += delivered.length;
      }
      for (const o of outcomes) {
        if (o.ok) continue;
        const permanent = o.err instanceof PermanentDeliveryError;
        const giveUp = permanent || o.m.attempt >= this.#maxAttempts;
        const reason = o.err instanceof Error ? `${o.err.name}: ${o.err.message}` : 'failed';
        await this.#db
          .updateTable('outbox_messages')
          .set({
            status: giveUp ? 'dead' : 'pending',
            next_attempt_at: new Date(this.#clock().getTime() + this.#backoffMs(o.m.attempt)),
            claimed_by: null,
            last_error: reason.slice(0, 500),
          })
          .where('id', '=', o.m.id)
          .where('status', '=', 'sending')
          .where('claimed_by', '=', this.senderId)
          .execute();
        if (giveUp) dead++;
        else failed++;
      }
    }
    return { sent, failed, dead };
  }

  async #claim(now: Date): Promise<{ messages: OutgoingMessage[]; expired: number }> {
    return this.#db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        id: string;
        channel: string;
        recipient: string;
        template: string;
        body: string;
        dedupe_key: string;
        attempts: number;
        status: string;
      }>`
        with due as (
          select id from outbox_messages
          where status in ('pending', 'sending') and next_attempt_at <= ${now}
          order by next_attempt_at, id
          limit ${this.#batchSize}
          for update skip locked
        )
        update outbox_messages as o
        set status = case when o.attempts >= ${this.#maxAttempts} then 'dead' else 'sending' end,
            attempts = case when o.attempts >= ${this.#maxAttempts} then o.attempts else o.attempts + 1 end,
            claimed_by = case when o.attempts >= ${this.#maxAttempts} then null else ${this.senderId} end,
            last_error = case when o.attempts >= ${this.#maxAttempts} then 'lease expired on the last attempt'
                              else o.last_error end,
            next_attempt_at = ${new Date(now.getTime() + this.#leaseMs)}
        from due
        where o.id = due.id
        returning o.id, o.channel, o.recipient, o.template, o.body, o.dedupe_key, o.attempts, o.status
      `.execute(trx);
      const messages = rows
        .filter((r) => r.status === 'sending')
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((r) => ({
          id: r.id,
          channel: r.channel as MessageChannel,
          recipient: r.recipient,
          template: r.template,
          body: r.body,
          dedupeKey: r.dedupe_key,
          attempt: r.attempts,
        }));
      return { messages, expired: rows.length - messages.length };
    });
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const round = this.drainOnce();
      this.#running = round;
      round
        .then(
          (r) => this.#schedule(r.sent + r.failed + r.dead >= this.#batchSize ? 0 : this.#pollMs),
          (err) => {
            this.#onError(err);
            this.#schedule(this.#pollMs * 4);
          },
        )
        .finally(() => {
          if (this.#running === round) this.#running = undefined;
        });
    }, delay);
    this.#timer.unref();
  }
}

/** Counts of outbox messages by status (for readiness reports, tests and the benchmark). */
export async function outboxCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
