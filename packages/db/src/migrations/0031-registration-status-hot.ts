import { type Kysely, sql } from 'kysely';

/**
 * Lets a draw's mass status changes be HOT updates (heap-only tuples, no index writes).
 *
 * A national freeze moves every registration of a window to `in_draw_pool` and the publish moves
 * the pool on to `not_selected`. PostgreSQL can only update a row in place on its page, without
 * touching any index, when (a) no column an index refers to changes, including columns in an index
 * predicate, and (b) the page has room for the new row version. Neither held: the one-active-per-
 * person index was partial on `status <> 'withdrawn'`, and pages were filled to 100 %. Each status
 * change therefore wrote a new entry into every index of the table (measured: 300,000 rows, 5.3 s,
 * 360 MB of WAL; HOT: 1.6 s).
 *
 * - `active` is a stored generated column, `status <> 'withdrawn'`. The unique index is rebuilt on
 *   the same columns with `where active`: the same rule (one registration per person per window that
 *   is not withdrawn), but a change between registered / in_draw_pool / selected / waitlisted /
 *   not_selected leaves every indexed value as it was. Withdrawal changes `active` and is an
 *   ordinary update, as before. Writers name the index by `on conflict (window_id, id_hash) where
 *   active`. No index may refer to `status` (a test checks this).
 * - fillfactor 50: every page keeps half its space free, so that the freeze, whose one transaction
 *   gives every row of a window a second version, finds room for it on the same page; the publish,
 *   after the freeze has committed, prunes the first version and reuses its space. The cost is a
 *   registration table about twice the size on disk. Adding `active` rewrites the table, and the
 *   rewrite already honours the new fillfactor, so existing registrations get the free space too.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table registrations set (fillfactor = 50)`.execute(db);
  await sql`
    alter table registrations add column active boolean generated always as (status <> 'withdrawn') stored
  `.execute(db);
  await sql`drop index registrations_one_active_per_person`.execute(db);
  await sql`
    create unique index registrations_one_active_per_person
    on registrations (window_id, id_hash) where active
  `.execute(db);
}
