import { listAuditLog, sql } from '@g2g/db';
import { seedFeeWorkers } from '@g2g/db/testing';
import { costCategories } from '@g2g/fees';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let officer: string;
let auditor: string;
const SCHEME = 'g2g-malaysia-2013';
const [W1, W2, W3, W4, W5] = ['20130000101', '20130000102', '20130000103', '20130000104', '20130000105'];
const REGISTERED = '20130000199';
const tk = (taka: number) => ({ amountMinor: taka * 100, currency: 'BDT' });
const mayPay = { kind: 'worker_may_pay', limit: null };
const categories = (overrides: Record<string, unknown> = {}) => ({
  ...Object.fromEntries(costCategories.map((c) => [c, mayPay])),
  registration_service_charge: { kind: 'worker_may_pay', limit: tk(50) },
  recruitment_service_charge: { kind: 'employer_only' },
  visa: { kind: 'employer_only' },
  work_permit_levy: { kind: 'employer_only' },
  ...overrides,
});
const receipt = (registrationNumber: string, over: Record<string, unknown> = {}) => ({
  registrationNumber,
  category: 'medical_test',
  amount: tk(4_000),
  payer: 'worker',
  payee: { kind: 'registered', registryId: 'MC-1' },
  valueDate: '2013-05-02',
  receiptRef: 'R-1',
  ...over,
});

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx.deps);
  officer = await ctx.token('ministry_officer', { sub: 'officer-1' });
  auditor = await ctx.token('auditor', { sub: 'auditor-1' });
  await seedFeeWorkers(ctx.db, [W1, W2, W3, W4, W5]);
  await seedFeeWorkers(ctx.db, [REGISTERED], { status: 'registered' });
  const post = async (path: string, body: unknown) => {
    const res = await call(app, 'POST', path, { token: officer, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  await post(`/v1/fee-policies/${SCHEME}/versions`, {
    id: 'g2g-2013',
    currency: 'BDT',
    effectiveFrom: '2013-01-01',
    cap: { kind: 'fixed', amount: tk(40_000) },
    categories: categories(),
  });
  await post('/v1/exchange-rates', {
    base: 'USD',
    quote: 'BDT',
    rate: '78.50',
    date: '2013-01-01',
    source: 'Bangladesh Bank',
  });
  await post('/v1/exchange-rates', {
    base: 'MYR',
    quote: 'BDT',
    rate: '25.4567',
    date: '2013-01-01',
    source: 'Bangladesh Bank',
  });
  await post('/v1/fee-payees', {
    registryId: 'MC-1',
    kind: 'medical_centre',
    name: 'Gulshan Medical Centre',
    licences: [{ number: 'GAMCA-77', validFrom: '2013-01-01', validTo: '2014-01-01' }],
  });
  await post('/v1/fee-payees', {
    registryId: 'RA-1',
    kind: 'recruiting_agency',
    name: 'Agency One',
    licences: [{ number: 'RL-1001', validFrom: '2012-01-01', validTo: '2013-03-01' }],
  });
  await post('/v1/fee-payees', {
    registryId: 'BOESL',
    kind: 'government_office',
    name: 'BOESL',
    licences: [],
  });
});
afterAll(() => ctx.close());

describe('fee policy versions', () => {
  it('are forward-only: a later version closes the open one, an earlier start is refused', async () => {
    const later = await call(app, 'POST', `/v1/fee-policies/${SCHEME}/versions`, {
      token: officer,
      body: {
        id: 'g2g-2022',
        currency: 'BDT',
        effectiveFrom: '2022-06-01',
        cap: { kind: 'fixed', amount: tk(78_990) },
        categories: categories({ medical_test: { kind: 'worker_may_pay', limit: tk(8_000) } }),
      },
    });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    const list = await call(app, 'GET', `/v1/fee-policies/${SCHEME}`, { token: auditor });
    expect(
      list.body.versions.map((v: { id: string; effectiveTo: string | null }) => [v.id, v.effectiveTo]),
    ).toEqual([
      ['g2g-2013', '2022-06-01'],
      ['g2g-2022', null],
    ]);
    const past = await call(app, 'POST', `/v1/fee-policies/${SCHEME}/versions`, {
      token: officer,
      body: {
        id: 'g2g-2015',
        currency: 'BDT',
        effectiveFrom: '2015-01-01',
        cap: { kind: 'zero' },
        categories: categories(),
      },
    });
    expect(past.status).toBe(422);
    const currency = await call(app, 'POST', `/v1/fee-policies/${SCHEME}/versions`, {
      token: officer,
      body: {
        id: 'g2g-2030',
        currency: 'USD',
        effectiveFrom: '2030-01-01',
        cap: { kind: 'zero' },
        categories: categories(),
      },
    });
    expect(currency.status).toBe(422);
  });

  it('apply by value date: a 2023 payment falls under the 2022 version and its cap', async () => {
    const res = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W5, {
        valueDate: '2023-02-01',
        category: 'airfare',
        payee: { kind: 'registered', registryId: 'BOESL' },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.entry.policyVersionId).toBe('g2g-2022');
    expect(res.body.position).toMatchObject({
      cap: { amountMinor: 7_899_000 },
      capPolicyVersionId: 'g2g-2022',
    });
    const old = await call(app, 'POST', '/v1/fee-entries', { token: officer, body: receipt(W4) });
    expect(old.body.entry.policyVersionId).toBe('g2g-2013');
  });
});

describe('receipts and the cap', () => {
  it('records a receipt, converts other currencies exactly, and reports the position', async () => {
    const res = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W1, {
        category: 'airfare',
        amount: { amountMinor: 100_001, currency: 'MYR' },
        payee: { kind: 'registered', registryId: 'BOESL' },
      }),
    });
    expect(res.status).toBe(201);
    // 1,000.01 MYR x 25.4567 = 25,456.9545567 BDT -> 2,545,695 poisha (half-even, one rounding)
    expect(res.body.entry.schemeAmount).toEqual({
      amountMinor: 2_545_695,
      currency: 'BDT',
      major: '25456.95',
    });
    expect(res.body.entry.rate).toMatchObject({ base: 'MYR', quote: 'BDT', rate: '25.4567' });
    expect(res.body.findingsRaised).toEqual([]);
    const pos = await call(app, 'GET', `/v1/fee-workers/${W1}`, { token: auditor });
    expect(pos.status).toBe(200);
    expect(pos.body).toMatchObject({
      paidByWorker: { amountMinor: 2_545_695 },
      cap: { amountMinor: 4_000_000 },
      headroom: { amountMinor: 4_000_000 - 2_545_695 },
      status: 'within_cap',
    });
  });

  it('flags 90 % and raises an over-cap finding with an audit event and a vigilance alert', async () => {
    const near = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W1, {
        category: 'training_orientation',
        amount: tk(11_000),
        payee: { kind: 'registered', registryId: 'BOESL' },
      }),
    });
    expect(near.body.position.status).toBe('near_cap');
    const over = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W1, { amount: tk(4_000) }),
    });
    expect(over.status).toBe(201);
    expect(over.body.position.status).toBe('over_cap');
    expect(over.body.findingsRaised.map((f: { kind: string }) => f.kind)).toEqual(['over_cap']);
    const findingId = over.body.findingsRaised[0].id;
    await ctx.chainAudit();
    const events = await listAuditLog(ctx.db, { limit: 10, entityType: 'fee_finding' });
    expect(events.map((e) => [e.action, e.entity.id])).toContainEqual(['fee.finding.raise', findingId]);
    const { rows } = await sql<{ recipient: string; body: string }>`
      select recipient, body from outbox_messages where dedupe_key = ${`fee-finding:${findingId}`}
    `.execute(ctx.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).toContain(findingId);
    const open = await call(app, 'GET', `/v1/fee-findings?registrationNumber=${W1}&open=true`, {
      token: auditor,
    });
    expect(open.body.items.map((f: { kind: string }) => f.kind)).toEqual(['over_cap']);

    // A reversal restores the totals exactly and resolves the finding; it cannot be repeated.
    const rev = await call(app, 'POST', `/v1/fee-entries/${over.body.entry.id}/reversal`, {
      token: officer,
      body: { reason: 'Receipt entered twice' },
    });
    expect(rev.status).toBe(201);
    expect(rev.body.findingsResolved).toEqual([findingId]);
    expect(rev.body.position.paidByWorker).toEqual(near.body.position.paidByWorker);
    expect(rev.body.entry).toMatchObject({
      kind: 'reversal',
      reverses: over.body.entry.id,
      amount: { amountMinor: -400_000 },
    });
    const again = await call(app, 'POST', `/v1/fee-entries/${over.body.entry.id}/reversal`, {
      token: officer,
      body: { reason: 'Receipt entered twice' },
    });
    expect(again.status).toBe(409);
    expect(
      (await call(app, 'GET', `/v1/fee-findings?registrationNumber=${W1}&open=true`, { token: auditor })).body
        .items,
    ).toEqual([]);
  });

  it('finds employer-only costs paid by the worker and payments to an expired licence', async () => {
    const res = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W2, {
        category: 'recruitment_service_charge',
        amount: tk(20_000),
        payee: { kind: 'registered', registryId: 'RA-1' },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.entry.payeeCheck).toEqual({ status: 'licence_expired', licenceNumber: 'RL-1001' });
    expect(res.body.findingsRaised.map((f: { kind: string }) => f.kind).sort()).toEqual([
      'employer_only_cost_paid_by_worker',
      'unlicensed_payee',
    ]);
    const individual = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W3, {
        category: 'other',
        amount: tk(30_000),
        payee: { kind: 'unlicensed_individual', name: 'Dalal Karim' },
      }),
    });
    expect(individual.body.findingsRaised.map((f: { kind: string }) => f.kind)).toEqual(['unlicensed_payee']);
  });

  it('refuses registrations that are not selected workers, and unknown payees, writing nothing', async () => {
    const before = await ctx.db
      .selectFrom('fee_entries')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const notSelected = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(REGISTERED),
    });
    expect(notSelected.status).toBe(422);
    expect(notSelected.headers.get('content-type')).toContain('application/problem+json');
    expect(notSelected.body.detail).toContain("status is 'registered'");
    expect(notSelected.body.reason).toBe('worker-not-selected');
    expect(
      (await call(app, 'POST', '/v1/fee-entries', { token: officer, body: receipt('20139999999') })).status,
    ).toBe(404);
    const payee = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W3, { payee: { kind: 'registered', registryId: 'NOPE' } }),
    });
    expect(payee.status).toBe(404);
    const bad = await call(app, 'POST', '/v1/fee-entries', {
      token: officer,
      body: receipt(W3, { amount: tk(0) }),
    });
    expect(bad.status).toBe(400);
    const after = await ctx.db
      .selectFrom('fee_entries')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('replays a retried receipt with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'receipt-w4-2' };
    const body = receipt(W4, { receiptRef: 'R-2', category: 'passport', amount: tk(3_000) });
    const first = await call(app, 'POST', '/v1/fee-entries', { token: officer, body, headers });
    const retry = await call(app, 'POST', '/v1/fee-entries', { token: officer, body, headers });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.entry.id).toBe(first.body.entry.id);
    const list = await call(app, 'GET', `/v1/fee-entries?registrationNumber=${W4}`, { token: auditor });
    expect(list.body.items.filter((e: { receiptRef: string }) => e.receiptRef === 'R-2')).toHaveLength(1);
  });

  it('lets auditors read but not write, and nobody else in', async () => {
    expect((await call(app, 'POST', '/v1/fee-entries', { token: auditor, body: receipt(W3) })).status).toBe(
      403,
    );
    const employer = await ctx.token('employer', { employer: 'emp-1' });
    expect((await call(app, 'GET', `/v1/fee-workers/${W3}`, { token: employer })).status).toBe(403);
    expect((await call(app, 'GET', '/v1/fee-findings')).status).toBe(401);
  });

  it('the database refuses to edit or delete ledger entries and findings', async () => {
    await expect(sql`update fee_entries set amount_minor = 1`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from fee_entries`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from fee_findings`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate fee_entries cascade`.execute(ctx.db)).rejects.toThrow(/append-only/);
  });
});

describe('reports', () => {
  it('by payee puts the payee with the most findings first, in JSON and CSV', async () => {
    const json = await call(app, 'GET', `/v1/fee-reports/${SCHEME}/by-payee?asOf=2013-12-31`, {
      token: auditor,
    });
    expect(json.status).toBe(200);
    const first = json.body.report[0];
    expect(first.payeeKey).toBe('registry:RA-1');
    expect(first.openFindings).toBe(2);
    expect(first.collectedFromWorkers).toMatchObject({ amountMinor: 2_000_000, currency: 'BDT' });
    const csv = await call(app, 'GET', `/v1/fee-reports/${SCHEME}/by-payee?format=csv&asOf=2013-12-31`, {
      token: auditor,
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      'payee_key,payee_name,payee_kind,workers_served,currency,collected_from_workers,open_findings',
    );
    expect(csv.text.split('\r\n')[1]).toBe('registry:RA-1,Agency One,recruiting_agency,1,BDT,20000.00,2');
  });

  it('by district and employer, and the distribution against the cap and the private baseline', async () => {
    const district = await call(app, 'GET', `/v1/fee-reports/${SCHEME}/by-district`, { token: officer });
    expect(district.body.report[0].workers).toBe(5);
    const employer = await call(app, 'GET', `/v1/fee-reports/${SCHEME}/by-employer?format=csv`, {
      token: officer,
    });
    expect(employer.text).toContain('(unallocated),5,BDT');
    const dist = await call(app, 'GET', `/v1/fee-reports/${SCHEME}/distribution?asOf=2013-12-31`, {
      token: officer,
    });
    expect(dist.body.report).toMatchObject({
      workers: 5,
      capAsOf: { amountMinor: 4_000_000 },
      baselineLow: { amountMinor: 23_550_000, currency: 'BDT' },
      baselineHigh: { amountMinor: 31_400_000 },
    });
    expect(dist.body.report.max.amountMinor).toBeGreaterThanOrEqual(dist.body.report.p90.amountMinor);
  });
});
