import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../client.ts';
import { adminQuery, withDatabase } from './admin.ts';

export { adminQuery, withDatabase };
export * from './demand.ts';
export * from './draws.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL runs: the migrated template database each test file clones. */
    g2gPgTemplate: string | undefined;
    /** PGlite runs: a dump of a migrated data directory each test file loads. */
    g2gPgliteDump: string | undefined;
  }
}

export interface TestDatabase extends DatabaseHandle {
  /** Connection string of this file's own database (PostgreSQL runs only). */
  readonly url: string | undefined;
}

export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

/**
 * A migrated database of this test file's own: on PostgreSQL (TEST_DATABASE_URL set) a new database
 * cloned from the run's migrated template; otherwise an in-memory PGlite loaded from the run's
 * migrated dump. `close()` drops it.
 */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) {
    const dump = inject('g2gPgliteDump');
    const handle = await openDatabase({
      dataDir: 'memory://',
      ...(dump ? { loadDataDir: new Blob([readFileSync(dump)]) } : {}),
    });
    return { ...handle, url: undefined };
  }
  const template = inject('g2gPgTemplate');
  if (!template) throw new Error('the vitest global setup did not prepare a template database');
  const name = `${template.replace(/_tpl$/, '')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name} template ${template}`);
  const url = withDatabase(adminUrl, name);
  const handle = await openDatabase({ databaseUrl: url, poolSize: options.poolSize ?? 10 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
export * from './fees.ts';
