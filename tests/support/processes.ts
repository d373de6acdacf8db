import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDevKeyPair, mintToken } from '@g2g/auth';
import type { Role } from '@g2g/domain';

/** The repository root, where `pnpm start` and the apps' server.ts files run from. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** A free TCP port on 127.0.0.1 (the OS picks one, then it is released for the child to take). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface AppProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown handler runs. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

/**
 * Runs one app's server.ts (or the all-in-one start) as a real process on a real port and waits until
 * GET /readyz answers 200.
 */
export async function startApp(options: {
  readonly script: string;
  readonly env: Record<string, string>;
  readonly portVariable: string;
  readonly port?: number;
  readonly readyTimeoutMs?: number;
}): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, [options.portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    log += String(d);
  });
  child.stderr?.on('data', (d) => {
    log += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.script} exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${options.script} not ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    child,
    output: () => log,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ProcessEnvironment {
  readonly dataDir: string;
  readonly env: Record<string, string>;
  token(
    role: Role | readonly Role[],
    options?: { sub?: string; centre?: string; employer?: string },
  ): Promise<string>;
  cleanup(): void;
}

/**
 * A DATA_DIR of its own (dev signing key), a fixed identity-hash secret (stable across restarts),
 * and tokens signed with the key the processes trust.
 */
export function processEnvironment(databaseUrl: string | undefined): ProcessEnvironment {
  const dataDir = mkdtempSync(join(tmpdir(), 'g2g-proc-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? '',
    ID_HASH_SECRET: 'ab'.repeat(32),
    JWT_ISSUER: 'urn:g2g:dev-issuer',
    JWT_AUDIENCE: 'urn:g2g:api',
  };
  return {
    dataDir,
    env,
    token: async (roles, o = {}) => {
      const { privateJwk } = await ensureDevKeyPair(dataDir);
      const list = (Array.isArray(roles) ? roles : [roles]) as Role[];
      return mintToken({
        privateJwk,
        issuer: env.JWT_ISSUER!,
        audience: env.JWT_AUDIENCE!,
        sub: o.sub ?? `test-${list[0]}`,
        roles: list,
        centre: o.centre,
        employer: o.employer,
      });
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
