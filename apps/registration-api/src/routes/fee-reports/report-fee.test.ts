import { postFeeEntry, sql } from '@g2g/db';
import { seedFeePolicy, seedFeeWorkers } from '@g2g/db/testing';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { registrationNumberFromSerial } from '@g2g/registration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { TEST_ID_HASH_SECRET } from '../../testing.ts';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let clock = new Date('2026-11-23T06:00:00Z');
const W1 = registrationNumberFromSerial(90001);
const W2 = registrationNumberFromSerial(90002);
const W3 = registrationNumberFromSerial(90003);
const W4 = registrationNumberFromSerial(90004);
const WAITLISTED = registrationNumberFromSerial(90009);
const DOB = '1990-03-14';

const report = (registrationNumber: string, over: Record<string, unknown> = {}) => ({
  registrationNumber,
  dateOfBirth: DOB,
  category: 'medical_test',
  amount: { amountMinor: 400_000, currency: 'BDT' },
  payee: { kind: 'registered', registryId: 'MC-1' },
  valueDate: '2013-05-02',
  ...over,
});

async function codeFor(reportId: string): Promise<string> {
  const { rows } = await sql<{ body: string; recipient: string }>`
    select body, recipient from outbox_messages where dedupe_key = ${`fee-report-code:${reportId}`}
  `.execute(ctx.db);
  expect(rows).toHaveLength(1);
  return /Your code is (\d{6})/.exec(rows[0]!.body)![1]!;
}

async function submit(body: unknown) {
  const res = await call(app, 'POST', '/v1/fee-reports', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as { reportId: string; sentTo: string };
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp({ ...ctx.deps, idHashSecret: TEST_ID_HASH_SECRET, now: () => clock });
  await seedFeePolicy(ctx.db);
  await seedFeeWorkers(ctx.db, [W1, W2, W3, W4]);
  await seedFeeWorkers(ctx.db, [WAITLISTED], { status: 'waitlisted' });
});
afterAll(() => ctx.close());

describe('worker fee reports (self-service, one-time code)', () => {
  it('records nothing until the code sent by SMS confirms it; then it is an unmatched-report finding', async () => {
    const pending = await submit(report(W1));
    expect(pending.sentTo).toMatch(/^\+8801\*{6}\d\d$/);
    const entries = async () =>
      (await ctx.db.selectFrom('fee_entries').select('id').where('registration_number', '=', W1).execute())
        .length;
    expect(await entries()).toBe(0);
    const code = await codeFor(pending.reportId);
    const ok = await call(app, 'POST', '/v1/fee-reports/confirmation', {
      body: { reportId: pending.reportId, code },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ entryId: pending.reportId, matchedReceipt: false, status: 'within_cap' });
    expect(await entries()).toBe(1);
    const { rows } = await sql<{ kind: string; source: string }>`
      select f.kind, e.source from fee_findings f join fee_entries e on e.id = f.entry_id where f.registration_number = ${W1}
    `.execute(ctx.db);
    expect(rows).toEqual([{ kind: 'unmatched_worker_report', source: 'worker_report' }]);
    const again = await call(app, 'POST', '/v1/fee-reports/confirmation', {
      body: { reportId: pending.reportId, code },
    });
    expect(again.status).toBe(409);
  });

  it('matches a confirmed report against an official receipt, never merging them', async () => {
    const { rows: before } = await sql<{ n: number }>`select count(*)::int as n from fee_findings`.execute(
      ctx.db,
    );
    const pending = await submit(report(W2, { amount: { amountMinor: 250_000, currency: 'BDT' } }));
    await call(app, 'POST', '/v1/fee-reports/confirmation', {
      body: { reportId: pending.reportId, code: await codeFor(pending.reportId) },
    });
    // The officer's receipt for the same payment resolves the discrepancy; both entries stay.
    const res = await ctx.db.transaction().execute((trx) =>
      postFeeEntry(
        trx,
        {
          kind: 'payment',
          registrationNumber: W2,
          category: 'medical_test',
          amount: { amountMinor: 250_000n, currency: 'BDT' },
          payer: 'worker',
          payee: { kind: 'registered', registryId: 'MC-1' },
          valueDate: '2013-05-04',
          receiptRef: 'MC-1/889',
          source: 'official_receipt',
        },
        { actor: { sub: 'officer-1', role: 'ministry_officer' }, at: new Date() },
      ),
    );
    expect(res.resolved.map((r) => r.findingId)).toEqual([
      `${W2}/unmatched_worker_report:${pending.reportId}/1`,
    ]);
    expect(res.position.paidByWorker.amountMinor).toBe(250_000n);
    expect(res.position.matchedReports.get(pending.reportId)).toBe(res.entry.id);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from fee_entries where registration_number = ${W2}`.execute(ctx.db);
    expect(rows[0]!.n).toBe(2);
    const { rows: after } = await sql<{ n: number }>`select count(*)::int as n from fee_findings`.execute(
      ctx.db,
    );
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });

  it('locks a report after five wrong codes, and refuses an expired code', async () => {
    const pending = await submit(report(W3));
    const code = await codeFor(pending.reportId);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 4; i >= 0; i--) {
      const res = await call(app, 'POST', '/v1/fee-reports/confirmation', {
        body: { reportId: pending.reportId, code: wrong },
      });
      expect(res.status).toBe(422);
      expect(res.body.attemptsLeft).toBe(i);
    }
    const locked = await call(app, 'POST', '/v1/fee-reports/confirmation', {
      body: { reportId: pending.reportId, code },
    });
    expect(locked.status).toBe(422);
    expect(locked.body.detail).toContain('locked');

    const late = await submit(report(W4));
    clock = new Date(clock.getTime() + 16 * 60_000);
    const expired = await call(app, 'POST', '/v1/fee-reports/confirmation', {
      body: { reportId: late.reportId, code: await codeFor(late.reportId) },
    });
    expect(expired.status).toBe(422);
    expect(expired.body.detail).toContain('expired');
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from fee_entries where registration_number in (${W3}, ${W4})`.execute(
      ctx.db,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('answers a wrong date of birth like an unknown number, and refuses workers not selected', async () => {
    expect(
      (await call(app, 'POST', '/v1/fee-reports', { body: report(W1, { dateOfBirth: '1991-01-01' }) }))
        .status,
    ).toBe(404);
    expect(
      (await call(app, 'POST', '/v1/fee-reports', { body: report(registrationNumberFromSerial(99999)) }))
        .status,
    ).toBe(404);
    const { rows: sms } = await sql<{ n: number }>`select count(*)::int as n from outbox_messages`.execute(
      ctx.db,
    );
    const payee = await call(app, 'POST', '/v1/fee-reports', {
      body: report(W1, { payee: { kind: 'registered', registryId: 'NO-SUCH-PAYEE' } }),
    });
    expect(payee.status).toBe(404);
    const early = await call(app, 'POST', '/v1/fee-reports', {
      body: report(W1, { valueDate: '2012-05-02' }),
    });
    expect(early.status).toBe(422);
    const { rows: smsAfter } = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox_messages`.execute(ctx.db);
    expect(smsAfter[0]!.n).toBe(sms[0]!.n);
    const waitlisted = await call(app, 'POST', '/v1/fee-reports', { body: report(WAITLISTED) });
    expect(waitlisted.status).toBe(422);
    const unknown = await call(app, 'POST', '/v1/fee-reports/confirmation', {
      body: { reportId: '3f1c2a9e-0d4b-4a53-9a55-2f0c1d7e8b10', code: '123456' },
    });
    expect(unknown.status).toBe(404);
  });
});
