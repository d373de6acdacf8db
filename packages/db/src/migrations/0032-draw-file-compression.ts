import { type Kysely, sql } from 'kysely';

/**
 * The stored draw files (pool and result, in chunks of about 1 MB) are compressed with lz4 rather
 * than PostgreSQL's default pglz: a national pool file is 98 MB, and pglz spent about 1 s of the
 * freeze compressing it (measured: 1.7 s to store 98 MB with pglz, 0.7 s with lz4, 25 MB on disk
 * instead of 20 MB; reading back costs the same). Only new files are affected. A server built
 * without lz4 (PGlite, for one) refuses the method; it keeps pglz, with the same bytes stored.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    begin
      alter table draw_pool_chunks alter column bytes set compression lz4;
      alter table draw_result_chunks alter column bytes set compression lz4;
    exception when feature_not_supported then
      null;
    end
    $$
  `.execute(db);
}
