import { listAuditLog, recordReplacement } from '@g2g/db';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, type DemandTestKit, demandTestKit } from '../test-support.ts';

let kit: DemandTestKit;
beforeAll(async () => {
  kit = await demandTestKit();
});
afterAll(() => kit.close());

async function approvedOrder(workers: number): Promise<string> {
  const { app, tokens } = kit;
  const id = await kit.orderIn('submitted', { body: { workersRequested: workers } });
  await call(app, 'POST', `/v1/demands/${id}/approve`, {
    token: tokens.committee,
    body: { workersApproved: workers },
  });
  return id;
}

const step = (demandId: string, placementId: string, what: string, token: string, body?: unknown) =>
  call(kit.app, 'POST', `/v1/demands/${demandId}/placements/${placementId}/${what}`, {
    token,
    ...(body !== undefined ? { body } : {}),
  });

const fillOf = async (demandId: string, token = kit.tokens.committee) =>
  (await call(kit.app, 'GET', `/v1/demands/${demandId}/fill`, { token })).body;

describe('fill tracking', () => {
  it('follows each worker from selection to arrival; the counts always match the placements', async () => {
    const { tokens } = kit;
    const id = await approvedOrder(5);
    const empty = await fillOf(id);
    expect(empty).toMatchObject({
      workersApproved: 5,
      allocated: 0,
      active: 0,
      openVacancies: 5,
      placements: [],
    });

    const [a, b, c, d] = (await kit.allocate(id, 4)) as [string, string, string, string];
    const officer = tokens.ministry_officer;
    expect((await step(id, a, 'medical', officer, { result: 'passed' })).body).toMatchObject({
      stage: 'medical_passed',
      medicalAt: expect.any(String),
    });
    expect((await step(id, a, 'visa', officer)).body.stage).toBe('visa_issued');
    expect((await step(id, a, 'departure', officer)).body.stage).toBe('departed');
    expect((await step(id, a, 'arrival', tokens.owner)).body).toMatchObject({
      stage: 'arrived',
      arrivedAt: expect.any(String),
    });
    expect((await step(id, b, 'medical', officer, { result: 'failed' })).body.stage).toBe('medical_failed');
    expect((await step(id, c, 'dropout', officer, { reason: 'withdrew' })).body).toMatchObject({
      stage: 'dropped_out',
      dropoutReason: 'withdrew',
    });

    const fill = await fillOf(id, tokens.owner);
    expect(fill).toMatchObject({
      status: 'approved',
      workersApproved: 5,
      stages: {
        selected: 1,
        medical_passed: 0,
        medical_failed: 1,
        visa_issued: 0,
        departed: 0,
        arrived: 1,
        dropped_out: 1,
      },
      allocated: 4,
      active: 2,
      openVacancies: 3,
    });
    const stages = fill.placements.map((p: { id: string; stage: string }) => [p.id, p.stage]);
    expect(new Map(stages)).toEqual(
      new Map([
        [a, 'arrived'],
        [b, 'medical_failed'],
        [c, 'dropped_out'],
        [d, 'selected'],
      ]),
    );
    // Counts recomputed from the list agree with the counts given.
    for (const [stage, n] of Object.entries(fill.stages)) {
      expect(fill.placements.filter((p: { stage: string }) => p.stage === stage)).toHaveLength(n as number);
    }
    // Registration numbers, never names.
    for (const p of fill.placements) {
      expect(p.registrationNumber).toMatch(/^[0-9]{11}$/);
      expect(Object.keys(p)).not.toContain('name');
    }

    // The ministry replaces the dropout from the waitlist; the vacancy is filled again.
    await kit.ctx.db
      .transaction()
      .execute((trx) =>
        recordReplacement(
          trx,
          { dropped: c, replacement: { registrationNumber: '20139999901', drawId: 'draw-1' } },
          { actor: { sub: 'officer-1', role: 'ministry_officer' }, at: new Date() },
        ),
      );
    const after = await fillOf(id);
    expect(after).toMatchObject({ allocated: 5, active: 3, openVacancies: 2 });
    const replacement = after.placements.find(
      (p: { registrationNumber: string }) => p.registrationNumber === '20139999901',
    );
    expect(replacement).toMatchObject({ replaces: c, stage: 'selected' });
    expect(after.placements.find((p: { id: string }) => p.id === c).replacedBy).toBe(replacement.id);

    await kit.ctx.chainAudit();
    const events = await listAuditLog(kit.ctx.db, { limit: 50, entityType: 'placement', entityId: a });
    expect(events.map((e) => [e.action, e.actor.role])).toEqual([
      ['placement.medical', 'ministry_officer'],
      ['placement.visa', 'ministry_officer'],
      ['placement.departure', 'ministry_officer'],
      ['placement.arrival', 'employer'],
    ]);
    expect(events[3]?.details).toMatchObject({
      from: 'departed',
      to: 'arrived',
      registrationNumber: expect.any(String),
    });
  });

  it('admits each stage only from the stage before it, and only for the roles that record it', async () => {
    const id = await approvedOrder(1);
    const [p] = (await kit.allocate(id, 1)) as [string];
    const { tokens } = kit;
    const early = await step(id, p, 'visa', tokens.ministry_officer);
    expect(early.status).toBe(409);
    expect(early.body.currentState).toBe('selected');
    const expectations: [string, keyof Callers, number][] = [
      ['medical', 'committee', 403],
      ['medical', 'owner', 403],
      ['medical', 'auditor', 403],
      ['arrival', 'ministry_officer', 403],
      ['arrival', 'otherEmployer', 404],
      ['arrival', 'owner', 409],
      ['arrival', 'committee', 409],
      ['dropout', 'owner', 403],
    ];
    for (const [what, who, status] of expectations) {
      const body =
        what === 'medical' ? { result: 'passed' } : what === 'dropout' ? { reason: 'other' } : undefined;
      expect((await step(id, p, what, tokens[who], body)).status, `${what} by ${who}`).toBe(status);
    }
    const other = await approvedOrder(1);
    expect((await step(other, p, 'medical', tokens.ministry_officer, { result: 'passed' })).status).toBe(404);
    const badReason = await step(id, p, 'dropout', tokens.ministry_officer, { reason: 'pregnant' });
    expect(badReason.status).toBe(400);
    expect(badReason.body.errors[0].pointer).toBe('/body/reason');
  });

  it('pages the placement list by registration number', async () => {
    const id = await approvedOrder(5);
    await kit.allocate(id, 5);
    const first = await call(kit.app, 'GET', `/v1/demands/${id}/fill?limit=3`, {
      token: kit.tokens.committee,
    });
    expect(first.body.placements).toHaveLength(3);
    expect(first.body.allocated).toBe(5);
    const second = await call(
      kit.app,
      'GET',
      `/v1/demands/${id}/fill?limit=3&cursor=${first.body.nextCursor}`,
      {
        token: kit.tokens.committee,
      },
    );
    expect(second.body.placements).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.placements, ...second.body.placements].map((p) => p.registrationNumber);
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(5);
  });
});
