import type { TokenVerifier } from '@g2g/auth';
import type { Database, Kysely } from '@g2g/db';
import type { Logger } from 'pino';

/** What every app's createApp needs; apps extend it with their own settings. */
export interface AppDeps {
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  readonly tokenVerifier: TokenVerifier;
  readonly readiness: () => Promise<void>;
}
