import { type Kysely, sql } from 'kysely';

/**
 * Registration windows: a scheme's period of registration, with the sectors it offers, who may
 * register, the service charge collected at the centre, and opening and closing times per division
 * (every division has a row). Amendments are kept, append-only, with their reason.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table registration_windows (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{2,62}$'),
      scheme_id text not null references schemes (id),
      name text not null check (length(name) between 3 and 120),
      sectors text[] not null check (cardinality(sectors) between 1 and 50),
      min_age smallint not null check (min_age between 14 and 80),
      max_age smallint not null check (max_age between 14 and 80 and max_age >= min_age),
      age_reference_date date,
      genders text[] not null
        check (cardinality(genders) between 1 and 3 and genders <@ array['male', 'female', 'other']),
      citizenship char(2) not null default 'BD' check (citizenship = 'BD'),
      service_charge_minor bigint not null check (service_charge_minor >= 0),
      service_charge_currency char(3) not null check (service_charge_currency = 'BDT'),
      version integer not null default 1 check (version >= 1),
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null
    )
  `.execute(db);
  await sql`create index registration_windows_scheme_idx on registration_windows (scheme_id)`.execute(db);
  await sql`
    create table registration_window_schedule (
      window_id text not null references registration_windows (id),
      division_id smallint not null references divisions (id),
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      primary key (window_id, division_id),
      check (opens_at < closes_at)
    )
  `.execute(db);
  await sql`
    create table registration_window_amendments (
      window_id text not null references registration_windows (id),
      version integer not null check (version >= 2),
      amended_at timestamptz not null,
      amended_by text not null,
      reason text not null check (length(reason) between 5 and 500),
      previous jsonb not null,
      primary key (window_id, version)
    )
  `.execute(db);
  await sql`
    create trigger registration_window_amendments_append_only
    before update or delete on registration_window_amendments
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger registration_window_amendments_no_truncate
    before truncate on registration_window_amendments
    for each statement execute function refuse_change()
  `.execute(db);
}
