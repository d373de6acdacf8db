import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@g2g/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's run command, end to end: start the platform as a user would (`pnpm start` runs
// apps/cli/src/start.ts), mint a token with the token command, call the apps over real sockets.
const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const tsx = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env, timeout: 60_000 });

let dataDir: string;
let platform: ChildProcess;
let output = '';
let database: TestDatabase | undefined;
const base = 20_000 + Math.floor(Math.random() * 20_000);
const ports = { registration: base, employer: base + 1, ministry: base + 2 };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'g2g-start-'));
  // On the PostgreSQL pass the platform runs against a fresh server database (DATABASE_URL);
  // otherwise on the embedded database, as on a fresh machine.
  if (process.env.TEST_DATABASE_URL) database = await createTestDatabase();
  env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url ?? '',
    REGISTRATION_API_PORT: String(ports.registration),
    EMPLOYER_API_PORT: String(ports.employer),
    MINISTRY_API_PORT: String(ports.ministry),
    LOG_LEVEL: 'warn',
  };
  platform = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/start.ts'], { cwd: root, env });
  platform.stdout?.on('data', (d) => {
    output += String(d);
  });
  platform.stderr?.on('data', (d) => {
    output += String(d);
  });
  const deadline = Date.now() + 60_000;
  while (!output.includes('ready in')) {
    if (platform.exitCode !== null) throw new Error(`start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`not ready after 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);

afterAll(async () => {
  if (platform && platform.exitCode === null) {
    const exited = new Promise((r) => platform.once('exit', r));
    platform.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
  await database?.close();
});

describe('pnpm start', () => {
  it('prints the URLs, the docs and how to mint a token, within 30 s', () => {
    const seconds = Number(/ready in ([0-9.]+) s/.exec(output)?.[1]);
    expect(seconds).toBeLessThan(30);
    for (const port of Object.values(ports)) {
      expect(output).toContain(`http://127.0.0.1:${port}/docs`);
    }
    expect(output).toContain('pnpm --silent token --role');
  });

  it('serves the three apps, ready, on their ports', async () => {
    for (const port of Object.values(ports)) {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await res.json()).toEqual({ status: 'ready' });
    }
    const centres = await fetch(`http://127.0.0.1:${ports.registration}/v1/centres?limit=1`);
    expect(((await centres.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('accepts a token from `pnpm token`, and refuses a mint without the needed scope', async () => {
    const { stdout } = await tsx(
      'apps/cli/src/token.ts',
      ['--role', 'centre_operator', '--centre', 'U1414', '--sub', 'op-7'],
      env,
    );
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const res = await fetch(`http://127.0.0.1:${ports.employer}/v1/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await res.json()).toMatchObject({ sub: 'op-7', roles: ['centre_operator'], centre: 'U1414' });
    await expect(tsx('apps/cli/src/token.ts', ['--role', 'centre_operator'], env)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('needs --centre'),
    });
  });

  it('guards the embedded database against a second process, and shares a server database', async () => {
    if (!database) {
      await expect(tsx('apps/cli/src/migrate.ts', [], env)).rejects.toMatchObject({
        stderr: expect.stringContaining('is in use by process'),
      });
    } else {
      expect((await tsx('apps/cli/src/migrate.ts', [], env)).stdout).toContain('Nothing to apply');
      expect((await tsx('apps/cli/src/audit-verify.ts', [], env)).stdout).toContain('Audit chain intact');
    }
  });
});
