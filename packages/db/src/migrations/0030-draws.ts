import { type Kysely, sql } from 'kysely';

/**
 * Draws: the ministry's seeded, witnessed lottery (docs/lottery-spec.md) and its public record.
 *
 * - `draws` holds one draw's state machine (draft -> committing -> frozen -> revealed -> executed ->
 *   published, or voided with a reason). A trigger makes every fixed fact final: the policy once
 *   commitments open, the pool hash and counts once frozen, the seed and result once executed, and
 *   the whole row once published or voided. Draws are never deleted. (Its own trigger function, not
 *   `refuse_change`: `grantAppRole` treats tables guarded by that one as append-only, and the apps'
 *   role must keep UPDATE on `draws`.)
 * - `draw_commitments`, `draw_reveals`, `draw_pool_chunks` (the canonical pool file, in order),
 *   `draw_result_chunks` (the canonical result file), `draw_results` (the selected and waitlisted
 *   rows, queryable) and `draw_promotions` (signed replacement records) are append-only: the shared
 *   `refuse_change` trigger refuses UPDATE, DELETE and TRUNCATE, and `grantAppRole` revokes those
 *   privileges from the apps' role.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table draws (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{2,63}$'),
      name text not null check (length(name) between 3 and 120),
      window_id text not null references registration_windows (id),
      source_draw_id text references draws (id),
      policy jsonb not null,
      policy_digest text not null check (policy_digest ~ '^[0-9a-f]{64}$'),
      state text not null check (state in
        ('draft', 'committing', 'frozen', 'revealed', 'executed', 'published', 'voided')),
      beacon_name text check (length(beacon_name) between 1 and 200),
      beacon_value text check (length(beacon_value) between 1 and 1000),
      pool_hash text check (pool_hash ~ '^[0-9a-f]{64}$'),
      pool_size integer check (pool_size >= 0),
      pool_bytes bigint,
      pool_strata jsonb,
      age_reference_date date,
      frozen_at timestamptz,
      seed text check (seed ~ '^[0-9a-f]{64}$'),
      result_hash text check (result_hash ~ '^[0-9a-f]{64}$'),
      result_summary jsonb,
      fairness jsonb,
      fairness_blocking boolean,
      executed_at timestamptz,
      override_reason text,
      manifest jsonb,
      manifest_jws text,
      published_at timestamptz,
      void_reason text,
      voided_from text,
      voided_at timestamptz,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null,
      check ((state = 'voided') = (void_reason is not null)),
      check (state in ('draft', 'committing', 'voided') or pool_hash is not null),
      check (state not in ('executed', 'published') or (seed is not null and result_hash is not null)),
      check (state <> 'published' or (manifest_jws is not null and published_at is not null))
    )
  `.execute(db);
  await sql`create index draws_window_idx on draws (window_id)`.execute(db);
  await sql`create index draws_source_idx on draws (source_draw_id)`.execute(db);

  await sql`
    create function draws_guard() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'TRUNCATE') then
        raise exception 'draws are never deleted (void them with a reason)' using errcode = 'P0001';
      end if;
      if old.state in ('published', 'voided') then
        raise exception 'draw % is % and can no longer change', old.id, old.state using errcode = 'P0001';
      end if;
      if old.state <> 'draft' and (new.policy is distinct from old.policy
          or new.policy_digest is distinct from old.policy_digest
          or new.window_id is distinct from old.window_id
          or new.source_draw_id is distinct from old.source_draw_id) then
        raise exception 'the policy and source of draw % are fixed once commitments open', old.id
          using errcode = 'P0001';
      end if;
      if old.pool_hash is not null and (new.pool_hash is distinct from old.pool_hash
          or new.pool_size is distinct from old.pool_size or new.pool_strata is distinct from old.pool_strata
          or new.frozen_at is distinct from old.frozen_at
          or new.beacon_name is distinct from old.beacon_name) then
        raise exception 'the frozen pool of draw % cannot change', old.id using errcode = 'P0001';
      end if;
      if old.beacon_value is not null and new.beacon_value is distinct from old.beacon_value then
        raise exception 'the beacon value of draw % is already entered', old.id using errcode = 'P0001';
      end if;
      if old.seed is not null and (new.seed is distinct from old.seed
          or new.result_hash is distinct from old.result_hash
          or new.result_summary is distinct from old.result_summary
          or new.fairness is distinct from old.fairness) then
        raise exception 'the result of draw % cannot change', old.id using errcode = 'P0001';
      end if;
      return new;
    end
    $$
  `.execute(db);
  await sql`
    create trigger draws_guard before update or delete on draws
    for each row execute function draws_guard()
  `.execute(db);
  await sql`
    create trigger draws_no_truncate before truncate on draws
    for each statement execute function draws_guard()
  `.execute(db);

  await sql`
    create table draw_commitments (
      draw_id text not null references draws (id),
      witness_id text not null check (witness_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
      commitment text not null check (commitment ~ '^[0-9a-f]{64}$'),
      committed_at timestamptz not null,
      primary key (draw_id, witness_id)
    )
  `.execute(db);
  await sql`
    create table draw_reveals (
      draw_id text not null,
      witness_id text not null,
      secret text not null check (secret ~ '^[0-9a-f]{64}$'),
      revealed_at timestamptz not null,
      primary key (draw_id, witness_id),
      foreign key (draw_id, witness_id) references draw_commitments (draw_id, witness_id)
    )
  `.execute(db);
  await sql`
    create table draw_pool_chunks (
      draw_id text not null references draws (id),
      seq integer not null check (seq >= 0),
      bytes bytea not null,
      primary key (draw_id, seq)
    )
  `.execute(db);
  await sql`
    create table draw_result_chunks (
      draw_id text not null references draws (id),
      seq integer not null check (seq >= 0),
      bytes bytea not null,
      primary key (draw_id, seq)
    )
  `.execute(db);
  await sql`
    create table draw_results (
      draw_id text not null references draws (id),
      registration_number text not null check (registration_number ~ '^[0-9]{11}$'),
      outcome text not null check (outcome in ('selected', 'waitlisted')),
      rank integer check (rank > 0),
      stratum integer not null,
      waitlist_position integer check (waitlist_position > 0),
      order_id text,
      gender text not null,
      age smallint not null,
      sectors text[] not null,
      primary key (draw_id, registration_number),
      check ((outcome = 'selected') = (rank is not null)),
      check ((outcome = 'waitlisted') = (waitlist_position is not null))
    )
  `.execute(db);
  await sql`
    create index draw_results_waitlist_idx on draw_results (draw_id, stratum, waitlist_position)
    where outcome = 'waitlisted'
  `.execute(db);
  await sql`
    create table draw_promotions (
      draw_id text not null references draws (id),
      seq integer not null check (seq >= 1),
      dropped_registration_number text not null check (dropped_registration_number ~ '^[0-9]{11}$'),
      reason text not null,
      promoted_registration_number text check (promoted_registration_number ~ '^[0-9]{11}$'),
      record jsonb not null,
      jws text not null,
      recorded_at timestamptz not null,
      recorded_by text not null,
      primary key (draw_id, seq),
      unique (draw_id, dropped_registration_number),
      unique (draw_id, promoted_registration_number)
    )
  `.execute(db);

  for (const table of [
    'draw_commitments',
    'draw_reveals',
    'draw_pool_chunks',
    'draw_result_chunks',
    'draw_results',
    'draw_promotions',
  ]) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_change()
    `.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_change()
    `.execute(db);
  }
}
