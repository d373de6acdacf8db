import { type Kysely, sql } from 'kysely';

/**
 * Foundation: administrative geography (filled by 0002), the hash-chained audit log, idempotency
 * keys, and the shared `refuse_change` trigger function that makes a table append-only.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% on % is not allowed: the table is append-only', tg_op, tg_table_name
        using errcode = 'P0001', hint = 'append a new record instead';
    end
    $$
  `.execute(db);

  await sql`
    create table divisions (
      id smallint primary key,
      name text not null unique,
      name_bn text not null
    )
  `.execute(db);
  await sql`
    create table districts (
      id smallint primary key,
      division_id smallint not null references divisions (id),
      name text not null unique,
      name_bn text not null
    )
  `.execute(db);
  await sql`
    create table upazilas (
      id smallint primary key,
      district_id smallint not null references districts (id),
      name text not null,
      name_bn text not null
    )
  `.execute(db);
  await sql`create index upazilas_district_idx on upazilas (district_id)`.execute(db);
  await sql`
    create table unions (
      id smallint primary key,
      upazila_id smallint not null references upazilas (id),
      name text not null,
      name_bn text not null,
      centre_code text not null unique check (centre_code ~ '^U[0-9]{4}$')
    )
  `.execute(db);
  await sql`create index unions_upazila_idx on unions (upazila_id)`.execute(db);

  // Audit log. Events are written in the same transaction as the change they record; the chain
  // (prev_hash -> hash) is appended by the chainer in (txid, id) order once the writing transaction
  // is settled, so concurrent writers never wait on one another and the chain never forks.
  await sql`
    create table audit_events (
      id bigserial primary key,
      txid xid8 not null default pg_current_xact_id(),
      occurred_at timestamptz(3) not null,
      actor_sub text not null check (length(actor_sub) between 1 and 200),
      actor_role text not null,
      action text not null check (action ~ '^[a-z][a-z0-9_.-]*$'),
      entity_type text not null,
      entity_id text not null,
      payload_digest text not null check (payload_digest ~ '^[0-9a-f]{64}$'),
      details jsonb not null default '{}'::jsonb,
      request_id text
    )
  `.execute(db);
  await sql`create index audit_events_chain_order_idx on audit_events (txid, id)`.execute(db);
  await sql`create index audit_events_entity_idx on audit_events (entity_type, entity_id)`.execute(db);
  await sql`
    create table audit_chain (
      seq bigint primary key check (seq >= 1),
      event_id bigint not null unique references audit_events (id),
      prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text not null unique check (hash ~ '^[0-9a-f]{64}$'),
      chained_at timestamptz not null default now()
    )
  `.execute(db);
  for (const table of ['audit_events', 'audit_chain']) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_change()
    `.execute(db);
  }

  await sql`
    create table idempotency_keys (
      scope text not null,
      key text not null check (length(key) between 1 and 255),
      request_hash text not null,
      response_status smallint not null,
      response_body jsonb not null,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    )
  `.execute(db);
  await sql`create index idempotency_keys_created_idx on idempotency_keys (created_at)`.execute(db);
}
