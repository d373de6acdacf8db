import { createTokenVerifier, type KeySource, type TokenVerifier, verificationKeys } from '@g2g/auth';
import {
  AuditChainer,
  consoleTransport,
  type Database,
  type DatabaseHandle,
  type Kysely,
  migrateToLatest,
  OutboxSender,
  openDatabase,
  sql,
} from '@g2g/db';
import { type Logger, pino } from 'pino';
import type { PlatformConfig } from './platform-config.ts';
import { resolveIdHashSecret } from './secrets.ts';

export interface Runtime {
  readonly config: PlatformConfig;
  readonly db: Kysely<Database>;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  readonly tokenVerifier: TokenVerifier;
  readonly auditChainer: AuditChainer;
  /** Sends the outbox (SMS, alerts) in the background; undefined with SMS_TRANSPORT=off. */
  readonly outboxSender: OutboxSender | undefined;
  /** HMAC key for national identity numbers (ID_HASH_SECRET, or the development secret). */
  readonly idHashSecret: Buffer;
  readiness(): Promise<void>;
  close(): Promise<void>;
}

export function createLogger(config: Pick<PlatformConfig, 'LOG_LEVEL'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.nationalId'], remove: true },
  });
}

export function keySourceFor(config: PlatformConfig): KeySource {
  if (config.JWKS_URL) return { kind: 'jwks-url', url: config.JWKS_URL };
  if (config.JWKS_FILE) return { kind: 'jwks-file', path: config.JWKS_FILE };
  return { kind: 'dev', dataDir: config.DATA_DIR };
}

/**
 * Opens what every app needs: the database (PostgreSQL when DATABASE_URL is set, otherwise the
 * embedded PGlite under DATA_DIR), pending migrations applied unless MIGRATE_ON_START=false, the
 * token verifier, the identity hash secret, and two background workers: the audit chainer and the
 * outbox sender (unless SMS_TRANSPORT=off).
 */
export async function openRuntime(config: PlatformConfig, logger: Logger): Promise<Runtime> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DB_POOL_SIZE,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  });
  const { db } = database;
  try {
    if (config.MIGRATE_ON_START) {
      const { applied } = await migrateToLatest(db);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const tokenVerifier = createTokenVerifier({
      keys: await verificationKeys(keySourceFor(config)),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    const idHashSecret = resolveIdHashSecret(config, logger);
    const auditChainer = new AuditChainer(db, {
      onError: (err) => logger.warn({ err }, 'audit chainer: will retry'),
    });
    auditChainer.start();
    const outboxSender =
      config.SMS_TRANSPORT === 'off'
        ? undefined
        : new OutboxSender(db, consoleTransport(), {
            maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
            onError: (err) => logger.warn({ err }, 'outbox sender: will retry'),
          });
    outboxSender?.start();
    return {
      config,
      db,
      database,
      logger,
      tokenVerifier,
      auditChainer,
      outboxSender,
      idHashSecret,
      readiness: async () => {
        await sql`select 1`.execute(db);
      },
      close: async () => {
        await outboxSender?.stop();
        await auditChainer.stop();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
