import { type Kysely, sql } from 'kysely';
import type { Database } from './types.ts';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Gives the apps' database role exactly what it needs, run by the migration role after migrating:
 * read and write rows in every table, use sequences, nothing else. It cannot change the schema (it
 * owns nothing and has no CREATE on the schema), and on append-only tables (those guarded by the
 * `refuse_change` trigger) it cannot UPDATE, DELETE or TRUNCATE even if the trigger were dropped.
 */
export async function grantAppRole(db: Kysely<Database>, appRole: string): Promise<{ appendOnly: string[] }> {
  if (!ROLE_NAME.test(appRole)) throw new Error(`not a role name: ${appRole}`);
  const role = sql.id(appRole);
  await sql`revoke create on schema public from public`.execute(db);
  await sql`grant usage on schema public to ${role}`.execute(db);
  await sql`grant select, insert, update, delete on all tables in schema public to ${role}`.execute(db);
  await sql`grant usage, select on all sequences in schema public to ${role}`.execute(db);
  await sql`revoke all on schema_migrations, schema_migrations_lock from ${role}`.execute(db);
  await sql`grant select on schema_migrations, schema_migrations_lock to ${role}`.execute(db);
  const { rows } = await sql<{ table_name: string }>`
    select distinct c.relname as table_name
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_namespace n on n.oid = c.relnamespace
    where t.tgfoid = 'refuse_change'::regproc and n.nspname = 'public'
    order by 1
  `.execute(db);
  for (const { table_name } of rows) {
    await sql`revoke update, delete, truncate on ${sql.table(table_name)} from ${role}`.execute(db);
  }
  return { appendOnly: rows.map((r) => r.table_name) };
}
