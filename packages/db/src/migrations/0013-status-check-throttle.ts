import { type Kysely, sql } from 'kysely';

/**
 * Counters for the public status check, shared by every app process: attempts and failures per
 * client address and per registration number in a fixed window, and a lockout after repeated
 * failures. Keys are keyed hashes, so the table holds neither addresses nor numbers.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table status_check_throttle (
      key text primary key check (length(key) between 1 and 100),
      window_started_at timestamptz not null,
      attempts integer not null check (attempts >= 0),
      failures integer not null check (failures >= 0),
      locked_until timestamptz
    )
  `.execute(db);
  await sql`create index status_check_throttle_window_idx on status_check_throttle (window_started_at)`.execute(
    db,
  );
}
