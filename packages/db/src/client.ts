import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { AppError } from '@g2g/domain';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './types.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** A PostgreSQL connection string. Absent: an embedded PGlite database under `dataDir`. */
  readonly databaseUrl?: string | undefined;
  /** Where the embedded database lives; `memory://` for a throw-away in-memory one. */
  readonly dataDir?: string | undefined;
  readonly poolSize?: number | undefined;
  /** Milliseconds a single statement may run before PostgreSQL cancels it (0 = no limit). */
  readonly statementTimeoutMs?: number | undefined;
  /** Start PGlite from a dumped data directory (tests use a migrated template). */
  readonly loadDataDir?: Blob | File | undefined;
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}

/** int8, numeric and date columns arrive as strings on both drivers; repositories map them. */
const INT8_OID = 20;
const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const asText = (value: string) => value;

/**
 * Marks a hot statement: SQL text that starts with this comment runs on PostgreSQL as a named
 * prepared statement, parsed and planned once per connection instead of on every call (and sent as
 * a name rather than its text). Only for a few fixed texts on hot paths: every connection keeps each
 * one. PGlite and anything else read it as a comment.
 */
export const PREPARED = '/* prepared */ ';

type QueryFn = (...args: unknown[]) => unknown;

/** Wraps a pg client so that PREPARED statements are sent as named prepared statements. */
function preparePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn;
  (client as unknown as { query: QueryFn }).query = (config: unknown, ...rest: unknown[]) => {
    if (typeof config === 'string' && config.startsWith(PREPARED)) {
      const name = `g2g_${createHash('sha1').update(config).digest('hex').slice(0, 20)}`;
      const [values, callback] = rest;
      return callback === undefined
        ? query({ name, text: config, values })
        : query({ name, text: config, values }, callback);
    }
    return query(config, ...rest);
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPGlite(options);
}

function openPostgres(databaseUrl: string, options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: 5_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === DATE_OID || oid === NUMERIC_OID
          ? asText
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server (restart, failover) must not crash the process. The pool listens
  // for errors on idle clients only; a client checked out by a transaction when the server goes
  // away emits 'error' too, which with no listener is an uncaught exception. The query in flight
  // rejects on its own (answered 503), and the pool discards the broken client.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  pool.on('connect', preparePreparedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    close: () => db.destroy(),
  };
}

async function openPGlite(options: DatabaseOptions): Promise<DatabaseHandle> {
  const dataDir = options.dataDir ?? './.data';
  const inMemory = dataDir.startsWith('memory://');
  let unlock = () => {};
  let pgDir: string | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    pgDir = resolve(dataDir, 'pglite');
    unlock = lockDataDir(resolve(dataDir));
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(pgDir ? { dataDir: pgDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: { [INT8_OID]: asText, [DATE_OID]: asText, [NUMERIC_OID]: asText },
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      unlock();
    },
  };
}

/**
 * PGlite is a single-process database: two processes opening the same directory corrupt it. A pid
 * file guards the directory; a stale one (its process gone) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const lockFile = join(dir, 'pglite.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          'service-unavailable',
          `The embedded database in ${dir} is in use by process ${holder}. Stop it, or set DATABASE_URL to share a PostgreSQL server between processes.`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(join(dataDir, 'pglite', 'PG_VERSION'));
}
