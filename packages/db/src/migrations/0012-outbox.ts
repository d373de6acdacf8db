import { type Kysely, sql } from 'kysely';

/**
 * The platform's outbox: messages (SMS to workers, alerts to the vigilance desk) written in the same
 * transaction as the change they announce, and sent after commit by the OutboxSender. A claimed
 * message is `sending` under a lease (`next_attempt_at` is the lease's end); `sent` and `dead` are
 * final, and a trigger keeps them so: a message is marked sent exactly once.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table outbox_messages (
      id bigserial primary key,
      channel text not null check (channel in ('sms', 'alert')),
      recipient text not null check (length(recipient) between 1 and 200),
      template text not null check (template ~ '^[a-z][a-z0-9.-]*$'),
      body text not null check (length(body) between 1 and 2000),
      dedupe_key text not null unique check (length(dedupe_key) between 1 and 200),
      status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'dead')),
      attempts smallint not null default 0 check (attempts >= 0),
      next_attempt_at timestamptz not null default now(),
      claimed_by text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      transport_ref text,
      last_error text,
      check ((status = 'sent') = (sent_at is not null))
    )
  `.execute(db);
  await sql`
    create index outbox_messages_due_idx on outbox_messages (next_attempt_at)
    where status in ('pending', 'sending')
  `.execute(db);
  await sql`
    create function refuse_change_after_delivery() returns trigger language plpgsql as $$
    begin
      if old.status in ('sent', 'dead') then
        raise exception 'outbox message % is already %', old.id, old.status using errcode = 'P0001';
      end if;
      return new;
    end
    $$
  `.execute(db);
  await sql`
    create trigger outbox_messages_final before update on outbox_messages
    for each row execute function refuse_change_after_delivery()
  `.execute(db);
}
