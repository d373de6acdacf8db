/**
 * `pnpm bench:fees [--quick] [--posted N]`: the fee ledger of 100,000 selected workers with about 12
 * entries each, on a fresh PostgreSQL database on 127.0.0.1 (BENCH_DATABASE_URL: admin connection).
 *
 * 1. Migrate; the sample scheme's 2013 fee policy (cap Tk 40,000), rates, 200 payees (some licences
 *    expired); 100,000 registrations with status 'selected' inserted set-wise.
 * 2. Posting throughput: the first N workers (default 10,000, so ~120,000 postings) are posted one
 *    entry per transaction through `postFeeEntry`, the path every API uses: worker lock, ledger fold,
 *    the fee core's cap check, entry + findings + audit events + vigilance alerts. 8 connections,
 *    each taking the next worker and posting its entries in order (a worker's postings never overlap,
 *    as with one officer per case; the lock is still taken).
 * 3. The other workers' ledgers are computed by the same fee core in process and written set-wise
 *    (entries and findings, no audit events): only so the report has 100,000 ledgers to read.
 * 4. Times the by-payee report (load every ledger of the scheme, fold, report), and the other reports.
 * 5. Integrity: entries and findings counted; every worker the distribution counts over the cap has
 *    an open over_cap finding; writes bench/results/fees.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildFeeReport,
  createPayee,
  type Database,
  feeEntryRow,
  feeFindingRow,
  type Kysely,
  loadAllRates,
  loadFeePolicy,
  loadPayees,
  migrateToLatest,
  type NewFeeEntry,
  openDatabase,
  postFeeEntry,
  sql,
} from '@g2g/db';
import { adminQuery, withDatabase } from '@g2g/db/testing/admin';
import { FEE_TEST_WINDOW_ID, seedFeePolicy } from '@g2g/db/testing/fees';
import { type CostCategory, emptyLedger, type FeeLedgerEvent, fold, type PayeeKind, post } from '@g2g/fees';
import { machineInfo, percentile } from './machine.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const postedArg = args.indexOf('--posted');
const WORKERS = quick ? 2_000 : 100_000;
const POSTED = postedArg >= 0 ? Number(args[postedArg + 1]) : quick ? 500 : 10_000;
const CONNECTIONS = 8;
const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `g2g_fees_bench_${process.pid}`;
const log = (m: string) => process.stderr.write(`[bench:fees] ${m}\n`);
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const officer = { sub: 'bench-officer', role: 'ministry_officer' as const };
const numberOf = (i: number) => String(30_000_000_000 + i);

/** mulberry32: a seeded generator for the synthetic ledger (the bench's own, not the domain's). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const payeesOf: Record<string, string[]> = { agency: [], medical: [], training: [] };

/** About 12 entries for worker i, deterministic. Most workers stay within the cap; some do not. */
function entriesFor(i: number): NewFeeEntry[] {
  const r = rng(i + 1);
  const pick = (list: string[]) => list[Math.floor(r() * list.length)]!;
  const tk = (taka: number) => ({ amountMinor: BigInt(Math.round(taka)) * 100n, currency: 'BDT' as const });
  const day = (month: number) =>
    `2013-${String(month).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  const registrationNumber = numberOf(i);
  const e = (
    category: CostCategory,
    amount: { amountMinor: bigint; currency: 'BDT' | 'MYR' },
    payer: 'worker' | 'employer',
    registryId: string,
    month: number,
  ): NewFeeEntry => ({
    kind: 'payment',
    registrationNumber,
    category,
    amount,
    payer,
    payee: { kind: 'registered', registryId },
    valueDate: day(month),
    receiptRef: `R-${i}-${category}`,
    source: 'official_receipt',
  });
  const list: NewFeeEntry[] = [
    e('registration_service_charge', tk(50), 'worker', 'BOESL', 1),
    e('passport', tk(3_000), 'worker', 'DIP', 2),
    e('medical_test', tk(4_000 + r() * 4_000), 'worker', pick(payeesOf.medical!), 3),
    e('skills_test', tk(1_500 + r() * 1_000), 'worker', pick(payeesOf.training!), 3),
    e('training_orientation', tk(1_500), 'worker', pick(payeesOf.training!), 4),
    e('insurance', tk(1_000), 'worker', 'SBC', 4),
    e('welfare_fund', tk(1_000), 'worker', 'WEWB', 4),
    e('visa', { amountMinor: 50_000n, currency: 'MYR' }, 'employer', 'BOESL', 5),
    e('work_permit_levy', { amountMinor: 185_000n, currency: 'MYR' }, 'employer', 'BOESL', 5),
    e('airfare', tk(25_000 + r() * 10_000), r() < 0.75 ? 'employer' : 'worker', 'AIRLINE', 6),
  ];
  if (r() < 0.1)
    list.push(
      e('recruitment_service_charge', tk(20_000 + r() * 30_000), 'worker', pick(payeesOf.agency!), 2),
    );
  else list.push(e('other', tk(500), 'worker', 'BOESL', 5));
  if (r() < 0.5) list.push(e('insurance', tk(300), 'worker', 'SBC', 6));
  return list;
}

async function setUp(db: Kysely<Database>) {
  const { schemeId } = await seedFeePolicy(db);
  const at = new Date();
  await db.transaction().execute(async (trx) => {
    const add = (
      registryId: string,
      kind: PayeeKind,
      licences: { number: string; validFrom: string; validTo: string | null }[],
    ) =>
      createPayee(trx, { registryId, kind, name: `${kind} ${registryId}`, licences }, { actor: officer, at });
    for (const [id, kind] of [
      ['DIP', 'government_office'],
      ['SBC', 'government_office'],
      ['WEWB', 'government_office'],
      ['AIRLINE', 'airline'],
    ] as const)
      await add(id, kind, []);
    for (let k = 0; k < 120; k++) {
      const id = `RA-${k}`;
      payeesOf.agency!.push(id);
      // One agency in five had its licence expire before the scheme's payments.
      await add(id, 'recruiting_agency', [
        { number: `RL-${1000 + k}`, validFrom: '2010-01-01', validTo: k % 5 === 0 ? '2013-01-01' : null },
      ]);
    }
    for (let k = 0; k < 50; k++) {
      const id = `MC-${k + 2}`;
      payeesOf.medical!.push(id);
      await add(id, 'medical_centre', [{ number: `GAMCA-${k}`, validFrom: '2012-01-01', validTo: null }]);
    }
    for (let k = 0; k < 26; k++) {
      const id = `TC-${k}`;
      payeesOf.training!.push(id);
      await add(id, 'training_centre', [{ number: `BMET-${k}`, validFrom: '2012-01-01', validTo: null }]);
    }
  });
  // 100,000 selected workers, spread over every union (so over every district), set-wise.
  await sql`
    insert into registrations (registration_number, window_id, centre_union_id, permanent_union_id, id_kind,
      id_hash, id_last4, name_en, name_bn, gender, date_of_birth, mobile, preferred_sectors, education,
      status, channel, registered_at, registered_by)
    select (30000000000 + g)::text, ${FEE_TEST_WINDOW_ID}, u.id, u.id, 'nid',
      sha256(convert_to(g::text, 'UTF8')), '1234', 'Bench Worker', 'বেঞ্চ কর্মী', 'male', '1990-03-14',
      '+88017' || lpad(g::text, 8, '0'), '{plantation}', 'ssc', 'selected', 'online', '2013-01-15T04:00:00Z', 'bench'
    from generate_series(0, ${WORKERS - 1}) g
    join (select id, row_number() over (order by id) - 1 as k, count(*) over () as n from unions) u
      on u.k = g % u.n
  `.execute(db);
  return schemeId;
}

async function postThroughDomain(db: Kysely<Database>) {
  const latencies: number[] = [];
  let next = 0;
  let postings = 0;
  let findings = 0;
  const started = performance.now();
  const stream = async () => {
    while (next < POSTED) {
      const i = next++;
      for (const entry of entriesFor(i)) {
        const t0 = performance.now();
        const result = await db
          .transaction()
          .execute((trx) => postFeeEntry(trx, entry, { actor: officer, at: new Date() }));
        latencies.push(performance.now() - t0);
        postings++;
        findings += result.raised.length;
      }
      if (i % 1000 === 999) log(`posted ${i + 1} workers (${postings} postings)`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, stream));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    workers: POSTED,
    postings,
    findingsRaised: findings,
    connections: CONNECTIONS,
    seconds: round(seconds, 1),
    postingsPerSecond: round(postings / seconds),
    latencyMs: {
      p50: round(percentile(latencies, 50), 1),
      p90: round(percentile(latencies, 90), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(latencies.at(-1) ?? 0, 1),
    },
  };
}

async function bulkLoad(db: Kysely<Database>, schemeId: string) {
  const policy = (await loadFeePolicy(db, schemeId))!;
  const rates = await loadAllRates(db);
  const payees = await loadPayees(db);
  const started = performance.now();
  let entries = 0;
  const recordedAt = new Date().toISOString();
  for (let from = POSTED; from < WORKERS; from += 1000) {
    const entryRows: ReturnType<typeof feeEntryRow>[] = [];
    const findingRows: ReturnType<typeof feeFindingRow>[] = [];
    for (let i = from; i < Math.min(WORKERS, from + 1000); i++) {
      let state = emptyLedger(numberOf(i));
      entriesFor(i).forEach((input, k) => {
        if (input.kind !== 'payment') return;
        const events: FeeLedgerEvent[] = post(
          state,
          { ...input, id: `b-${i}-${k}`, recordedBy: officer },
          { policy, rates, payees, monthlyContractWage: null, recordedAt },
        );
        state = fold(state, events);
        for (const ev of events) {
          if (ev.type === 'entry_posted') entryRows.push(feeEntryRow(ev.entry, schemeId));
          if (ev.type === 'finding_raised') findingRows.push(feeFindingRow(ev.finding, schemeId));
        }
      });
    }
    for (let k = 0; k < entryRows.length; k += 2000) {
      await db
        .insertInto('fee_entries')
        .values(entryRows.slice(k, k + 2000))
        .execute();
    }
    for (let k = 0; k < findingRows.length; k += 2000) {
      await db
        .insertInto('fee_findings')
        .values(findingRows.slice(k, k + 2000))
        .execute();
    }
    entries += entryRows.length;
    if ((from - POSTED) % 10_000 === 0) log(`bulk-loaded from worker ${from}`);
  }
  return { workers: WORKERS - POSTED, entries, seconds: round((performance.now() - started) / 1000, 1) };
}

async function main() {
  log(
    `${quick ? 'quick' : 'full'} run: ${WORKERS} workers, ${POSTED} posted through the domain path; database ${dbName}`,
  );
  await adminQuery(adminUrl, `create database ${dbName}`);
  const { db, close } = await openDatabase({
    databaseUrl: withDatabase(adminUrl, dbName),
    poolSize: CONNECTIONS + 2,
  });
  try {
    await migrateToLatest(db);
    const pgVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db))
      .rows[0]?.v;
    const schemeId = await setUp(db);
    log('set up; posting through the domain path');
    const posting = await postThroughDomain(db);
    log(`posting: ${posting.postingsPerSecond}/s, p99 ${posting.latencyMs.p99} ms`);
    const bulk = await bulkLoad(db, schemeId);
    log(`bulk load: ${bulk.entries} entries in ${bulk.seconds} s`);
    await sql`analyze`.execute(db);

    const timed = async <T>(f: () => Promise<T>) => {
      const t0 = performance.now();
      const value = await f();
      return { value, seconds: round((performance.now() - t0) / 1000, 2) };
    };
    const asOf = '2013-12-31';
    const byPayee = await timed(() => buildFeeReport(db, schemeId, 'by-payee', asOf));
    log(`by-payee report: ${byPayee.seconds} s`);
    const byDistrict = await timed(() => buildFeeReport(db, schemeId, 'by-district', asOf));
    const distribution = await timed(() => buildFeeReport(db, schemeId, 'distribution', asOf));
    const payeeRows = byPayee.value.kind === 'by-payee' ? byPayee.value.rows : [];
    const dist = distribution.value.kind === 'distribution' ? distribution.value.distribution : undefined;

    const { rows: counts } = await sql<{
      entries: string;
      findings: string;
      open_over_cap: string;
      audit: string;
      alerts: string;
    }>`
      select (select count(*) from fee_entries)::text as entries,
             (select count(*) from fee_findings)::text as findings,
             (select count(*) from fee_findings f where kind = 'over_cap'
                and not exists (select 1 from fee_finding_resolutions r where r.finding_id = f.id))::text as open_over_cap,
             (select count(*) from audit_events where action like 'fee.%')::text as audit,
             (select count(*) from outbox_messages where channel = 'alert')::text as alerts
    `.execute(db);
    const c = counts[0]!;
    const integrity = {
      entries: Number(c.entries),
      findings: Number(c.findings),
      openOverCapFindings: Number(c.open_over_cap),
      workersOverCapInDistribution: dist?.overCap ?? null,
      everyWorkerOverCapHasAnOpenFinding: dist !== undefined && dist.overCap === Number(c.open_over_cap),
      auditEventsFromPostedPath: Number(c.audit),
      vigilanceAlerts: Number(c.alerts),
    };
    const result = {
      benchmark: 'fees',
      quick,
      date: new Date().toISOString(),
      machine: { ...machineInfo(), postgres: pgVersion },
      ledger: {
        workers: WORKERS,
        entries: integrity.entries,
        entriesPerWorker: round(integrity.entries / WORKERS, 2),
      },
      posting,
      bulkLoad: bulk,
      reports: {
        byPayee: {
          seconds: byPayee.seconds,
          payees: payeeRows.length,
          first: payeeRows[0] && {
            payeeKey: payeeRows[0].payeeKey,
            openFindings: payeeRows[0].openFindings,
            workersServed: payeeRows[0].workersServed,
          },
        },
        byDistrict: { seconds: byDistrict.seconds },
        distribution: {
          seconds: distribution.seconds,
          median: dist?.median?.amountMinor.toString(),
          p90: dist?.p90?.amountMinor.toString(),
          max: dist?.max?.amountMinor.toString(),
          withinCap: dist?.withinCap,
          nearCap: dist?.nearCap,
          overCap: dist?.overCap,
        },
      },
      integrity,
    };
    const file = join(import.meta.dirname, 'results', quick ? 'fees-quick.json' : 'fees.json');
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${file}`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await close();
    await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
