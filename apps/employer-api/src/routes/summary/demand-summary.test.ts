import { changeEmployerStatus, demandSummary } from '@g2g/db';
import { committeeContext, nextYear, seedEmployer } from '@g2g/db/testing';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemandTestKit, demandTestKit } from '../test-support.ts';

let kit: DemandTestKit;
beforeAll(async () => {
  kit = await demandTestKit();
});
afterAll(() => kit.close());

async function approve(body: Record<string, unknown>, workersApproved: number, token = kit.tokens.owner) {
  const id = await kit.orderIn('submitted', { body, token });
  const res = await call(kit.app, 'POST', `/v1/demands/${id}/approve`, {
    token: kit.tokens.committee,
    body: { workersApproved },
  });
  expect(res.status).toBe(200);
  return id;
}

describe('GET /v1/demand-summary', () => {
  it('gives approved vacancies by scheme, sector, gender and month, publicly and cacheably', async () => {
    const september = nextYear('09-01');
    const october = nextYear('10-15');
    const a = await approve({ workersRequested: 40, expectedStartDate: september }, 30);
    await approve({ workersRequested: 20, expectedStartDate: september }, 20, kit.tokens.otherEmployer);
    await approve(
      { workersRequested: 10, gender: 'female', sector: 'manufacturing', expectedStartDate: october },
      10,
    );
    // Not counted: drafts, submissions, rejected orders.
    await kit.orderIn('draft', { body: { workersRequested: 99 } });
    await kit.orderIn('submitted', { body: { workersRequested: 99 } });
    await kit.orderIn('rejected', { body: { workersRequested: 99 } });
    await kit.allocate(a, 12);

    const res = await call(kit.app, 'GET', '/v1/demand-summary');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.body.items).toEqual([
      {
        schemeId: 'g2g-malaysia-2013',
        sector: 'manufacturing',
        gender: 'female',
        month: october.slice(0, 7),
        workersApproved: 10,
        workersPlaced: 0,
        openVacancies: 10,
      },
      {
        schemeId: 'g2g-malaysia-2013',
        sector: 'plantation',
        gender: 'male',
        month: september.slice(0, 7),
        workersApproved: 50,
        workersPlaced: 12,
        openVacancies: 38,
      },
    ]);
    expect(res.body.totals).toEqual({ workersApproved: 60, workersPlaced: 12, openVacancies: 48 });
    // The repository other apps call gives the same numbers.
    expect(await demandSummary(kit.ctx.db)).toEqual(res.body.items);

    const etag = res.headers.get('etag')!;
    const again = await call(kit.app, 'GET', '/v1/demand-summary', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await call(kit.app, 'GET', '/v1/demand-summary?schemeId=other-scheme')).body).toEqual({
      items: [],
      totals: { workersApproved: 0, workersPlaced: 0, openVacancies: 0 },
    });
  });

  it("leaves out a suspended employer's vacancies until it is reinstated", async () => {
    await seedEmployer(kit.ctx.db, 'held');
    const token = await kit.ctx.token('employer', { employer: 'held' });
    await approve({ workersRequested: 7, sector: 'construction' }, 7, token);
    const construction = async () =>
      (await call(kit.app, 'GET', '/v1/demand-summary')).body.items.filter(
        (r: { sector: string }) => r.sector === 'construction',
      );
    expect(await construction()).toHaveLength(1);
    const set = (type: 'suspend' | 'reinstate') =>
      kit.ctx.db
        .transaction()
        .execute((trx) =>
          changeEmployerStatus(trx, 'held', { type, reason: 'Labour inspection' }, committeeContext()),
        );
    await set('suspend');
    expect(await construction()).toEqual([]);
    await set('reinstate');
    expect(await construction()).toHaveLength(1);
  });
});
