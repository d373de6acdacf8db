import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../client.ts';
import { migrateToLatest } from '../migrate.ts';
import { PGliteDialect } from '../pglite-dialect.ts';
import type { Database } from '../types.ts';
import { adminQuery, withDatabase } from './admin.ts';

/**
 * Once per test run: migrate one template (a PostgreSQL database, or a PGlite data directory dumped
 * to a file) that every test file copies, so each file gets its own database in about a second.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL || undefined;
  const runId = `g2g_t_${process.pid}_${randomBytes(3).toString('hex')}`;
  if (adminUrl) {
    const template = `${runId}_tpl`;
    await adminQuery(adminUrl, `create database ${template}`);
    const handle = await openDatabase({ databaseUrl: withDatabase(adminUrl, template), poolSize: 1 });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
    project.provide('g2gPgTemplate', template);
    project.provide('g2gPgliteDump', undefined);
    return async () => {
      await adminQuery(adminUrl, `drop database if exists ${template} with (force)`);
    };
  }
  const client = await PGlite.create();
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  await migrateToLatest(db);
  const dump = await client.dumpDataDir('none');
  const file = join(tmpdir(), `${runId}.pglite.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  project.provide('g2gPgTemplate', undefined);
  project.provide('g2gPgliteDump', file);
  return () => rmSync(file, { force: true });
}
