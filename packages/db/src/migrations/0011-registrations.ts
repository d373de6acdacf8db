import { type Kysely, sql } from 'kysely';

/**
 * Registrations and the numbers they carry.
 *
 * - One sequence gives 10-digit serials to online registrations and to the blocks of numbers centres
 *   reserve for offline use; the number is the serial and its Damm check digit.
 * - A national identity number is never stored: only an HMAC-SHA-256 under a server secret of its
 *   normalised form (`id_hash`) and its last four digits. One active registration per person per
 *   window is the partial unique index on (window_id, id_hash).
 * - The status check constraint already holds the draw outcomes the draw engine will set.
 * - Reserved numbers are recorded with their centre and used at most once (trigger).
 * - Offline batch items are kept (append-only) by centre and client id, so a replayed batch gets the
 *   same per-item results and creates nothing.
 * - `window_id` has no foreign key: every registration would take a KEY SHARE lock on its window's
 *   one row, which makes that row a lock every concurrent registration queues on (and the check costs
 *   a third of a bulk insert). Both writers check the window in the same statement or transaction, and
 *   windows can never be deleted (trigger), so the reference cannot dangle.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create sequence registration_serial_seq as bigint minvalue 1 maxvalue 9999999999 no cycle
  `.execute(db);

  await sql`
    create table registrations (
      registration_number text primary key check (registration_number ~ '^[0-9]{11}$'),
      window_id text not null,
      centre_union_id smallint not null references unions (id),
      permanent_union_id smallint not null references unions (id),
      id_kind text not null check (id_kind in ('nid', 'birth-registration')),
      id_hash bytea not null check (length(id_hash) = 32),
      id_last4 text not null check (id_last4 ~ '^[0-9]{4}$'),
      name_en text not null check (length(name_en) between 2 and 100),
      name_bn text not null check (length(name_bn) between 2 and 100),
      gender text not null check (gender in ('male', 'female', 'other')),
      date_of_birth date not null,
      mobile text not null check (mobile ~ '^\\+8801[3-9][0-9]{8}$'),
      preferred_sectors text[] not null check (cardinality(preferred_sectors) between 1 and 50),
      education text not null,
      trade text,
      skills text[] not null default '{}',
      experience_years smallint not null default 0 check (experience_years between 0 and 60),
      passport_number text check (passport_number ~ '^[A-Z0-9]{9}$'),
      status text not null default 'registered' check (status in
        ('registered', 'withdrawn', 'in_draw_pool', 'selected', 'waitlisted', 'not_selected')),
      waitlist_position integer
        check (waitlist_position is null or (status = 'waitlisted' and waitlist_position >= 1)),
      channel text not null check (channel in ('online', 'offline')),
      registered_at timestamptz not null,
      registered_by text not null,
      recorded_at timestamptz not null default now(),
      withdrawn_at timestamptz,
      withdrawal_reason text,
      check ((status = 'withdrawn') = (withdrawn_at is not null))
    )
  `.execute(db);
  await sql`
    create function refuse_window_delete() returns trigger language plpgsql as $$
    begin
      raise exception 'registration windows are never deleted' using errcode = 'P0001';
    end
    $$
  `.execute(db);
  await sql`
    create trigger registration_windows_never_deleted before delete on registration_windows
    for each row execute function refuse_window_delete()
  `.execute(db);
  await sql`
    create trigger registration_windows_never_truncated before truncate on registration_windows
    for each statement execute function refuse_window_delete()
  `.execute(db);
  await sql`
    create unique index registrations_one_active_per_person
    on registrations (window_id, id_hash) where status <> 'withdrawn'
  `.execute(db);
  await sql`
    create index registrations_centre_idx on registrations (centre_union_id, registered_at, registration_number)
  `.execute(db);

  await sql`
    create table number_reservations (
      registration_number text primary key check (registration_number ~ '^[0-9]{11}$'),
      centre_union_id smallint not null references unions (id),
      block_id text not null,
      reserved_at timestamptz not null,
      reserved_by text not null,
      used_at timestamptz,
      used_as text check (used_as in ('registered', 'duplicate')),
      check ((used_at is null) = (used_as is null))
    )
  `.execute(db);
  await sql`create index number_reservations_block_idx on number_reservations (centre_union_id, block_id)`.execute(
    db,
  );
  await sql`
    create function refuse_reuse_of_reserved_number() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' or old.used_at is not null then
        raise exception 'reserved number % is already used', old.registration_number
          using errcode = 'P0001';
      end if;
      if new.registration_number <> old.registration_number or new.centre_union_id <> old.centre_union_id then
        raise exception 'a reserved number stays with its centre' using errcode = 'P0001';
      end if;
      return new;
    end
    $$
  `.execute(db);
  await sql`
    create trigger number_reservations_used_once before update or delete on number_reservations
    for each row execute function refuse_reuse_of_reserved_number()
  `.execute(db);

  await sql`
    create table registration_batch_items (
      centre_union_id smallint not null references unions (id),
      client_id text not null check (length(client_id) between 1 and 64),
      item_digest text not null check (item_digest ~ '^[0-9a-f]{64}$'),
      batch_id text not null,
      outcome text not null check (outcome in ('created', 'duplicate')),
      registration_number text not null check (registration_number ~ '^[0-9]{11}$'),
      void_number text check (void_number ~ '^[0-9]{11}$'),
      recorded_at timestamptz not null default now(),
      primary key (centre_union_id, client_id)
    )
  `.execute(db);
  for (const table of ['registration_batch_items']) {
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
