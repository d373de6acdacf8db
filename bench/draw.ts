/**
 * `pnpm bench:draw [--registrants N]`: a national draw end to end on PostgreSQL.
 *
 * 1. A fresh database on the local PostgreSQL (DATABASE_URL names the admin connection; default
 *    postgres://postgres@127.0.0.1:5432/postgres), migrated, with the G2G 2013 scheme and a closed
 *    window, and N synthetic registrations (default 1,400,000) over the 4,540 unions, inserted with
 *    one INSERT ... SELECT.
 * 2. The ministry API served in this process on a real port (SMS_TRANSPORT=off), driven over HTTP:
 *    draft with union quotas (36,000 of N, a waitlist of 2 per union), three witness commitments,
 *    freeze, reveals, execute, publish. Each step's wall time is recorded.
 * 3. `pnpm verify-draw --draw-url ...` in its own process, as an outsider would run it.
 * Writes bench/results/draw.json (draw-<N>.json for another N).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ensureDevKeyPair, mintToken } from '@g2g/auth';
import { migrateToLatest, openDatabase, sql } from '@g2g/db';
import { adminQuery, withDatabase } from '@g2g/db/testing/admin';
import { insertSyntheticRegistrations } from '@g2g/db/testing/draws';
import { parsePlatformEnv, servePlatform } from '@g2g/http';
import { commitmentOf } from '@g2g/lottery';
import { createAppFromRuntime } from '@g2g/ministry-api/app';
import { seedSchemeAndWindow } from '@g2g/registration-api/fixtures';
import { machineInfo } from './machine.ts';

const { values } = parseArgs({ options: { registrants: { type: 'string' } }, strict: true });
const REGISTRANTS = Number(values.registrants ?? 1_400_000);
if (!Number.isInteger(REGISTRANTS) || REGISTRANTS < 100)
  throw new Error('--registrants must be an integer >= 100');
const TOTAL = Math.min(36_000, Math.floor(REGISTRANTS / 40));
const root = resolve(import.meta.dirname, '..');
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `g2g_bench_draw_${process.pid}`;
const dbUrl = withDatabase(adminUrl, dbName);
const dataDir = mkdtempSync(join(tmpdir(), 'g2g-bench-draw-'));
const WINDOW_ID = 'g2g-my-2013-jan';
const DRAW_ID = 'national-shortlist-2013';
const log = (message: string) => process.stderr.write(`[bench:draw] ${message}\n`);
const seconds = (from: number) => Math.round((performance.now() - from) / 10) / 100;

async function main() {
  log(
    `${REGISTRANTS.toLocaleString('en')} registrations, ${TOTAL.toLocaleString('en')} seats, database ${dbName}`,
  );
  await adminQuery(adminUrl, `create database ${dbName}`);
  const setup: Record<string, number> = {};
  const steps: Record<string, number> = {};
  try {
    const { db, close } = await openDatabase({ databaseUrl: dbUrl, poolSize: 2 });
    let t = performance.now();
    await migrateToLatest(db);
    await seedSchemeAndWindow(db, {
      windowId: WINDOW_ID,
      windowName: 'January 2013',
      opensAt: new Date(Date.now() - 10 * 86_400_000),
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
    setup.migrateSeconds = seconds(t);
    t = performance.now();
    await insertSyntheticRegistrations(db, WINDOW_ID, REGISTRANTS);
    await sql`analyze registrations`.execute(db);
    setup.insertRegistrationsSeconds = seconds(t);
    const pgVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db))
      .rows[0]?.v;
    await close();
    log(`setup: ${JSON.stringify(setup)}`);

    const port = 21_000 + (process.pid % 20_000);
    const platform = await servePlatform(
      parsePlatformEnv({
        DATABASE_URL: dbUrl,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        SMS_TRANSPORT: 'off',
        MIGRATE_ON_START: 'false',
        DB_POOL_SIZE: '4',
        MINISTRY_API_PORT: String(port),
      }),
      [{ name: 'ministry-api', port, create: createAppFromRuntime }],
      'bench-draw',
    );
    const base = `http://127.0.0.1:${port}`;
    const { privateJwk } = await ensureDevKeyPair(dataDir);
    const token = (roles: ['ministry_officer'] | ['witness'], sub: string) =>
      mintToken({ privateJwk, issuer: 'urn:g2g:dev-issuer', audience: 'urn:g2g:api', sub, roles });
    const officer = await token(['ministry_officer'], 'officer-1');
    const call = async (method: string, path: string, bearer: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const out = await work();
      steps[name] = seconds(started);
      log(`${name}: ${steps[name]} s`);
      return out;
    };
    let draw: Record<string, unknown> = {};
    try {
      await call('POST', '/v1/draws', officer, {
        id: DRAW_ID,
        name: 'National shortlist 2013',
        source: { windowId: WINDOW_ID },
        policy: {
          total: TOTAL,
          quota: { level: 'union', basis: 'registrants' },
          orders: [],
          waitlist: { per: 'stratum', length: 2 },
        },
      });
      const witnesses = ['witness-ministry', 'witness-committee', 'witness-observer'];
      const secrets = new Map(witnesses.map((w) => [w, randomBytes(32).toString('hex')]));
      for (const w of witnesses) {
        await call('POST', `/v1/draws/${DRAW_ID}/commitments`, await token(['witness'], w), {
          commitment: commitmentOf(secrets.get(w)!),
        });
      }
      draw = await timed('freeze', () => call('POST', `/v1/draws/${DRAW_ID}/freeze`, officer, {}));
      for (const w of witnesses) {
        await call('POST', `/v1/draws/${DRAW_ID}/reveals`, await token(['witness'], w), {
          secret: secrets.get(w)!,
        });
      }
      draw = await timed('execute', () => call('POST', `/v1/draws/${DRAW_ID}/execute`, officer));
      const blocking = (draw.fairness as { blocking: boolean }).blocking;
      draw = await timed('publish', () =>
        call(
          'POST',
          `/v1/draws/${DRAW_ID}/publish`,
          officer,
          blocking ? { fairnessOverrideReason: 'benchmark: synthetic data' } : {},
        ),
      );
      await timed('verify', () =>
        promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', 'apps/cli/src/verify-draw.ts', '--draw-url', `${base}/v1/draws/${DRAW_ID}`],
          { cwd: root, maxBuffer: 1 << 24 },
        ).then(({ stdout, stderr }) => {
          log(stderr.trim());
          if (!stdout.startsWith('OK:')) throw new Error(`verify-draw: ${stdout}`);
          log(stdout.trim());
        }),
      );
    } finally {
      await platform.close();
    }
    const total = Math.round(Object.values(steps).reduce((a, b) => a + b, 0) * 100) / 100;
    const pool = draw.pool as { size: number; bytes: number; strata: unknown[] };
    const result = draw.result as { selected: number; waitlisted: number; notSelected: number };
    const out = {
      benchmark: 'draw',
      date: new Date().toISOString(),
      machine: { ...machineInfo(), postgres: pgVersion },
      registrants: REGISTRANTS,
      policy: { total: TOTAL, quota: 'union, by registrants', waitlist: '2 per union', orders: 'none' },
      setup,
      stepsSeconds: steps,
      totalSeconds: total,
      targetSeconds: 30,
      withinTarget: total < 30,
      pool: { entries: pool.size, bytes: pool.bytes, strata: pool.strata.length },
      result: {
        selected: result.selected,
        waitlisted: result.waitlisted,
        notSelected: result.notSelected,
        fairnessBlocking: (draw.fairness as { blocking: boolean }).blocking,
      },
      notes:
        'Steps are wall times of the HTTP calls (freeze, execute, publish) and of `pnpm verify-draw --draw-url` in its own process (including tsx start-up and downloading the pool and result files).',
    };
    const file = join(
      root,
      'bench',
      'results',
      REGISTRANTS === 1_400_000 ? 'draw.json' : `draw-${REGISTRANTS}.json`,
    );
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    log(`total ${total} s (target < 30 s); wrote ${file}`);
  } finally {
    await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
