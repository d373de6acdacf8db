import { seedDemandOrder, seedEmployer } from '@g2g/db/testing';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
  TEST_ID_HASH_SECRET,
} from '../../testing.ts';

let ctx: RegistrationTestContext;
beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  const dhaka = await ctx.operator('U1414');
  const other = await ctx.operator('U0001');
  await call(ctx.app, 'POST', '/v1/registrations', {
    token: dhaka,
    body: registrationFor(1, { permanentUnionCode: 'U1414' }),
  });
  await call(ctx.app, 'POST', '/v1/registrations', {
    token: dhaka,
    body: registrationFor(2, {
      permanentUnionCode: 'U1414',
      gender: 'female',
      preferredSectors: ['manufacturing'],
    }),
  });
  const third = await call(ctx.app, 'POST', '/v1/registrations', {
    token: other,
    body: registrationFor(3, { permanentUnionCode: 'U0001' }),
  });
  await call(ctx.app, 'POST', `/v1/registrations/${third.body.registrationNumber}/withdrawal`, {
    token: other,
    body: { reason: 'worker withdrew' },
  });
});
afterAll(() => ctx.close());

describe('GET /v1/stats', () => {
  it('counts active registrations every way, publicly', async () => {
    const res = await call(ctx.app, 'GET', '/v1/stats');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('public');
    const s = res.body;
    expect([s.total, s.withdrawn]).toEqual([2, 1]);
    expect(s.byWindow).toEqual([{ windowId: 'g2g-my-test', count: 2 }]);
    expect(s.byGender).toEqual([
      { gender: 'female', count: 1 },
      { gender: 'male', count: 1 },
    ]);
    expect(s.byCentre).toEqual([{ centre: 'U1414', count: 2 }]);
    expect(s.byDivision).toHaveLength(1);
    expect(s.byDivision[0]).toMatchObject({ count: 2, name: expect.any(String), nameBn: expect.any(String) });
    expect(s.byDistrict[0].count).toBe(2);
    expect(s.byDay).toEqual([
      { date: new Date(Date.now() + 6 * 3600_000).toISOString().slice(0, 10), count: 2 },
    ]);
    expect(s.byFirstSector.find((r: { sector: string }) => r.sector === 'manufacturing').count).toBe(1);
    expect(s.bySector.reduce((sum: number, r: { count: number }) => sum + r.count, 0)).toBe(3);
    expect(s.demand).toEqual({ available: false, bySector: [] });
    const one = await call(ctx.app, 'GET', '/v1/stats?window=g2g-my-test');
    expect(one.body).toMatchObject({ windowId: 'g2g-my-test', total: 2 });
  });

  it('shows registrants against approved demand once the committee has approved some', async () => {
    await seedEmployer(ctx.db, 'emp-stats');
    const order = await seedDemandOrder(ctx.db, {
      employerId: 'emp-stats',
      schemeId: 'g2g-malaysia-2013',
      terms: { sector: 'plantation', workersRequested: 40 },
      workersApproved: 30,
    });
    expect(order.status).toBe('approved');
    // A fresh app: the stats are cached per app for up to 30 seconds.
    const app = createApp({ ...ctx.deps, idHashSecret: TEST_ID_HASH_SECRET });
    const res = await call(app, 'GET', '/v1/stats?window=g2g-my-test');
    expect(res.body.demand.available).toBe(true);
    const plantation = res.body.demand.bySector.find((r: { sector: string }) => r.sector === 'plantation');
    expect(plantation).toMatchObject({
      approvedVacancies: 30,
      registrantsPerVacancy: plantation.registrants / 30,
    });
    const none = res.body.demand.bySector.find((r: { sector: string }) => r.sector === 'manufacturing');
    expect(none).toMatchObject({ approvedVacancies: 0, registrantsPerVacancy: null });
  });
});
