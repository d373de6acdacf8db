/**
 * `pnpm bench:registration [--quick]`: the registration load of January 2013 against a real
 * PostgreSQL, with the raw ceiling measured in the same run.
 *
 * 1. A fresh database on 127.0.0.1 (BENCH_DATABASE_URL names the admin connection), migrated, with a
 *    scheme and a window open in every division.
 * 2. Ceiling: PostgreSQL alone bulk-inserting registration-shaped rows (same columns, indexes and
 *    checks) with one INSERT ... SELECT, and pgbench running single-row inserts at 64 clients.
 * 3. The registration API in its own process (SMS_TRANSPORT=off: the outbox fills, nobody drains it
 *    during the run; audit chainer on). Offline batch sync of 1.4 million synthetic workers over the
 *    4,540 real unions, 1,000 per batch, 1% repeats of earlier identities (duplicates) and one batch
 *    in twenty made offline with reserved numbers; single POST /v1/registrations at 64 connections
 *    (autocannon) once with 100k rows present and once with 1.4M.
 * 4. Checks that dedup, audit and outbox are intact, then writes bench/results/registration.json.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, type as osType, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureDevKeyPair, mintToken } from '@g2g/auth';
import { migrateToLatest, openDatabase, sql, verifyAuditChain } from '@g2g/db';
import { adminQuery, withDatabase } from '@g2g/db/testing/admin';
import { syntheticWorker } from '@g2g/registration/testing';
import autocannon from 'autocannon';
import { seedSchemeAndWindow } from '../src/fixtures.ts';

const quick = process.argv.includes('--quick');
const root = resolve(import.meta.dirname, '../../..');
const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TOTAL = quick ? 20_000 : 1_400_000;
const EARLY = quick ? 5_000 : 100_000;
const BATCH = 1000;
const BATCH_CONCURRENCY = 3;
const POST_SECONDS = quick ? 5 : 20;
const PGBENCH_SECONDS = quick ? 5 : 15;
const WINDOW_ID = 'g2g-my-2013-jan';
const run = promisify(execFile);
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

const dbName = `g2g_bench_${process.pid}`;
const dbUrl = withDatabase(adminUrl, dbName);
const dataDir = mkdtempSync(join(tmpdir(), 'g2g-bench-'));
let server: ChildProcess | undefined;

const loadAtStart = loadavg().map((l) => round(l, 2));

async function main() {
  log(`${quick ? 'quick' : 'full'} run: ${TOTAL.toLocaleString('en')} registrations, database ${dbName}`);
  await adminQuery(adminUrl, `create database ${dbName}`);
  const { db, close } = await openDatabase({ databaseUrl: dbUrl, poolSize: 4 });
  try {
    await migrateToLatest(db);
    const unionIds = (await db.selectFrom('unions').select('id').orderBy('id').execute()).map((u) => u.id);
    const pgVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db))
      .rows[0]?.v;
    const now = new Date();
    await seedSchemeAndWindow(db, {
      windowId: WINDOW_ID,
      windowName: 'January 2013',
      opensAt: new Date(now.getTime() - 3600_000),
      closesAt: new Date(now.getTime() + 9 * 86_400_000),
    });

    // ---- The ceiling: PostgreSQL alone, same shape of table.
    const ceiling = await measureCeiling(db, TOTAL);
    log(
      `ceiling: bulk ${ceiling.bulkRowsPerSecond} rows/s (${ceiling.bulkSeconds} s), single-row ${ceiling.singleRowInsertsPerSecond}/s`,
    );

    // ---- The API in its own process.
    const port = 20_000 + (process.pid % 20_000);
    const base = `http://127.0.0.1:${port}`;
    server = await startServer(port);
    const { privateJwk } = await ensureDevKeyPair(dataDir);
    const tokens = new Map<number, string>();
    const tokenFor = async (unionId: number) => {
      let t = tokens.get(unionId);
      if (!t) {
        t = await mintToken({
          privateJwk,
          issuer: 'urn:g2g:dev-issuer',
          audience: 'urn:g2g:api',
          sub: `operator-${unionId}`,
          roles: ['centre_operator'],
          centre: `U${String(unionId).padStart(4, '0')}`,
        });
        tokens.set(unionId, t);
      }
      return t;
    };

    // ---- Batch sync, in two legs around the first single-POST run.
    const batches = { sent: 0, created: 0, duplicate: 0, invalid: 0, reserved: 0, seconds: 0 };
    const marks: { before: number; start: number; end: number; items: number }[] = [];
    let nextIndex = 0;
    let rowsPresent = 0;
    const syncUpTo = async (target: number) => {
      const started = performance.now();
      const worker = async () => {
        while (nextIndex < target) {
          const from = nextIndex;
          const count = Math.min(BATCH, target - from);
          nextIndex += count;
          const batchNo = from / BATCH;
          const centre = unionIds[batchNo % unionIds.length]!;
          const token = await tokenFor(centre);
          let reserved: string[] = [];
          if (batchNo % 20 === 19) {
            const res = await fetch(`${base}/v1/number-reservations`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ count: 500 }),
            });
            const block = (await res.json()) as { numbers: { registrationNumber: string }[] };
            reserved = block.numbers.map((n) => n.registrationNumber);
          }
          const madeAt = new Date().toISOString();
          const items = Array.from({ length: count }, (_, k) => {
            const i = from + k;
            // 1% repeat an identity registered earlier: they must come back as duplicates.
            const identityOf = i >= 5000 && i % 100 === 37 ? i - 4321 : i;
            const w = syntheticWorker(identityOf, { unionIds, birthYearFrom: now.getUTCFullYear() - 44 });
            const offline =
              k < reserved.length ? { registrationNumber: reserved[k], registeredAt: madeAt } : {};
            return { clientId: `c${i}`, windowId: WINDOW_ID, ...w, ...offline };
          });
          const before = rowsPresent;
          const start = performance.now();
          const res = await fetch(`${base}/v1/registration-batches`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ items }),
          });
          const body = (await res.json()) as { counts?: typeof batches; detail?: string };
          if (res.status !== 200 || !body.counts)
            throw new Error(`batch ${batchNo}: ${res.status} ${body.detail}`);
          marks.push({ before, start, end: performance.now(), items: count });
          rowsPresent += body.counts.created;
          batches.sent++;
          batches.created += body.counts.created;
          batches.duplicate += body.counts.duplicate;
          batches.invalid += body.counts.invalid;
          batches.reserved += reserved.length;
          if (batches.sent % 100 === 0) log(`batches: ${nextIndex.toLocaleString('en')} items sent`);
        }
      };
      await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, worker));
      batches.seconds += (performance.now() - started) / 1000;
    };

    await syncUpTo(EARLY);
    const singleEarly = await singlePosts(base, await tokenFor(1414), unionIds, 10_000_000, rowsPresent);
    rowsPresent += singleEarly.created;
    log(
      `single POST at ${singleEarly.rowsPresent.toLocaleString('en')} rows: ${singleEarly.requestsPerSecond} req/s, p99 ${singleEarly.p99Ms} ms`,
    );
    await syncUpTo(TOTAL);
    const batchRate = round(TOTAL / batches.seconds);
    log(`batch sync: ${TOTAL.toLocaleString('en')} in ${round(batches.seconds, 1)} s = ${batchRate}/s`);
    const singleLate = await singlePosts(base, await tokenFor(1414), unionIds, 20_000_000, rowsPresent);
    rowsPresent += singleLate.created;
    log(
      `single POST at ${singleLate.rowsPresent.toLocaleString('en')} rows: ${singleLate.requestsPerSecond} req/s, p99 ${singleLate.p99Ms} ms`,
    );

    const rateBetween = (lo: number, hi: number) => {
      const inRange = marks.filter((m) => m.before >= lo && m.before < hi);
      if (inRange.length === 0) return null;
      const items = inRange.reduce((s, m) => s + m.items, 0);
      const span = (Math.max(...inRange.map((m) => m.end)) - Math.min(...inRange.map((m) => m.start))) / 1000;
      return round(items / span);
    };
    const lateFrom = Math.max(EARLY, TOTAL - EARLY - singleEarly.created);

    // The public statistics over the full table (computed on a cache miss, then cached for 30 s).
    const statsStarted = performance.now();
    const statsRes = await fetch(`${base}/v1/stats`);
    const statsMs = round(performance.now() - statsStarted);
    const statsTotal = ((await statsRes.json()) as { total?: number }).total;
    log(`GET /v1/stats over ${statsTotal?.toLocaleString('en')} registrations: ${statsMs} ms`);

    await stopServer();
    const integrity = await checkIntegrity(db, batches, singleEarly.created + singleLate.created);
    log(`integrity: ${JSON.stringify(integrity)}`);

    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      totalMemoryGiB: round(totalmem() / 2 ** 30, 1),
      freeMemoryGiB: round(freemem() / 2 ** 30, 1),
      os: `${osType()} ${release()}`,
      node: process.version,
      postgres: pgVersion,
      /** 1/5/15-minute load averages: the 2 cores are shared with other jobs. */
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
      date: new Date().toISOString(),
    };
    const results = {
      benchmark: 'registration',
      mode: quick ? 'quick' : 'full',
      machine,
      ceiling,
      batchSync: {
        registrations: TOTAL,
        seconds: round(batches.seconds, 1),
        registrationsPerSecond: batchRate,
        ratioToBulkCeiling: round(batchRate / ceiling.bulkRowsPerSecond, 3),
        target: { registrationsPerSecond: 8000, withinSeconds: 180 },
        metTarget: batchRate >= 8000 && batches.seconds <= 180,
        batchSize: BATCH,
        concurrentBatches: BATCH_CONCURRENCY,
        created: batches.created,
        duplicates: batches.duplicate,
        invalid: batches.invalid,
        offlineWithReservedNumbers: batches.reserved,
        throughputByRowsPresent: {
          [`from${EARLY}`]: rateBetween(EARLY, 2 * EARLY),
          [`from${lateFrom}`]: rateBetween(lateFrom, Number.POSITIVE_INFINITY),
        },
      },
      singlePost: {
        connections: 64,
        secondsEach: POST_SECONDS,
        target: { requestsPerSecond: 1500, p99Ms: 100 },
        atStart: {
          ...singleEarly,
          ratioToSingleRowCeiling: round(
            singleEarly.requestsPerSecond / ceiling.singleRowInsertsPerSecond,
            3,
          ),
        },
        atEnd: {
          ...singleLate,
          ratioToSingleRowCeiling: round(singleLate.requestsPerSecond / ceiling.singleRowInsertsPerSecond, 3),
        },
      },
      stats: { registrations: statsTotal, firstCallMs: statsMs },
      integrity,
    };
    const out = join(root, 'bench/results', quick ? 'registration-quick.json' : 'registration.json');
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${out}`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await close();
  }
}

async function measureCeiling(db: Awaited<ReturnType<typeof openDatabase>>['db'], rows: number) {
  for (const t of ['raw_bulk', 'raw_single']) {
    await sql`create table ${sql.table(t)} (like registrations including all)`.execute(db);
  }
  const started = performance.now();
  await sql`
    insert into raw_bulk (registration_number, window_id, centre_union_id, permanent_union_id, id_kind, id_hash,
      id_last4, name_en, name_bn, gender, date_of_birth, mobile, preferred_sectors, education, trade, skills,
      experience_years, channel, registered_at, registered_by)
    select lpad(i::text, 11, '0'), ${WINDOW_ID}, 1 + i % 4540, 1 + (i * 7) % 4540, 'nid', sha256(i::text::bytea),
      lpad((i % 10000)::text, 4, '0'), 'Abdul Karim', 'আব্দুল করিম', 'male', date '1990-01-01' + (i % 9000),
      '+88017' || lpad((i % 100000000)::text, 8, '0'), array['plantation', 'construction'], 'ssc', 'Mason',
      array['brick laying'], i % 10, 'offline', now(), 'bench'
    from generate_series(1, ${rows}::int) as i
  `.execute(db);
  const bulkSeconds = (performance.now() - started) / 1000;
  const script = join(dataDir, 'single.sql');
  writeFileSync(
    script,
    `\\set i random(1, 2000000000)
insert into raw_single (registration_number, window_id, centre_union_id, permanent_union_id, id_kind, id_hash, id_last4, name_en, name_bn, gender, date_of_birth, mobile, preferred_sectors, education, trade, skills, experience_years, channel, registered_at, registered_by) values (lpad(:i::text, 11, '0'), '${WINDOW_ID}', 1 + :i % 4540, 1 + :i % 4539, 'nid', sha256(:i::text::bytea), '1234', 'Abdul Karim', 'আব্দুল করিম', 'male', '1990-01-01', '+8801712345678', '{plantation,construction}', 'ssc', 'Mason', '{brick laying}', 3, 'online', now(), 'bench') on conflict do nothing;
`,
  );
  const u = new URL(dbUrl);
  const { stdout } = await run(
    'pgbench',
    [
      '-n',
      '-c',
      '64',
      '-j',
      '2',
      '-T',
      String(PGBENCH_SECONDS),
      '-f',
      script,
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username) || 'postgres',
      dbName,
    ],
    { maxBuffer: 1 << 20 },
  );
  const tps = Number(/tps = ([0-9.]+)/.exec(stdout)?.[1] ?? 'NaN');
  for (const t of ['raw_bulk', 'raw_single']) await sql`drop table ${sql.table(t)}`.execute(db);
  return {
    bulkRows: rows,
    bulkSeconds: round(bulkSeconds, 1),
    bulkRowsPerSecond: round(rows / bulkSeconds),
    singleRowInsertsPerSecond: round(tps),
    singleRowClients: 64,
    singleRowTool: 'pgbench',
  };
}

async function startServer(port: number): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'apps/registration-api/src/server.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        DATA_DIR: dataDir,
        REGISTRATION_API_PORT: String(port),
        MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'warn',
        SMS_TRANSPORT: 'off',
        DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE ?? '20',
        ID_HASH_SECRET: 'ab'.repeat(32),
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server exited');
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server!.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

async function singlePosts(
  base: string,
  token: string,
  unionIds: readonly number[],
  first: number,
  rowsPresent: number,
) {
  let next = first;
  const year = new Date().getUTCFullYear() - 44;
  const result = await autocannon({
    url: base,
    connections: 64,
    duration: POST_SECONDS,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/v1/registrations',
        setupRequest: (req) => ({
          ...req,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            windowId: WINDOW_ID,
            ...syntheticWorker(next++, { unionIds, birthYearFrom: year }),
          }),
        }),
      },
    ],
  });
  return {
    rowsPresent,
    requestsPerSecond: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    requests: result.requests.total,
    created: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    metTarget: result.requests.average >= 1500 && result.latency.p99 < 100 && result.non2xx === 0,
  };
}

async function checkIntegrity(
  db: Awaited<ReturnType<typeof openDatabase>>['db'],
  batches: { created: number; duplicate: number; sent: number },
  singles: number,
) {
  const one = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(db)).rows[0]?.n);
  const registrations = await one(sql`select count(*)::text as n from registrations`);
  // Singles counted by the database: the load tool stops with requests in flight that still commit.
  const online = await one(sql`select count(*)::text as n from registrations where channel = 'online'`);
  const identities = await one(
    sql`select count(distinct (window_id, id_hash))::text as n from registrations`,
  );
  const outbox = await one(sql`select count(*)::text as n from outbox_messages`);
  const confirmations = await one(
    sql`select count(*)::text as n from outbox_messages where template = 'registration.confirmed'`,
  );
  const batchAudits = await one(
    sql`select count(*)::text as n from audit_events where action = 'registration.batch-sync'`,
  );
  const singleAudits = await one(
    sql`select count(*)::text as n from audit_events where action = 'registration.create'`,
  );
  const usedReserved = await one(
    sql`select count(*)::text as n from number_reservations where used_at is not null`,
  );
  const chain = await verifyAuditChain(db);
  const expected = batches.created + online;
  return {
    registrations,
    expectedRegistrations: expected,
    singleRegistrations: { committed: online, answered201: singles },
    oneRegistrationPerIdentity: identities === registrations,
    duplicatesRefused: batches.duplicate,
    outboxMessages: outbox,
    confirmationsQueued: confirmations,
    duplicateNoticesQueued: outbox - confirmations,
    auditEvents: { batchSync: batchAudits, singleRegistration: singleAudits },
    reservedNumbersUsed: usedReserved,
    auditChain: { ok: chain.ok, links: chain.checked, waitingToBeChained: chain.unchained },
    ok:
      registrations === expected &&
      identities === registrations &&
      confirmations === registrations &&
      outbox - confirmations === batches.duplicate &&
      batchAudits === batches.sent &&
      singleAudits === online &&
      online >= singles &&
      chain.ok,
  };
}

try {
  await main();
} finally {
  await stopServer().catch(() => {});
  await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}
