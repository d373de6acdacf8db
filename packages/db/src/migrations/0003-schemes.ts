import { type Kysely, sql } from 'kysely';

/** Schemes: one bilateral programme each, with the rules its demand orders must keep. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table schemes (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{2,62}$'),
      name text not null unique check (length(name) between 3 and 120),
      origin_country char(2) not null check (origin_country ~ '^[A-Z]{2}$'),
      destination_country char(2) not null check (destination_country ~ '^[A-Z]{2}$'),
      wage_currency char(3) not null check (wage_currency in ('BDT', 'MYR', 'USD')),
      sectors text[] not null check (cardinality(sectors) between 1 and 50),
      min_monthly_wage_minor bigint not null check (min_monthly_wage_minor > 0),
      max_contract_months smallint not null check (max_contract_months between 1 and 120),
      min_age smallint not null check (min_age between 14 and 80),
      max_age smallint not null check (max_age between 14 and 80 and max_age >= min_age),
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
}
