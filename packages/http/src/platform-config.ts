import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);

/**
 * Settings shared by every app and CLI, read from the environment. Each app's config.ts passes
 * `process.env` here (it is the only reader of process.env) and adds its own settings.
 */
export const platformEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  MIGRATE_ON_START: flag.default(true),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  HOST: z.string().min(1).default('127.0.0.1'),
  REGISTRATION_API_PORT: port.default(8081),
  EMPLOYER_API_PORT: port.default(8082),
  MINISTRY_API_PORT: port.default(8083),
  JWT_ISSUER: z.string().min(1).default('urn:g2g:dev-issuer'),
  JWT_AUDIENCE: z.string().min(1).default('urn:g2g:api'),
  JWKS_URL: z.url().optional(),
  JWKS_FILE: z.string().min(1).optional(),
  /** `pnpm db:migrate` grants this role row access (and nothing more) after migrating. */
  DB_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Key of the HMAC that replaces national identity numbers (hex, at least 32 bytes). Dedup depends
   * on it: production sets it once and never changes it. Unset: a development secret under DATA_DIR.
   */
  ID_HASH_SECRET: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{2}){32,}$/, 'must be at least 32 bytes as hex (64+ hex digits)')
    .optional(),
  /** Where the outbox sender delivers: `console` (stdout) or `off` (this process sends nothing). */
  SMS_TRANSPORT: z.enum(['console', 'off']).default('console'),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /**
   * Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated). Unset: the
   * client address is the socket's peer and X-Forwarded-For is ignored.
   */
  /**
   * The ministry's draw-manifest signing key: a private JWK file (Ed25519 or P-256, with a `kid`).
   * Unset: a development key generated under DATA_DIR/keys/draw-signing.*.
   */
  DRAW_SIGNING_KEY_FILE: z.string().min(1).optional(),
  TRUSTED_PROXY: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.union([z.ipv4(), z.ipv6()])))
    .default([]),
});

export type PlatformConfig = z.infer<typeof platformEnvSchema>;

export function parsePlatformEnv(env: Record<string, string | undefined>): PlatformConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = platformEnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
