import { listAuditLog } from '@g2g/db';
import { type DemandStatus, demandStatuses } from '@g2g/demand';
import { PROBLEM_CONTENT_TYPE } from '@g2g/http';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, type DemandTestKit, demandBody, demandTestKit } from '../test-support.ts';

let kit: DemandTestKit;
/** One order per status, reused by every refused attempt (a refusal changes nothing). */
const fixtures = {} as Record<DemandStatus, string>;

beforeAll(async () => {
  kit = await demandTestKit();
  for (const status of demandStatuses) fixtures[status] = await kit.orderIn(status);
});
afterAll(() => kit.close());

type Actor = keyof Callers | 'anonymous';
const actors: Actor[] = [
  'owner',
  'otherEmployer',
  'committee',
  'ministry_officer',
  'auditor',
  'witness',
  'centre_operator',
  'anonymous',
];

// The lifecycle, written out as the issue states it: the endpoint, the roles it admits, and per
// caller the statuses it may act from (anything else by an admitted role: 409 naming the status).
const transitions: Record<
  string,
  {
    method: string;
    path: string;
    body?: unknown;
    roles: string[];
    legal: Partial<Record<Actor, DemandStatus[]>>;
    to?: DemandStatus;
  }
> = {
  amend: {
    method: 'PATCH',
    path: '',
    body: { jobTitle: 'Harvester (FFB)', reason: 'Title clarified' },
    roles: ['employer', 'committee'],
    legal: { owner: ['draft', 'approved'], committee: ['approved'] },
  },
  submit: {
    method: 'POST',
    path: '/submit',
    roles: ['employer'],
    legal: { owner: ['draft'] },
    to: 'submitted',
  },
  approve: {
    method: 'POST',
    path: '/approve',
    body: { workersApproved: 3 },
    roles: ['committee'],
    legal: { committee: ['submitted'] },
    to: 'approved',
  },
  reject: {
    method: 'POST',
    path: '/reject',
    body: { reason: 'Wage below the industry norm' },
    roles: ['committee'],
    legal: { committee: ['submitted'] },
    to: 'rejected',
  },
  closeCancelled: {
    method: 'POST',
    path: '/close',
    body: { outcome: 'cancelled', reason: 'Project postponed' },
    roles: ['employer', 'committee'],
    legal: { owner: ['draft', 'submitted', 'approved'], committee: ['approved'] },
    to: 'closed',
  },
  closeFilled: {
    method: 'POST',
    path: '/close',
    body: { outcome: 'filled', reason: 'Every worker arrived' },
    roles: ['employer', 'committee'],
    legal: { owner: ['approved'], committee: ['approved'] },
    to: 'closed',
  },
};

const roleOf = (actor: Actor) => (actor === 'owner' || actor === 'otherEmployer' ? 'employer' : actor);

describe('every transition, from every status, by every caller', () => {
  for (const [name, t] of Object.entries(transitions)) {
    for (const actor of actors) {
      for (const status of demandStatuses) {
        const legal = t.legal[actor]?.includes(status) ?? false;
        const expected =
          actor === 'anonymous'
            ? 401
            : !t.roles.includes(roleOf(actor))
              ? 403
              : actor === 'otherEmployer'
                ? 404
                : legal
                  ? 200
                  : 409;
        it(`${name} by ${actor} on a ${status} order: ${expected}`, async () => {
          const id = legal ? await kit.orderIn(status) : fixtures[status];
          const token = actor === 'anonymous' ? undefined : kit.tokens[actor];
          const res = await call(kit.app, t.method, `/v1/demands/${id}${t.path}`, {
            ...(token ? { token } : {}),
            ...(t.body !== undefined ? { body: t.body } : {}),
          });
          expect(res.status, res.text).toBe(expected);
          if (expected === 200) {
            expect(res.body.status).toBe(t.to ?? status);
            if (name === 'amend') expect(res.body.version).toBe(2);
            return;
          }
          expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
          if (expected === 409) {
            expect(res.body).toMatchObject({ code: 'conflict', currentState: status });
            expect(res.body.detail).toContain(`is ${status}`);
          }
          // A refused transition changes nothing.
          const after = await call(kit.app, 'GET', `/v1/demands/${id}`, { token: kit.tokens.committee });
          expect(after.body.status).toBe(status);
        });
      }
    }
  }
});

describe('the lifecycle end to end', () => {
  it('draft → submitted → approved for fewer workers → closed as filled, each step audited with its actor', async () => {
    const { tokens, app } = kit;
    const created = await call(app, 'POST', '/v1/demands', {
      token: tokens.owner,
      body: demandBody({ workersRequested: 10 }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      version: 1,
      employerId: 'felda',
      workersRequested: 10,
      workersApproved: null,
      openVacancies: 0,
      monthlyWage: { amountMinor: 100000, currency: 'MYR' },
    });
    const id = created.body.id as string;
    expect(
      (await call(app, 'POST', `/v1/demands/${id}/submit`, { token: tokens.owner })).body.submittedAt,
    ).toEqual(expect.any(String));
    const approved = await call(app, 'POST', `/v1/demands/${id}/approve`, {
      token: tokens.committee,
      body: { workersApproved: 6, note: 'Quota for the first quarter' },
    });
    expect(approved.body).toMatchObject({ status: 'approved', workersApproved: 6, openVacancies: 6 });
    const early = await call(app, 'POST', `/v1/demands/${id}/close`, {
      token: tokens.owner,
      body: { outcome: 'filled', reason: 'done' },
    });
    expect(early.status).toBe(409);
    expect(early.body.openVacancies).toBe(6);
    await kit.allocate(id, 6);
    const closed = await call(app, 'POST', `/v1/demands/${id}/close`, {
      token: tokens.committee,
      body: { outcome: 'filled', reason: 'All six selected' },
    });
    expect(closed.body).toMatchObject({
      status: 'closed',
      closeOutcome: 'filled',
      closeReason: 'All six selected',
    });

    await kit.ctx.chainAudit();
    const events = await listAuditLog(kit.ctx.db, { limit: 50, entityType: 'demand_order', entityId: id });
    expect(events.map((e) => [e.action, e.actor.role])).toEqual([
      ['demand.create', 'employer'],
      ['demand.submit', 'employer'],
      ['demand.approve', 'committee'],
      ['placement.allocate', 'ministry_officer'],
      ['demand.close', 'committee'],
    ]);
    expect(events[2]?.details).toMatchObject({ workersApproved: 6, employerId: 'felda' });
  });

  it('approves no more workers than requested, and none', async () => {
    const id = await kit.orderIn('submitted');
    for (const workersApproved of [5, 0]) {
      const res = await call(kit.app, 'POST', `/v1/demands/${id}/approve`, {
        token: kit.tokens.committee,
        body: { workersApproved },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].pointer).toBe('/body/workersApproved');
    }
  });

  it('replays a retried transition with the same Idempotency-Key instead of answering 409', async () => {
    const id = await kit.orderIn('draft');
    const headers = { 'idempotency-key': `submit-${id}` };
    const first = await call(kit.app, 'POST', `/v1/demands/${id}/submit`, {
      token: kit.tokens.owner,
      headers,
    });
    const retry = await call(kit.app, 'POST', `/v1/demands/${id}/submit`, {
      token: kit.tokens.owner,
      headers,
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body).toEqual(first.body);
    expect(
      (await call(kit.app, 'POST', `/v1/demands/${id}/submit`, { token: kit.tokens.owner })).status,
    ).toBe(409);
  });

  it('needs a reason to close, from a closed set of outcomes', async () => {
    const id = await kit.orderIn('draft');
    const res = await call(kit.app, 'POST', `/v1/demands/${id}/close`, {
      token: kit.tokens.owner,
      body: { outcome: 'abandoned' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/outcome',
      '/body/reason',
    ]);
  });
});
