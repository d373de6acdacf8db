import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFeeEntry } from './fee-ledger.ts';
import { grantAppRole } from './roles.ts';
import { adminQuery } from './testing/admin.ts';
import {
  createTestDatabase,
  seedFeePolicy,
  seedFeeWorkers,
  type TestDatabase,
  testDatabaseUrl,
} from './testing/index.ts';

// PostgreSQL only: many connections posting for one worker at the same time.
let database: TestDatabase;
const WORKER = '20130000301';
const OTHER = '20130000302';

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 12 });
  await seedFeePolicy(database.db, { capTaka: 40_000 });
  await seedFeeWorkers(database.db, [WORKER, OTHER]);
});
afterAll(() => database.close());

const payment = (registrationNumber: string, taka: number, i: number) => ({
  kind: 'payment' as const,
  registrationNumber,
  category: 'training_orientation' as const,
  amount: { amountMinor: BigInt(taka) * 100n, currency: 'BDT' as const },
  payer: 'worker' as const,
  payee: { kind: 'registered' as const, registryId: 'BOESL' },
  valueDate: '2013-06-01',
  receiptRef: `R-${i}`,
  source: 'official_receipt' as const,
});

describe('concurrent postings for one worker', () => {
  it('never take the worker past the cap unflagged: exactly the crossing posting raises over_cap', async () => {
    // 24 officers post Tk 3,000 each at once (Tk 72,000 against a Tk 40,000 cap), on 12 connections.
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        database.db.transaction().execute((trx) =>
          postFeeEntry(trx, payment(WORKER, 3_000, i), {
            actor: { sub: `officer-${i}`, role: 'ministry_officer' },
            at: new Date(),
          }),
        ),
      ),
    );
    const raised = results.flatMap((r) => r.raised);
    expect(raised.map((f) => f.kind)).toEqual(['over_cap']);
    // Serialised by the worker lock: each posting saw every earlier one, so totals are 3,000 x 1..24.
    expect(
      results.map((r) => Number(r.position.paidByWorker.amountMinor) / 100).sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 24 }, (_, i) => 3_000 * (i + 1)));
    const crossing = results.find((r) => r.raised.length > 0)!;
    expect(crossing.position.paidByWorker.amountMinor).toBe(4_200_000n); // the 14th posting
    const { rows } = await sql<{ paid: string; open_over_cap: string; alerts: string }>`
      select (select sum(scheme_amount_minor) from fee_entries where registration_number = ${WORKER})::text as paid,
             (select count(*) from fee_findings f where f.registration_number = ${WORKER} and f.kind = 'over_cap'
                and not exists (select 1 from fee_finding_resolutions r where r.finding_id = f.id))::text as open_over_cap,
             (select count(*) from outbox_messages where channel = 'alert'
                and dedupe_key like ${`fee-finding:${WORKER}/%`})::text as alerts
    `.execute(database.db);
    expect(rows[0]).toEqual({ paid: '7200000', open_over_cap: '1', alerts: '1' });
  });

  it('do not wait on postings for other workers', async () => {
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        database.db.transaction().execute((trx) =>
          postFeeEntry(trx, payment(i % 2 === 0 ? WORKER : OTHER, 100, 100 + i), {
            actor: { sub: 'officer-x', role: 'ministry_officer' },
            at: new Date(),
          }),
        ),
      ),
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('are append-only for the apps role too: grantAppRole revokes UPDATE and DELETE on the fee tables', async () => {
    const role = `g2g_fee_app_${randomBytes(3).toString('hex')}`;
    const admin = testDatabaseUrl()!;
    await adminQuery(admin, `create role ${role}`);
    try {
      const { appendOnly } = await grantAppRole(database.db, role);
      expect(appendOnly).toEqual(
        expect.arrayContaining([
          'fee_entries',
          'fee_findings',
          'fee_finding_resolutions',
          'fee_policy_versions',
          'fee_exchange_rates',
          'fee_payees',
          'fee_payee_licences',
        ]),
      );
      const { rows } = await sql<{ ins: boolean; upd: boolean; del: boolean }>`
        select has_table_privilege(${role}, 'fee_entries', 'INSERT') as ins,
               has_table_privilege(${role}, 'fee_entries', 'UPDATE') as upd,
               has_table_privilege(${role}, 'fee_entries', 'DELETE') as del
      `.execute(database.db);
      expect(rows[0]).toEqual({ ins: true, upd: false, del: false });
    } finally {
      await sql`drop owned by ${sql.id(role)}`.execute(database.db);
      await adminQuery(admin, `drop role ${role}`);
    }
  });
});
