import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { PlatformConfig } from './platform-config.ts';

export function idHashSecretPath(dataDir: string): string {
  return join(dataDir, 'keys', 'id-hash.secret');
}

/**
 * The key national identity numbers are hashed with (HMAC-SHA-256) before they are stored or
 * compared. ID_HASH_SECRET when set. Without it, in development, a random secret generated once
 * under DATA_DIR/keys (0600) and reused, with a warning in the startup log. A deployment with a real
 * identity provider (JWKS_URL) refuses to start without ID_HASH_SECRET: a secret that silently
 * changed would let every worker register again.
 */
export function resolveIdHashSecret(
  config: Pick<PlatformConfig, 'ID_HASH_SECRET' | 'DATA_DIR' | 'JWKS_URL'>,
  logger: Logger,
): Buffer {
  if (config.ID_HASH_SECRET) return Buffer.from(config.ID_HASH_SECRET, 'hex');
  if (config.JWKS_URL) {
    throw new Error(
      'ID_HASH_SECRET is not set. Production (JWKS_URL is set) must provide the identity hash secret: at least 32 random bytes as hex, the same in every process, never changed.',
    );
  }
  const path = idHashSecretPath(config.DATA_DIR);
  if (!existsSync(path)) {
    mkdirSync(join(config.DATA_DIR, 'keys'), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    logger.warn({ path }, 'ID_HASH_SECRET is not set: generated a development identity hash secret');
  } else {
    logger.warn({ path }, 'ID_HASH_SECRET is not set: using the development identity hash secret');
  }
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^(?:[0-9a-f]{2}){32,}$/i.test(hex))
    throw new Error(`${path} does not hold a hex secret of 32+ bytes`);
  return Buffer.from(hex, 'hex');
}
