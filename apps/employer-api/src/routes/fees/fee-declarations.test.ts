import { allocatePlacements } from '@g2g/db';
import { seedDemandOrder, seedEmployer, seedFeePolicy, seedFeeWorkers } from '@g2g/db/testing';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let empA: string;
let empB: string;
const [A1, A2, B1, FREE] = ['20130000201', '20130000202', '20130000203', '20130000204'];
const NOT_SELECTED = '20130000205';

const declaration = (registrationNumber: string, over: Record<string, unknown> = {}) => ({
  registrationNumber,
  category: 'visa',
  amount: { amountMinor: 50_000, currency: 'MYR' },
  payer: 'employer',
  payee: { kind: 'registered', registryId: 'BOESL' },
  valueDate: '2013-06-01',
  receiptRef: 'EMP-1',
  ...over,
});

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx.deps);
  await seedFeePolicy(ctx.db);
  await seedFeeWorkers(ctx.db, [A1, A2, B1, FREE]);
  await seedFeeWorkers(ctx.db, [NOT_SELECTED], { status: 'waitlisted' });
  await seedEmployer(ctx.db, 'emp-a');
  await seedEmployer(ctx.db, 'emp-b');
  const orderA = await seedDemandOrder(ctx.db, { employerId: 'emp-a' });
  const orderB = await seedDemandOrder(ctx.db, { employerId: 'emp-b' });
  const officer = { actor: { sub: 'officer-1', role: 'ministry_officer' as const }, at: new Date() };
  await ctx.db.transaction().execute(async (trx) => {
    await allocatePlacements(
      trx,
      [A1, A2, NOT_SELECTED].map((n) => ({ demandOrderId: orderA.id, registrationNumber: n, drawId: null })),
      officer,
    );
    await allocatePlacements(
      trx,
      [{ demandOrderId: orderB.id, registrationNumber: B1, drawId: null }],
      officer,
    );
  });
  empA = await ctx.token('employer', { employer: 'emp-a', sub: 'emp-a-user' });
  empB = await ctx.token('employer', { employer: 'emp-b', sub: 'emp-b-user' });
});
afterAll(() => ctx.close());

describe('employer fee declarations', () => {
  it('records what the employer paid for its own allocated worker', async () => {
    const res = await call(app, 'POST', '/v1/fee-declarations', { token: empA, body: declaration(A1) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.entry).toMatchObject({
      source: 'employer_declaration',
      payer: 'employer',
      recordedBy: { sub: 'emp-a-user', role: 'employer' },
      schemeAmount: { amountMinor: 1_272_835, currency: 'BDT' },
    });
    // Paid by the employer: nothing is held against the worker's cap, and visa is no finding.
    expect(res.body.position.paidByWorker.amountMinor).toBe(0);
    expect(res.body.findingsRaised).toEqual([]);
  });

  it('surfaces an employer-only cost the employer says the worker paid', async () => {
    const res = await call(app, 'POST', '/v1/fee-declarations', {
      token: empA,
      body: declaration(A2, { payer: 'worker', category: 'work_permit_levy' }),
    });
    expect(res.status).toBe(201);
    expect(res.body.findingsRaised.map((f: { kind: string }) => f.kind)).toEqual([
      'employer_only_cost_paid_by_worker',
    ]);
  });

  it("refuses another employer's worker and unallocated workers as not found, non-selected as 422", async () => {
    for (const n of [B1, FREE, '20139999999']) {
      const res = await call(app, 'POST', '/v1/fee-declarations', { token: empA, body: declaration(n) });
      expect(res.status, n).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const waitlisted = await call(app, 'POST', '/v1/fee-declarations', {
      token: empA,
      body: declaration(NOT_SELECTED),
    });
    expect(waitlisted.status).toBe(422);
    expect(waitlisted.body.detail).toContain("'waitlisted'");
  });

  it("shows an employer only its own workers' entries", async () => {
    expect(
      (await call(app, 'POST', '/v1/fee-declarations', { token: empB, body: declaration(B1) })).status,
    ).toBe(201);
    const a = await call(app, 'GET', '/v1/fee-entries', { token: empA });
    expect(a.status).toBe(200);
    expect(new Set(a.body.items.map((e: { registrationNumber: string }) => e.registrationNumber))).toEqual(
      new Set([A1, A2]),
    );
    const b = await call(app, 'GET', '/v1/fee-entries', { token: empB });
    expect(b.body.items.map((e: { registrationNumber: string }) => e.registrationNumber)).toEqual([B1]);
    const probe = await call(app, 'GET', `/v1/fee-entries?registrationNumber=${B1}`, { token: empA });
    expect(probe.body.items).toEqual([]);
    const paged = await call(app, 'GET', '/v1/fee-entries?limit=1', { token: empA });
    expect(paged.body.items).toHaveLength(1);
    const next = await call(app, 'GET', `/v1/fee-entries?limit=1&cursor=${paged.body.nextCursor}`, {
      token: empA,
    });
    expect(next.body.items[0].registrationNumber).toBe(A2);
  });

  it('is for employers only', async () => {
    const officer = await ctx.token('ministry_officer');
    expect(
      (await call(app, 'POST', '/v1/fee-declarations', { token: officer, body: declaration(A1) })).status,
    ).toBe(403);
    expect((await call(app, 'GET', '/v1/fee-entries')).status).toBe(401);
  });
});
