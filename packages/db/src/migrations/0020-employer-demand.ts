import { type Kysely, sql } from 'kysely';

/**
 * Employer demand: employer accounts, demand orders with their versions, and placements (the workers
 * draws allocate to approved orders, followed to arrival).
 *
 * - `demand_orders` holds an order's status; its terms live in `demand_order_versions`, one row per
 *   version, append-only. `demand_orders (id, version)` points at the current version (deferred
 *   foreign key: an order and its first version are written in one transaction).
 * - `placements` may never hold more active rows for an order than the order's approved workers:
 *   the repositories check this under the order's row lock, and a trigger checks it again.
 * - A worker (registration number) is in flight (selected, medical passed, visa issued, departed)
 *   in at most one placement at a time.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table employers (
      id text primary key check (id ~ '^[A-Za-z0-9_-]{1,64}$'),
      legal_name text not null check (length(legal_name) between 2 and 200),
      country char(2) not null check (country ~ '^[A-Z]{2}$'),
      company_registration_number text not null
        check (length(company_registration_number) between 1 and 40),
      sector text not null check (sector ~ '^[a-z][a-z0-9_]{1,39}$'),
      address text not null check (length(address) between 5 and 500),
      contact_name text not null check (length(contact_name) between 1 and 200),
      contact_email text check (length(contact_email) between 3 and 254),
      contact_phone text not null check (contact_phone ~ '^\\+[0-9]{6,15}$'),
      status text not null check (status in ('pending', 'approved', 'suspended')),
      status_reason text check (length(status_reason) between 1 and 1000),
      created_at timestamptz not null,
      created_by text not null,
      approved_at timestamptz,
      updated_at timestamptz not null,
      unique (country, company_registration_number),
      check (status = 'pending' or approved_at is not null)
    )
  `.execute(db);
  await sql`create index employers_status_idx on employers (status, created_at, id)`.execute(db);

  await sql`
    create table demand_orders (
      id uuid primary key default gen_random_uuid(),
      employer_id text not null references employers (id),
      scheme_id text not null references schemes (id),
      status text not null check (status in ('draft', 'submitted', 'approved', 'rejected', 'closed')),
      version integer not null check (version >= 1),
      workers_approved integer check (workers_approved >= 1),
      reject_reason text check (length(reject_reason) between 1 and 1000),
      close_outcome text check (close_outcome in ('filled', 'cancelled')),
      close_reason text check (length(close_reason) between 1 and 1000),
      created_at timestamptz not null,
      created_by text not null,
      submitted_at timestamptz,
      approved_at timestamptz,
      decided_at timestamptz,
      decided_by text,
      closed_at timestamptz,
      closed_by text,
      updated_at timestamptz not null,
      check (status <> 'approved' or (workers_approved is not null and approved_at is not null)),
      check (status <> 'rejected' or (reject_reason is not null and decided_at is not null)),
      check ((status = 'closed') = (close_outcome is not null and close_reason is not null and closed_at is not null)),
      check (close_outcome is distinct from 'filled' or approved_at is not null)
    )
  `.execute(db);
  await sql`create index demand_orders_employer_idx on demand_orders (employer_id, created_at, id)`.execute(
    db,
  );
  await sql`create index demand_orders_list_idx on demand_orders (created_at, id)`.execute(db);
  await sql`create index demand_orders_scheme_status_idx on demand_orders (scheme_id, status)`.execute(db);

  await sql`
    create table demand_order_versions (
      demand_order_id uuid not null references demand_orders (id),
      version integer not null check (version >= 1),
      sector text not null check (sector ~ '^[a-z][a-z0-9_]{1,39}$'),
      job_title text not null check (length(job_title) between 2 and 120),
      trade text check (length(trade) between 2 and 120),
      required_skills text[] not null check (cardinality(required_skills) <= 20),
      workers_requested integer not null check (workers_requested between 1 and 100000),
      gender text not null check (gender in ('male', 'female', 'any')),
      min_age smallint not null check (min_age between 14 and 80),
      max_age smallint not null check (max_age between 14 and 80 and max_age >= min_age),
      wage_currency char(3) not null check (wage_currency in ('BDT', 'MYR', 'USD')),
      monthly_wage_minor bigint not null check (monthly_wage_minor > 0),
      contract_months smallint not null check (contract_months between 1 and 120),
      work_location text not null check (length(work_location) between 2 and 300),
      accommodation_provided boolean not null,
      accommodation_deduction_minor bigint not null
        check (accommodation_deduction_minor >= 0 and (accommodation_provided or accommodation_deduction_minor = 0)),
      accommodation_terms text not null check (length(accommodation_terms) between 1 and 1000),
      food_provided boolean not null,
      food_deduction_minor bigint not null
        check (food_deduction_minor >= 0 and (food_provided or food_deduction_minor = 0)),
      food_terms text not null check (length(food_terms) between 1 and 1000),
      expected_start_date date not null,
      workers_approved integer check (workers_approved between 1 and workers_requested),
      reason text check (length(reason) between 1 and 1000),
      recorded_at timestamptz not null,
      recorded_by_sub text not null,
      recorded_by_role text not null,
      primary key (demand_order_id, version)
    )
  `.execute(db);
  await sql`
    alter table demand_orders add constraint demand_orders_current_version_fkey
      foreign key (id, version) references demand_order_versions (demand_order_id, version)
      deferrable initially deferred
  `.execute(db);
  await sql`
    create trigger demand_order_versions_append_only before update or delete on demand_order_versions
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger demand_order_versions_no_truncate before truncate on demand_order_versions
    for each statement execute function refuse_change()
  `.execute(db);

  await sql`
    create table placements (
      id uuid primary key default gen_random_uuid(),
      demand_order_id uuid not null references demand_orders (id),
      registration_number text not null check (registration_number ~ '^[0-9]{11}$'),
      draw_id text check (length(draw_id) between 1 and 100),
      stage text not null check (stage in
        ('selected', 'medical_passed', 'medical_failed', 'visa_issued', 'departed', 'arrived', 'dropped_out')),
      dropout_reason text check (dropout_reason in
        ('withdrew', 'unreachable', 'documents_incomplete', 'visa_refused', 'deceased', 'other')),
      replaces uuid unique references placements (id),
      replaced_by uuid unique references placements (id),
      selected_at timestamptz not null,
      medical_at timestamptz,
      visa_issued_at timestamptz,
      departed_at timestamptz,
      arrived_at timestamptz,
      dropped_out_at timestamptz,
      updated_at timestamptz not null,
      unique (demand_order_id, registration_number),
      check ((stage = 'dropped_out') = (dropout_reason is not null and dropped_out_at is not null)),
      check (replaced_by is null or stage in ('medical_failed', 'dropped_out')),
      check (replaces <> id and replaced_by <> id)
    )
  `.execute(db);
  await sql`create index placements_order_stage_idx on placements (demand_order_id, stage)`.execute(db);
  await sql`
    create unique index placements_worker_in_flight_idx on placements (registration_number)
    where stage in ('selected', 'medical_passed', 'visa_issued', 'departed')
  `.execute(db);

  // The last line behind the repositories' capacity check: after each insert, every order that got
  // placements must be approved and hold no more active placements than approved workers. The
  // orders are locked first (no key update: compatible with the key-share locks the foreign key
  // check took), so that of two concurrent inserts the later one counts the earlier's.
  await sql`
    create function placements_within_approved() returns trigger language plpgsql as $$
    declare
      bad record;
    begin
      perform 1 from demand_orders o
        where o.id in (select n.demand_order_id from new_placements n)
        order by o.id for no key update;
      select o.id, o.status, o.workers_approved into bad
        from demand_orders o
        where o.id in (select n.demand_order_id from new_placements n)
          and (o.status <> 'approved' or o.workers_approved < (
            select count(*) from placements p
            where p.demand_order_id = o.id
              and p.stage in ('selected', 'medical_passed', 'visa_issued', 'departed', 'arrived')))
        limit 1;
      if found then
        raise exception 'demand order % (%, % approved) cannot take these placements', bad.id, bad.status,
          bad.workers_approved using errcode = '23514', constraint = 'placements_within_approved';
      end if;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger placements_within_approved after insert on placements
    referencing new table as new_placements
    for each statement execute function placements_within_approved()
  `.execute(db);
}
