import type { Hono } from 'hono';
import type { AppDeps } from './deps.ts';
import type { PlatformConfig } from './platform-config.ts';
import { createLogger, openRuntime, type Runtime } from './runtime.ts';
import { listen, type RunningServer } from './serve.ts';

export interface ServedApp {
  readonly name: string;
  readonly port: number;
  // biome-ignore lint/suspicious/noExplicitAny: any app built on createApiApp
  readonly create: (deps: AppDeps, runtime: Runtime) => Hono<any>;
}

export interface RunningPlatform {
  readonly runtime: Runtime;
  readonly servers: ReadonlyArray<RunningServer & { readonly name: string }>;
  close(): Promise<void>;
}

export function depsFrom(runtime: Runtime): AppDeps {
  return {
    db: runtime.db,
    logger: runtime.logger,
    tokenVerifier: runtime.tokenVerifier,
    readiness: runtime.readiness,
  };
}

/**
 * Opens one runtime (one database, one chainer) and serves the given apps on their ports in this
 * process. `pnpm start` serves all three this way (the embedded database is single-process); each
 * app's server.ts serves itself alone.
 */
export async function servePlatform(
  config: PlatformConfig,
  apps: readonly ServedApp[],
  logName = 'g2g',
): Promise<RunningPlatform> {
  const logger = createLogger(config, logName);
  const runtime = await openRuntime(config, logger);
  const servers: Array<RunningServer & { name: string }> = [];
  try {
    for (const app of apps) {
      const server = await listen(app.create(depsFrom(runtime), runtime), config.HOST, app.port);
      servers.push({ ...server, name: app.name });
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    await runtime.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    runtime,
    servers,
    close: () => {
      closing ??= (async () => {
        await Promise.all(servers.map((s) => s.close()));
        await runtime.close();
      })();
      return closing;
    },
  };
}

/** Closes the platform on SIGINT/SIGTERM, then exits. */
export function closeOnSignals(platform: RunningPlatform): void {
  const stop = (signal: string) => {
    platform.runtime.logger.info({ signal }, 'shutting down');
    platform.close().then(
      () => process.exit(0),
      (err) => {
        platform.runtime.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
