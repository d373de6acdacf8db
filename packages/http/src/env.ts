import type { AuthVariables } from '@g2g/auth';
import type { Logger } from 'pino';

/** Variables every request carries through the middleware chain. */
export interface AppVariables extends AuthVariables {
  requestId: string;
  logger: Logger;
}

export interface AppEnv {
  Variables: AppVariables;
}
