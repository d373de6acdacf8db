import { type PlatformConfig, parsePlatformEnv } from '@g2g/http';

/** The only reader of process.env in this app. */
export function loadConfig(env: Record<string, string | undefined> = process.env): PlatformConfig {
  return parsePlatformEnv(env);
}
