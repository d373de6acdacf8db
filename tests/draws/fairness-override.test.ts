import { listAuditLog } from '@g2g/db';
import { call } from '@g2g/http/testing';
import { ALGORITHM_ID } from '@g2g/lottery';
import { createApp as createMinistryApi } from '@g2g/ministry-api';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  TEST_WINDOW_ID,
} from '@g2g/registration-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A fairness report beyond the threshold blocks publication until an officer overrides it with a
// reason, which is audited and printed in the signed manifest. An honest engine practically never
// blocks (p < 0.001 on four tests), so the executed draw is written as the execute step leaves it.

let ctx: RegistrationTestContext;
let ministry: ReturnType<typeof createMinistryApi>;
let officer: string;

beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  ministry = createMinistryApi(ctx.deps);
  officer = await ctx.token('ministry_officer', { sub: 'officer-1' });
  const at = new Date();
  const policy = {
    total: 0,
    quota: { level: 'none', basis: 'registrants' },
    orders: [],
    waitlist: { per: 'none' },
  };
  await ctx.db
    .insertInto('draws')
    .values({
      id: 'blocked-draw',
      name: 'Blocked draw',
      window_id: TEST_WINDOW_ID,
      policy: JSON.stringify(policy),
      policy_digest: 'a'.repeat(64),
      state: 'executed',
      pool_hash: 'b'.repeat(64),
      pool_size: 0,
      pool_bytes: 0,
      pool_strata: JSON.stringify([]),
      age_reference_date: '2013-01-01',
      frozen_at: at,
      seed: 'c'.repeat(64),
      result_hash: 'd'.repeat(64),
      result_summary: JSON.stringify({ selected: 0, waitlisted: 0, notSelected: 0, strata: [], orders: [] }),
      fairness: JSON.stringify({ threshold: 0.001, blocking: true, tests: [] }),
      fairness_blocking: true,
      executed_at: at,
      created_at: at,
      created_by: 'officer-1',
      updated_at: at,
    })
    .execute();
});
afterAll(() => ctx.close());

describe('fairness override', () => {
  it('blocks publication of a draw whose fairness report is beyond the threshold', async () => {
    const res = await call(ministry, 'POST', '/v1/draws/blocked-draw/publish', { token: officer, body: {} });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].pointer).toBe('/body/fairnessOverrideReason');
    expect((await call(ministry, 'GET', '/v1/draws/blocked-draw')).body.state).toBe('executed');
  });

  it('publishes with an officer override and a reason, audited and in the signed manifest', async () => {
    const reason = 'Reviewed by the audit committee: registration-day skew explained by a power cut';
    const res = await call(ministry, 'POST', '/v1/draws/blocked-draw/publish', {
      token: officer,
      body: { fairnessOverrideReason: reason },
    });
    expect(res.status).toBe(200);
    expect(res.body.fairnessOverrideReason).toBe(reason);
    const { manifest } = (await call(ministry, 'GET', '/v1/draws/blocked-draw/manifest')).body;
    expect(manifest).toMatchObject({
      algorithm: ALGORITHM_ID,
      fairness: { blocking: true, overrideReason: reason },
    });
    await ctx.chainAudit();
    const events = await listAuditLog(ctx.db, { limit: 20, entityType: 'draw' });
    expect(events.find((e) => e.action === 'draw.fairness-override')).toMatchObject({
      actor: { sub: 'officer-1', role: 'ministry_officer' },
    });
  });
});
