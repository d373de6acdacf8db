import { type Kysely, sql } from 'kysely';

/**
 * Fee-cap tracking: policy versions per scheme, exchange rates, the payee registry with licences,
 * the ledger of fee entries and the findings raised on it, and pending worker reports awaiting their
 * one-time code.
 *
 * Every table that records a fact is append-only (the `refuse_change` trigger, so `grantAppRole` also
 * revokes UPDATE/DELETE/TRUNCATE from the apps' role): a correction is a reversing entry, a policy
 * change is a new version, a licence renewal is a new licence, a finding that stops holding gets a
 * resolution row. Only `fee_worker_reports` (a pending one-time-code challenge) changes state.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table fee_policy_versions (
      id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
      scheme_id text not null references schemes (id),
      currency text not null check (currency in ('BDT', 'MYR', 'USD')),
      match_window_days smallint not null check (match_window_days between 0 and 366),
      effective_from date not null,
      effective_to date check (effective_to is null or effective_to > effective_from),
      cap jsonb not null,
      categories jsonb not null,
      recorded_at timestamptz not null,
      recorded_by text not null,
      unique (scheme_id, effective_from)
    )
  `.execute(db);

  await sql`
    create table fee_exchange_rates (
      id bigserial primary key,
      base text not null check (base in ('BDT', 'MYR', 'USD')),
      quote text not null check (quote in ('BDT', 'MYR', 'USD') and quote <> base),
      rate text not null check (rate ~ '^[0-9]{1,18}(\\.[0-9]{1,18})?$'),
      date date not null,
      source text not null check (length(source) between 1 and 500),
      recorded_at timestamptz not null,
      recorded_by text not null
    )
  `.execute(db);
  // One rate per unordered pair and date (the orientation rule is the fee core's).
  await sql`
    create unique index fee_exchange_rates_pair_date
    on fee_exchange_rates (least(base, quote), greatest(base, quote), date)
  `.execute(db);

  await sql`
    create table fee_payees (
      registry_id text primary key check (registry_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
      kind text not null check (kind in
        ('recruiting_agency', 'medical_centre', 'training_centre', 'government_office', 'airline', 'employer')),
      name text not null check (length(name) between 1 and 500),
      recorded_at timestamptz not null,
      recorded_by text not null
    )
  `.execute(db);
  await sql`
    create table fee_payee_licences (
      registry_id text not null references fee_payees (registry_id),
      number text not null check (length(number) between 1 and 100),
      valid_from date not null,
      valid_to date check (valid_to is null or valid_to > valid_from),
      recorded_at timestamptz not null,
      recorded_by text not null,
      primary key (registry_id, number, valid_from)
    )
  `.execute(db);

  await sql`
    create table fee_entries (
      seq bigserial unique,
      id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
      registration_number text not null references registrations (registration_number),
      scheme_id text not null references schemes (id),
      kind text not null check (kind in ('payment', 'reversal')),
      reversal_of text unique references fee_entries (id),
      reason text,
      category text not null,
      amount_minor bigint not null,
      currency text not null check (currency in ('BDT', 'MYR', 'USD')),
      payer text not null check (payer in ('worker', 'employer', 'government')),
      payee_registry_id text references fee_payees (registry_id),
      payee_name text,
      value_date date not null,
      receipt_ref text,
      source text not null check (source in ('official_receipt', 'employer_declaration', 'worker_report')),
      recorded_by_sub text not null,
      recorded_by_role text not null,
      recorded_at timestamptz not null,
      scheme_amount_minor bigint not null,
      scheme_currency text not null check (scheme_currency in ('BDT', 'MYR', 'USD')),
      rate jsonb,
      policy_version_id text not null references fee_policy_versions (id),
      payee_check jsonb not null,
      check ((payee_registry_id is null) <> (payee_name is null)),
      check ((kind = 'reversal') = (reversal_of is not null)),
      check ((kind = 'reversal') = (reason is not null)),
      check ((kind = 'payment' and amount_minor > 0) or (kind = 'reversal' and amount_minor < 0))
    )
  `.execute(db);
  await sql`create index fee_entries_worker_idx on fee_entries (registration_number, seq)`.execute(db);
  await sql`create index fee_entries_scheme_idx on fee_entries (scheme_id, registration_number)`.execute(db);

  await sql`
    create table fee_findings (
      id text primary key,
      registration_number text not null references registrations (registration_number),
      scheme_id text not null references schemes (id),
      key text not null,
      occurrence integer not null check (occurrence >= 1),
      kind text not null check (kind in ('over_cap', 'employer_only_cost_paid_by_worker',
        'category_limit_exceeded', 'unlicensed_payee', 'unmatched_worker_report')),
      entry_id text references fee_entries (id),
      detail jsonb not null,
      raised_by text not null references fee_entries (id),
      raised_at timestamptz not null,
      unique (registration_number, key, occurrence)
    )
  `.execute(db);
  await sql`create index fee_findings_scheme_idx on fee_findings (scheme_id, raised_at)`.execute(db);
  await sql`
    create table fee_finding_resolutions (
      finding_id text primary key references fee_findings (id),
      registration_number text not null,
      resolved_by text not null references fee_entries (id),
      resolved_at timestamptz not null
    )
  `.execute(db);
  await sql`create index fee_finding_resolutions_worker_idx on fee_finding_resolutions (registration_number)`.execute(
    db,
  );

  for (const table of [
    'fee_policy_versions',
    'fee_exchange_rates',
    'fee_payees',
    'fee_payee_licences',
    'fee_entries',
    'fee_findings',
    'fee_finding_resolutions',
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

  // A worker's report of a payment, held until the one-time code sent to the worker's mobile confirms
  // it; only then does it become a ledger entry (source worker_report). The code is stored as an HMAC.
  await sql`
    create table fee_worker_reports (
      id uuid primary key,
      registration_number text not null references registrations (registration_number),
      report jsonb not null,
      code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
      status text not null default 'pending' check (status in ('pending', 'confirmed', 'locked')),
      attempts smallint not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      confirmed_at timestamptz,
      entry_id text references fee_entries (id),
      check ((status = 'confirmed') = (entry_id is not null))
    )
  `.execute(db);
  await sql`create index fee_worker_reports_worker_idx on fee_worker_reports (registration_number, created_at)`.execute(
    db,
  );
}
