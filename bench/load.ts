import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chainAllAuditEvents, migrateToLatest, openDatabase, sql, verifyAuditChain } from '@g2g/db';
import { adminQuery, withDatabase } from '@g2g/db/testing/admin';
import { syntheticWorker } from '@g2g/registration/testing';
import { seedSchemeAndWindow } from '@g2g/registration-api/fixtures';
import { type AppProcess, processEnvironment, repoRoot, startApp } from '../tests/support/processes.ts';
import { machineInfo, percentile } from './machine.ts';

/**
 * `pnpm bench:load`: the registration week's peak on one machine, against PostgreSQL. The
 * registration API runs in its own process; this one plays 4,540 union centres (and the workers
 * checking their status behind a proxy) with mixed traffic for a bounded time on 127.0.0.1:
 * offline batch uploads, single registrations, status checks and operator listings. It reports
 * throughput, latency percentiles and errors per route, then checks that every acknowledged
 * registration is stored (acknowledged = stored) and that the audit chain verifies.
 */
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '64' },
    seed: { type: 'string', default: '50000' },
    quick: { type: 'boolean', default: false },
  },
});
const quick = values.quick ?? false;
const DURATION_S = quick ? 8 : Number(values.duration);
const CONNECTIONS = Number(values.connections);
const PRESEED = quick ? 3_000 : Number(values.seed);
const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
// Local only: the benchmark creates and drops a database and floods the server with traffic.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
if (!LOOPBACK.has(new URL(adminUrl).hostname)) {
  process.stderr.write(
    `bench:load runs against a PostgreSQL server on 127.0.0.1 only, not ${new URL(adminUrl).hostname}\n`,
  );
  process.exit(2);
}
/** A request with no answer after this long counts as a network error (the run stays bounded). */
const REQUEST_TIMEOUT_MS = 30_000;
const WINDOW_ID = 'g2g-load-week';
const log = (m: string) => process.stderr.write(`[load] ${m}\n`);

type Route = 'batch upload' | 'single registration' | 'status check' | 'operator listing';
/** Share of requests per route: most centres register one worker at a time, a few sync batches. */
const MIX: readonly [Route, number][] = [
  ['single registration', 45],
  ['status check', 30],
  ['operator listing', 20],
  ['batch upload', 5],
];
const BATCH_ITEMS = 100;

interface Stats {
  latencies: number[];
  statuses: Map<number, number>;
  /** Requests that got no HTTP answer at all. */
  networkErrors: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function send(
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const dbName = `g2g_load_${process.pid}`;
  const dbUrl = withDatabase(adminUrl, dbName);
  await adminQuery(adminUrl, `create database ${dbName}`);
  const handle = await openDatabase({ databaseUrl: dbUrl, poolSize: 4 });
  const env = processEnvironment(dbUrl);
  let app: AppProcess | undefined;
  try {
    await migrateToLatest(handle.db);
    await seedSchemeAndWindow(handle.db, {
      windowId: WINDOW_ID,
      windowName: 'Registration week',
      opensAt: new Date(Date.now() - 3600_000),
      closesAt: new Date(Date.now() + 9 * 86_400_000),
    });
    const unions = (await handle.db.selectFrom('unions').select('id').orderBy('id').execute()).map(
      (u) => u.id,
    );
    const centreOf = (i: number) => `U${String(unions[i % unions.length]).padStart(4, '0')}`;
    app = await startApp({
      script: 'apps/registration-api/src/server.ts',
      env: {
        ...env.env,
        HOST: '127.0.0.1',
        DB_POOL_SIZE: '24',
        TRUSTED_PROXY: '127.0.0.1',
        SMS_TRANSPORT: 'off',
      },
      portVariable: 'REGISTRATION_API_PORT',
    });
    const base = new URL(app.url);
    log(`minting ${unions.length} operator tokens`);
    const tokens: string[] = [];
    for (let i = 0; i < unions.length; i++)
      tokens.push(await env.token('centre_operator', { centre: centreOf(i), sub: `operator-${i}` }));
    const auth = (i: number) => ({
      authorization: `Bearer ${tokens[i % tokens.length]}`,
      'content-type': 'application/json',
    });

    let nextWorker = 1;
    const body = (worker: number) => ({
      windowId: WINDOW_ID,
      ...syntheticWorker(worker, { birthYearFrom: new Date().getUTCFullYear() - 44 }),
    });

    // Registrants already in the table: the week is under way.
    log(`pre-seeding ${PRESEED} registrations by batch`);
    const known: { number: string; dateOfBirth: string }[] = [];
    for (let done = 0; done < PRESEED; done += 1000) {
      const count = Math.min(1000, PRESEED - done);
      const centre = done / 1000;
      const items = Array.from({ length: count }, (_, k) => ({
        ...body(nextWorker + k),
        clientId: `seed-${done + k}`,
      }));
      const res = await send(
        base,
        'POST',
        '/v1/registration-batches',
        auth(centre),
        JSON.stringify({ items }),
      );
      if (res.status !== 200) throw new Error(`seed batch: ${res.status} ${res.text.slice(0, 300)}`);
      const results = (JSON.parse(res.text) as { items: { outcome: string; registrationNumber?: string }[] })
        .items;
      results.forEach((r, k) => {
        if (r.outcome === 'created')
          known.push({ number: r.registrationNumber!, dateOfBirth: items[k]!.dateOfBirth as string });
      });
      nextWorker += count;
    }
    const preseeded = known.length;

    const stats = new Map<Route, Stats>(
      MIX.map(([r]) => [r, { latencies: [], statuses: new Map(), networkErrors: 0 }]),
    );
    const acknowledged = new Set<string>();
    const totalWeight = MIX.reduce((s, [, w]) => s + w, 0);
    let tick = 0;
    const pick = (): Route => {
      let x = (tick++ * 7919) % totalWeight;
      for (const [route, weight] of MIX) {
        if (x < weight) return route;
        x -= weight;
      }
      return MIX[0]![0];
    };
    let batchNo = 0;
    let stop = false;
    const deadline = Date.now() + DURATION_S * 1000;
    log(`${DURATION_S} s of mixed traffic over ${CONNECTIONS} connections`);
    const started = performance.now();
    const clients = Array.from({ length: CONNECTIONS }, async (_, c) => {
      while (!stop && Date.now() < deadline) {
        const route = pick();
        const centre = (tick * 31 + c) % tokens.length;
        const t0 = performance.now();
        let res: { status: number; text: string };
        try {
          if (route === 'single registration') {
            const worker = nextWorker++;
            res = await send(
              base,
              'POST',
              '/v1/registrations',
              { ...auth(centre), 'idempotency-key': `load-${worker}` },
              JSON.stringify(body(worker)),
            );
            if (res.status === 201)
              acknowledged.add((JSON.parse(res.text) as { registrationNumber: string }).registrationNumber);
          } else if (route === 'batch upload') {
            const first = nextWorker;
            nextWorker += BATCH_ITEMS;
            const no = batchNo++;
            const items = Array.from({ length: BATCH_ITEMS }, (_, k) => ({
              ...body(first + k),
              clientId: `load-${no}-${k}`,
            }));
            res = await send(
              base,
              'POST',
              '/v1/registration-batches',
              auth(centre),
              JSON.stringify({ items }),
            );
            if (res.status === 200) {
              for (const r of (
                JSON.parse(res.text) as { items: { outcome: string; registrationNumber?: string }[] }
              ).items) {
                if (r.outcome === 'created') acknowledged.add(r.registrationNumber!);
              }
            }
          } else if (route === 'status check') {
            const k = known[(tick * 104729) % known.length]!;
            res = await send(
              base,
              'POST',
              '/v1/status',
              {
                'content-type': 'application/json',
                'x-forwarded-for': `10.${c}.${(tick >> 8) & 255}.${tick & 255}`,
              },
              JSON.stringify({ registrationNumber: k.number, dateOfBirth: k.dateOfBirth }),
            );
          } else {
            res = await send(base, 'GET', `/v1/registrations?limit=20&window=${WINDOW_ID}`, auth(centre));
          }
        } catch {
          stats.get(route)!.networkErrors++;
          continue;
        }
        const s = stats.get(route)!;
        s.latencies.push(performance.now() - t0);
        s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
      }
    });
    await Promise.all(clients);
    stop = true;
    const elapsed = (performance.now() - started) / 1000;

    // Acknowledged = stored.
    const { rows } = await sql<{ n: string }>`select count(*) as n from registrations`.execute(handle.db);
    const stored = Number(rows[0]?.n) - preseeded;
    const { rows: missing } = await sql<{ n: string }>`
      select count(*) as n from unnest(${[...acknowledged]}::text[]) as a(no)
      where not exists (select 1 from registrations r where r.registration_number = a.no)
    `.execute(handle.db);
    await chainAllAuditEvents(handle.db, 120_000);
    const chain = await verifyAuditChain(handle.db);

    const routes = MIX.map(([route]) => {
      const s = stats.get(route)!;
      const sorted = [...s.latencies].sort((a, b) => a - b);
      const round1 = (n: number) => Math.round(n * 10) / 10;
      return {
        route,
        requests: sorted.length + s.networkErrors,
        perSecond: Math.round(sorted.length / elapsed),
        p50ms: round1(percentile(sorted, 50)),
        p95ms: round1(percentile(sorted, 95)),
        p99ms: round1(percentile(sorted, 99)),
        errors: s.networkErrors + [...s.statuses].filter(([st]) => st >= 400).reduce((a, [, n]) => a + n, 0),
        statuses: Object.fromEntries(s.statuses),
      };
    });
    const result = {
      benchmark: 'load',
      date: new Date().toISOString(),
      machine: machineInfo(),
      settings: {
        durationSeconds: DURATION_S,
        connections: CONNECTIONS,
        preseeded,
        batchItems: BATCH_ITEMS,
        mix: Object.fromEntries(MIX),
        centres: tokens.length,
      },
      elapsedSeconds: Math.round(elapsed * 10) / 10,
      totalRequestsPerSecond: Math.round(routes.reduce((a, r) => a + r.perSecond, 0)),
      registrationsPerSecond: Math.round(acknowledged.size / elapsed),
      routes,
      integrity: {
        acknowledged: acknowledged.size,
        stored,
        acknowledgedMissing: Number(missing[0]?.n),
        auditChain: { ok: chain.ok, links: chain.checked },
      },
    };
    if (!quick)
      writeFileSync(join(repoRoot, 'bench/results/load.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    if (result.integrity.acknowledgedMissing !== 0 || stored !== acknowledged.size || !chain.ok) {
      log('INTEGRITY CHECK FAILED');
      process.exitCode = 1;
    }
  } finally {
    agent.destroy();
    await app?.stop();
    await handle.close();
    env.cleanup();
    await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`);
  }
}

await main();
