import { listAuditLog } from '@g2g/db';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemandTestKit, demandTestKit } from '../test-support.ts';

let kit: DemandTestKit;
beforeAll(async () => {
  kit = await demandTestKit();
});
afterAll(() => kit.close());

const patch = (id: string, token: string, body: unknown) =>
  call(kit.app, 'PATCH', `/v1/demands/${id}`, { token, body });
const get = (path: string, token = kit.tokens.committee) =>
  call(kit.app, 'GET', `/v1/demands/${path}`, { token });

describe('versions of an approved order', () => {
  it('a change makes a new version; the old one stays readable, unchanged; the change is audited', async () => {
    const id = await kit.orderIn('approved');
    const v1 = (await get(id)).body;
    const changed = await patch(id, kit.tokens.owner, {
      workLocation: 'Ladang Kota Tinggi, Johor',
      monthlyWage: { amountMinor: 110000, currency: 'MYR' },
      reason: 'Moved to the Johor estate, with a raise',
      expectedVersion: 1,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      status: 'approved',
      version: 2,
      workLocation: 'Ladang Kota Tinggi, Johor',
      monthlyWage: { amountMinor: 110000, currency: 'MYR' },
      workersApproved: 2,
    });

    const versions = await get(`${id}/versions`);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const [first, second] = versions.body.items;
    expect(first).toMatchObject({
      version: 1,
      workLocation: v1.workLocation,
      monthlyWage: v1.monthlyWage,
      reason: null,
      recordedByRole: 'employer',
    });
    expect(second).toMatchObject({
      version: 2,
      reason: 'Moved to the Johor estate, with a raise',
      workersApproved: 2,
    });
    expect((await get(`${id}/versions/1`)).body).toEqual(first);
    expect((await get(`${id}/versions/1`, kit.tokens.auditor)).body).toEqual(first);
    const none = await get(`${id}/versions/3`);
    expect(none.status).toBe(404);

    await kit.ctx.chainAudit();
    const events = await listAuditLog(kit.ctx.db, { limit: 50, entityType: 'demand_order', entityId: id });
    expect(events.filter((e) => e.action === 'demand.amend').map((e) => e.details)).toEqual([
      expect.objectContaining({
        version: 2,
        reason: 'Moved to the Johor estate, with a raise',
        workersApproved: 2,
      }),
    ]);
  });

  it('refuses a stale version, a change without a reason, and terms worse for the worker', async () => {
    const id = await kit.orderIn('approved');
    const stale = await patch(id, kit.tokens.owner, {
      jobTitle: 'Harvester',
      reason: 'Title',
      expectedVersion: 2,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(1);
    const noReason = await patch(id, kit.tokens.owner, { jobTitle: 'Harvester' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].pointer).toBe('/body/reason');
    const worse = await patch(id, kit.tokens.owner, {
      monthlyWage: { amountMinor: 95000, currency: 'MYR' },
      reason: 'Costs went up',
    });
    expect(worse.status).toBe(422);
    expect(worse.body.rules).toEqual(['approved-terms-not-worsened']);
    expect((await get(`${id}/versions`)).body.items).toHaveLength(1);
  });

  it('lets the committee change the approved number, never below the workers already allocated', async () => {
    const id = await kit.orderIn('approved');
    const byEmployer = await patch(id, kit.tokens.owner, { workersApproved: 4, reason: 'More please' });
    expect(byEmployer.status).toBe(403);
    const raised = await patch(id, kit.tokens.committee, { workersApproved: 4, reason: 'Second quota' });
    expect(raised.body).toMatchObject({ version: 2, workersApproved: 4, openVacancies: 2 });
    const below = await patch(id, kit.tokens.committee, { workersApproved: 1, reason: 'Cut' });
    expect(below.status).toBe(409);
    expect(below.body.activePlacements).toBe(2);
    const eligibility = await patch(id, kit.tokens.committee, { gender: 'any', reason: 'Open to women' });
    expect(eligibility.status).toBe(409);
    expect(eligibility.body.errors[0].pointer).toBe('/body/gender');
  });

  it('keeps drafts changing version by version, without a reason, and makes no version for no change', async () => {
    const id = await kit.orderIn('draft');
    expect((await patch(id, kit.tokens.owner, { workersRequested: 8 })).body.version).toBe(2);
    expect((await patch(id, kit.tokens.owner, { workersRequested: 8 })).body.version).toBe(2);
    const versions = (await get(`${id}/versions`)).body.items;
    expect(versions.map((v: { workersRequested: number }) => v.workersRequested)).toEqual([4, 8]);
  });

  it('cannot change a submitted, rejected or closed order', async () => {
    for (const status of ['submitted', 'rejected', 'closed'] as const) {
      const id = await kit.orderIn(status);
      const res = await patch(id, kit.tokens.owner, { jobTitle: 'Harvester', reason: 'Title' });
      expect(res.status).toBe(409);
      expect(res.body.currentState).toBe(status);
    }
  });
});
