import { listAuditLog } from '@g2g/db';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let officer: string;
beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx.deps);
  officer = await ctx.token('ministry_officer', { sub: 'officer-1' });
  const scheme = await call(app, 'POST', '/v1/schemes', {
    token: officer,
    body: {
      id: 'g2g-malaysia-2013',
      name: 'G2G Malaysia 2013',
      destinationCountry: 'MY',
      rules: {
        sectors: ['plantation', 'manufacturing', 'construction', 'services'],
        minMonthlyWage: { amountMinor: 90000, currency: 'MYR' },
        maxContractMonths: 36,
        minAge: 18,
        maxAge: 45,
      },
    },
  });
  expect(scheme.status).toBe(201);
});
afterAll(() => ctx.close());

const hour = 3600_000;
const base = Date.now();
const at = (offsetHours: number) => new Date(base + offsetHours * hour).toISOString();
const january = () => ({
  id: 'g2g-my-2013-jan',
  schemeId: 'g2g-malaysia-2013',
  name: 'January 2013',
  sectors: ['plantation', 'construction'],
  opensAt: at(-24),
  closesAt: at(48),
  divisionSchedule: [{ divisionId: 3, opensAt: at(24), closesAt: at(96) }],
  eligibility: { minAge: 18, maxAge: 45, ageReferenceDate: '2013-01-14', genders: ['male'] },
  serviceCharge: { amountMinor: 5000, currency: 'BDT' },
});

describe('registration windows (ministry)', () => {
  it('are created by an officer with times per division, audited, and readable by anyone', async () => {
    const res = await call(app, 'POST', '/v1/windows', { token: officer, body: january() });
    expect(res.status).toBe(201);
    expect(res.body.schedule).toHaveLength(8);
    expect(res.body.schedule.find((d: { divisionId: number }) => d.divisionId === 3).opensAt).toBe(
      january().divisionSchedule[0]!.opensAt,
    );
    expect(res.body).toMatchObject({
      version: 1,
      eligibility: { citizenship: 'BD', genders: ['male'] },
      serviceCharge: { amountMinor: 5000, currency: 'BDT' },
    });
    expect((await call(app, 'GET', '/v1/windows/g2g-my-2013-jan')).body).toEqual(res.body);
    expect((await call(app, 'GET', '/v1/windows?scheme=g2g-malaysia-2013')).body.items).toHaveLength(1);
    await ctx.chainAudit();
    const [event] = await listAuditLog(ctx.db, { limit: 5, entityType: 'window' });
    expect(event).toMatchObject({ action: 'window.create', actor: { sub: 'officer-1' } });
  });

  it('refuse sectors the scheme lacks, ages outside it, a non-BDT charge and half a default', async () => {
    const bad = await call(app, 'POST', '/v1/windows', {
      token: officer,
      body: {
        ...january(),
        id: 'bad-window',
        sectors: ['fishing'],
        eligibility: { ...january().eligibility, minAge: 16 },
        serviceCharge: { amountMinor: 5000, currency: 'USD' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/body/sectors/0',
      '/body/eligibility/minAge',
      '/body/serviceCharge/currency',
    ]);
    const half = await call(app, 'POST', '/v1/windows', {
      token: officer,
      body: { ...january(), id: 'half-window', closesAt: undefined },
    });
    expect(half.body.errors).toEqual([{ pointer: '/body/closesAt', detail: expect.any(String) }]);
    expect((await call(app, 'POST', '/v1/windows', { token: officer, body: january() })).status).toBe(409);
    expect(
      (await call(app, 'POST', '/v1/windows', { token: await ctx.token('auditor'), body: january() })).status,
    ).toBe(403);
  });

  it('once open, may be extended and gain sectors but not change eligibility, with the reason kept', async () => {
    const extended = await call(app, 'PUT', '/v1/windows/g2g-my-2013-jan', {
      token: officer,
      body: {
        ...january(),
        closesAt: at(72),
        sectors: ['plantation', 'construction', 'services'],
        reason: 'crowds at centres',
      },
    });
    expect(extended.status).toBe(200);
    expect(extended.body.version).toBe(2);
    const frozen = await call(app, 'PUT', '/v1/windows/g2g-my-2013-jan', {
      token: officer,
      body: {
        ...january(),
        eligibility: { ...january().eligibility, maxAge: 40 },
        sectors: ['plantation'],
        reason: 'tighten the rules',
      },
    });
    expect(frozen.status).toBe(422);
    expect(frozen.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/body/eligibility',
      '/body/sectors',
      '/body/sectors',
    ]);
    const history = await call(app, 'GET', '/v1/windows/g2g-my-2013-jan/amendments');
    expect(history.body.items).toEqual([
      { version: 2, amendedAt: expect.any(String), amendedBy: 'officer-1', reason: 'crowds at centres' },
    ]);
    expect((await call(app, 'GET', '/v1/windows/nope-window')).status).toBe(404);
  });
});
