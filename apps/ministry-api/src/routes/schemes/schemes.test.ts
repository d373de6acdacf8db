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
});
afterAll(() => ctx.close());

const g2g2013 = {
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
};

describe('schemes', () => {
  it('are created by a ministry officer, audited, and readable by anyone', async () => {
    const created = await call(app, 'POST', '/v1/schemes', { token: officer, body: g2g2013 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'g2g-malaysia-2013', originCountry: 'BD', wageCurrency: 'MYR' });
    const read = await call(app, 'GET', '/v1/schemes/g2g-malaysia-2013');
    expect(read.body).toEqual(created.body);
    expect((await call(app, 'GET', '/v1/schemes')).body.items).toHaveLength(1);
    await ctx.chainAudit();
    const [event] = await listAuditLog(ctx.db, { limit: 10, entityType: 'scheme' });
    expect(event).toMatchObject({
      action: 'scheme.create',
      actor: { sub: 'officer-1', role: 'ministry_officer' },
    });
  });

  it('replays a retried create with the same Idempotency-Key, and refuses a different body under it', async () => {
    const body = { ...g2g2013, id: 'g2g-plus-2016', name: 'G2G Plus 2016' };
    const headers = { 'idempotency-key': 'create-g2g-plus' };
    const first = await call(app, 'POST', '/v1/schemes', { token: officer, body, headers });
    const retry = await call(app, 'POST', '/v1/schemes', { token: officer, body, headers });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    const other = await call(app, 'POST', '/v1/schemes', {
      token: officer,
      body: { ...body, name: 'Other' },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency-key-reused');
  });

  it('refuses a duplicate id with 409 and inconsistent rules with field errors, writing nothing', async () => {
    const dup = await call(app, 'POST', '/v1/schemes', {
      token: officer,
      body: { ...g2g2013, name: 'Again' },
    });
    expect(dup.status).toBe(409);
    const bad = await call(app, 'POST', '/v1/schemes', {
      token: officer,
      body: {
        ...g2g2013,
        id: 'bad-one',
        name: 'Bad',
        rules: { ...g2g2013.rules, minAge: 50, sectors: ['plantation', 'plantation'] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/rules/maxAge',
      '/body/rules/sectors',
    ]);
    expect((await call(app, 'GET', '/v1/schemes/bad-one')).status).toBe(404);
  });

  it('change rules with a reason, keeping the wage currency', async () => {
    const rules = { ...g2g2013.rules, minMonthlyWage: { amountMinor: 100000, currency: 'MYR' } };
    const res = await call(app, 'PUT', '/v1/schemes/g2g-malaysia-2013/rules', {
      token: officer,
      body: { rules, reason: 'Minimum wage order 2013' },
    });
    expect(res.status).toBe(200);
    expect(res.body.rules.minMonthlyWage.amountMinor).toBe(100000);
    const currency = await call(app, 'PUT', '/v1/schemes/g2g-malaysia-2013/rules', {
      token: officer,
      body: {
        rules: { ...rules, minMonthlyWage: { amountMinor: 1, currency: 'USD' } },
        reason: 'switch currency',
      },
    });
    expect(currency.status).toBe(422);
    expect(
      (
        await call(app, 'PUT', '/v1/schemes/nope-scheme/rules', {
          token: officer,
          body: { rules, reason: 'because' },
        })
      ).status,
    ).toBe(404);
  });

  it('may not be created by other roles', async () => {
    for (const role of ['committee', 'auditor', 'witness'] as const) {
      const res = await call(app, 'POST', '/v1/schemes', { token: await ctx.token(role), body: g2g2013 });
      expect(res.status).toBe(403);
    }
    expect((await call(app, 'POST', '/v1/schemes', { body: g2g2013 })).status).toBe(401);
  });
});
