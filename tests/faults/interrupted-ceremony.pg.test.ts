import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createTestDatabase, insertSyntheticRegistrations, type TestDatabase } from '@g2g/db/testing';
import { commitmentOf } from '@g2g/lottery';
import { seedSchemeAndWindow } from '@g2g/registration-api/fixtures';
import { TEST_WINDOW_ID } from '@g2g/registration-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppProcess,
  type ProcessEnvironment,
  processEnvironment,
  repoRoot,
  startApp,
} from '../support/processes.ts';

// A draw ceremony whose ministry process is killed with SIGKILL after the freeze and again after
// the reveals, restarted each time, then carried on: the result must be exactly that of an
// uninterrupted ceremony with the same inputs on another database (pool, seed, result bytes), and
// the published draw must verify with `pnpm verify-draw --draw-url`.

const REGISTRANTS = 3000;
const secrets = {
  'witness-ministry': randomBytes(32).toString('hex'),
  'witness-observer': randomBytes(32).toString('hex'),
};
const policy = {
  total: 150,
  quota: { level: 'district', basis: 'registrants' },
  orders: [],
  waitlist: { per: 'stratum', length: 3 },
};

interface Run {
  database: TestDatabase;
  env: ProcessEnvironment;
  app?: AppProcess;
}
const runs: Run[] = [];

async function newRun(): Promise<Run> {
  const database = await createTestDatabase();
  await seedSchemeAndWindow(database.db, {
    windowId: TEST_WINDOW_ID,
    windowName: 'Interrupted window',
    opensAt: new Date(Date.now() - 30 * 86_400_000),
    closesAt: new Date(Date.now() - 86_400_000),
    window: {
      eligibility: {
        minAge: 18,
        maxAge: 45,
        ageReferenceDate: '2013-01-13',
        genders: ['male', 'female'],
        citizenship: 'BD',
      },
    },
  });
  await insertSyntheticRegistrations(database.db, TEST_WINDOW_ID, REGISTRANTS);
  const run: Run = { database, env: processEnvironment(database.url) };
  runs.push(run);
  return run;
}

async function start(run: Run): Promise<string> {
  run.app = await startApp({
    script: 'apps/ministry-api/src/server.ts',
    env: { ...run.env.env, SMS_TRANSPORT: 'off' },
    portVariable: 'MINISTRY_API_PORT',
  });
  return run.app.url;
}

async function step(
  run: Run,
  method: string,
  path: string,
  role: 'ministry_officer' | 'witness',
  sub: string,
  body?: unknown,
) {
  const token = await run.env.token(role, { sub });
  const res = await fetch(`${run.app!.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}\n${run.app!.output()}`);
  return json;
}

async function ceremony(run: Run, interrupt: boolean): Promise<void> {
  await start(run);
  const officer = (m: string, p: string, b?: unknown) => step(run, m, p, 'ministry_officer', 'officer-1', b);
  await officer('POST', '/v1/draws', {
    id: 'interrupted-draw',
    name: 'Interrupted draw',
    source: { windowId: TEST_WINDOW_ID },
    policy,
  });
  for (const [witness, secret] of Object.entries(secrets)) {
    await step(run, 'POST', '/v1/draws/interrupted-draw/commitments', 'witness', witness, {
      commitment: commitmentOf(secret),
    });
  }
  await officer('POST', '/v1/draws/interrupted-draw/freeze', {});
  if (interrupt) {
    await run.app!.kill();
    await start(run);
    expect((await officer('GET', '/v1/draws/interrupted-draw')).state).toBe('frozen');
  }
  for (const [witness, secret] of Object.entries(secrets)) {
    await step(run, 'POST', '/v1/draws/interrupted-draw/reveals', 'witness', witness, { secret });
  }
  if (interrupt) {
    await run.app!.kill();
    await start(run);
    expect((await officer('GET', '/v1/draws/interrupted-draw')).state).toBe('revealed');
  }
  await officer('POST', '/v1/draws/interrupted-draw/execute');
  await officer('POST', '/v1/draws/interrupted-draw/publish', {});
}

async function published(run: Run) {
  const base = `${run.app!.url}/v1/draws/interrupted-draw`;
  const { manifest } = (await (await fetch(`${base}/manifest`)).json()) as {
    manifest: Record<string, unknown>;
  };
  const results = await (await fetch(`${base}/results?format=tsv`)).text();
  const pool = await (await fetch(`${base}/pool`)).text();
  return { manifest, results, pool };
}

beforeAll(async () => {}, 120_000);
afterAll(async () => {
  for (const run of runs) {
    await run.app?.stop();
    run.env.cleanup();
    await run.database.close();
  }
});

describe('a draw ceremony interrupted by SIGKILL', () => {
  it('resumes from the database and publishes exactly what an uninterrupted ceremony does', async () => {
    const interrupted = await newRun();
    await ceremony(interrupted, true);
    const a = await published(interrupted);

    const straight = await newRun();
    await ceremony(straight, false);
    const b = await published(straight);

    expect(a.pool).toBe(b.pool);
    expect(a.results).toBe(b.results);
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(a.manifest.poolHash).toBe(sha(a.pool));
    expect(a.manifest.resultHash).toBe(sha(a.results));
    const { times: _a, ...sameA } = a.manifest;
    const { times: _b, ...sameB } = b.manifest;
    expect(sameA).toEqual(sameB);
    expect(a.results.split('\n').filter((l) => l.includes('\tselected\t'))).toHaveLength(150);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/cli/src/verify-draw.ts',
        '--quiet',
        '--draw-url',
        `${interrupted.app!.url}/v1/draws/interrupted-draw`,
      ],
      { cwd: repoRoot },
    );
    expect(stdout).toMatch(/^OK: draw interrupted-draw verifies/);
  }, 240_000);
});
