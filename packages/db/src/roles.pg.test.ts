import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './client.ts';
import { migrateToLatest } from './migrate.ts';
import { grantAppRole } from './roles.ts';
import { adminQuery, withDatabase } from './testing/admin.ts';
import { testDatabaseUrl } from './testing/index.ts';

// The least-privilege layout of infra/postgres: a migration role that owns the schema and an app
// role that only reads and writes rows.
const suffix = randomBytes(4).toString('hex');
const owner = `g2g_owner_${suffix}`;
const appRole = `g2g_app_${suffix}`;
const dbName = `g2g_roles_${suffix}`;
let asOwner: DatabaseHandle;
let asApp: DatabaseHandle;

const admin = () => testDatabaseUrl()!;
const urlAs = (user: string) => {
  const u = new URL(withDatabase(admin(), dbName));
  u.username = user;
  u.password = '';
  return u.toString();
};

beforeAll(async () => {
  await adminQuery(admin(), `create role ${owner} login`);
  await adminQuery(admin(), `create role ${appRole} login`);
  await adminQuery(admin(), `create database ${dbName} owner ${owner}`);
  await adminQuery(withDatabase(admin(), dbName), `alter schema public owner to ${owner}`);
  asOwner = await openDatabase({ databaseUrl: urlAs(owner), poolSize: 2 });
  await migrateToLatest(asOwner.db);
  await grantAppRole(asOwner.db, appRole);
  asApp = await openDatabase({ databaseUrl: urlAs(appRole), poolSize: 2 });
});

afterAll(async () => {
  await asApp?.close();
  await asOwner?.close();
  await adminQuery(admin(), `drop database if exists ${dbName} with (force)`);
  await adminQuery(admin(), `drop role if exists ${appRole}`);
  await adminQuery(admin(), `drop role if exists ${owner}`);
});

const denied = expect.objectContaining({ code: '42501' });

describe('database roles', () => {
  it('let the app role read and write rows and append audit events', async () => {
    await sql`insert into audit_events (occurred_at, actor_sub, actor_role, action, entity_type, entity_id, payload_digest)
      values (now(), 'op', 'centre_operator', 'test.insert', 't', '1', ${'a'.repeat(64)})`.execute(asApp.db);
    const { rows } = await sql<{ n: string }>`select count(*) as n from unions`.execute(asApp.db);
    expect(rows[0]?.n).toBe('4540');
    await sql`insert into idempotency_keys (scope, key, request_hash, response_status, response_body)
      values ('s', 'k', 'h', 201, '{}')`.execute(asApp.db);
    await sql`delete from idempotency_keys where key = 'k'`.execute(asApp.db);
  });

  it('refuse the app role UPDATE, DELETE and TRUNCATE on audit tables at the privilege level', async () => {
    for (const statement of [
      sql`update audit_events set actor_sub = 'x'`,
      sql`delete from audit_events`,
      sql`truncate audit_chain`,
    ]) {
      await expect(statement.execute(asApp.db)).rejects.toEqual(denied);
    }
  });

  it('refuse the app role any DDL', async () => {
    await expect(sql`create table intruder (id int)`.execute(asApp.db)).rejects.toEqual(denied);
    await expect(
      sql`drop trigger audit_events_append_only on audit_events`.execute(asApp.db),
    ).rejects.toEqual(denied);
    await expect(sql`alter table unions add column x int`.execute(asApp.db)).rejects.toEqual(denied);
  });

  it('let the migration role run DDL', async () => {
    await sql`create table owner_scratch (id int)`.execute(asOwner.db);
    await sql`drop table owner_scratch`.execute(asOwner.db);
  });
});
