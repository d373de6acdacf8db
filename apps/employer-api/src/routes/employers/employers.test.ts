import { listAuditLog } from '@g2g/db';
import { seedScheme } from '@g2g/db/testing';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { demandBody } from '../test-support.ts';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let committee: string;
let genting: string;
beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx.deps);
  await seedScheme(ctx.db);
  committee = await ctx.token('committee', { sub: 'committee-1' });
  genting = await ctx.token('employer', { employer: 'genting-1', sub: 'genting-hr' });
});
afterAll(() => ctx.close());

const account = (overrides: Record<string, unknown> = {}) => ({
  legalName: 'Genting Plantations Berhad',
  companyRegistrationNumber: '197701003946',
  sector: 'plantation',
  address: 'Wisma Genting, Jalan Sultan Ismail, Kuala Lumpur',
  contact: { name: 'Siti Aminah', email: 'hr@genting.example', phone: '+60321782288' },
  ...overrides,
});

describe('employer accounts', () => {
  it('are created by the employer under its own id, pending until the committee approves; audited without contact details', async () => {
    const created = await call(app, 'POST', '/v1/employers', { token: genting, body: account() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'genting-1',
      status: 'pending',
      country: 'MY',
      approvedAt: null,
    });

    const early = await call(app, 'POST', '/v1/demands', { token: genting, body: demandBody() });
    expect(early.status).toBe(409);
    expect(early.body.employerStatus).toBe('pending');

    const approved = await call(app, 'POST', '/v1/employers/genting-1/approve', { token: committee });
    expect(approved.body).toMatchObject({ status: 'approved', approvedAt: expect.any(String) });
    expect((await call(app, 'POST', '/v1/demands', { token: genting, body: demandBody() })).status).toBe(201);

    await ctx.chainAudit();
    const events = await listAuditLog(ctx.db, { limit: 10, entityType: 'employer', entityId: 'genting-1' });
    expect(events.map((e) => e.action)).toEqual(['employer.create', 'employer.approve']);
    const text = JSON.stringify(events.map((e) => e.details));
    expect(text).not.toContain('Siti');
    expect(text).not.toContain('+60321782288');
    expect(text).not.toContain('hr@genting');
  });

  it('refuse an employer creating an account under another id, and a second account for one company', async () => {
    const other = await ctx.token('employer', { employer: 'ioi-1' });
    const wrongId = await call(app, 'POST', '/v1/employers', {
      token: other,
      body: account({ id: 'genting-1' }),
    });
    expect(wrongId.status).toBe(403);
    expect(wrongId.body.errors[0].pointer).toBe('/body/id');
    const sameCompany = await call(app, 'POST', '/v1/employers', { token: other, body: account() });
    expect(sameCompany.status).toBe(409);
  });

  it('are created by the committee naming the id', async () => {
    const noId = await call(app, 'POST', '/v1/employers', {
      token: committee,
      body: account({ companyRegistrationNumber: '1' }),
    });
    expect(noId.status).toBe(400);
    const ok = await call(app, 'POST', '/v1/employers', {
      token: committee,
      body: account({
        id: 'sime-1',
        legalName: 'Sime Darby Plantation',
        companyRegistrationNumber: '200601015466',
      }),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.status).toBe('pending');
  });

  it('are suspended and reinstated by the committee with a reason; illegal moves are 409 naming the status', async () => {
    const suspend = (token: string) =>
      call(app, 'POST', '/v1/employers/genting-1/suspend', { token, body: { reason: 'Passports withheld' } });
    expect((await suspend(genting)).status).toBe(403);
    const suspended = await suspend(committee);
    expect(suspended.body).toMatchObject({ status: 'suspended', statusReason: 'Passports withheld' });
    const twice = await suspend(committee);
    expect(twice.status).toBe(409);
    expect(twice.body.currentState).toBe('suspended');
    expect(
      (await call(app, 'POST', '/v1/employers/genting-1/approve', { token: committee })).body.currentState,
    ).toBe('suspended');

    // A suspended employer files and changes no demand.
    const filed = await call(app, 'POST', '/v1/demands', { token: genting, body: demandBody() });
    expect(filed.status).toBe(409);
    expect(filed.body.employerStatus).toBe('suspended');

    const reinstated = await call(app, 'POST', '/v1/employers/genting-1/reinstate', {
      token: committee,
      body: { reason: 'Passports returned, fine paid' },
    });
    expect(reinstated.body.status).toBe('approved');
    expect(
      (
        await call(app, 'POST', '/v1/employers/sime-1/reinstate', {
          token: committee,
          body: { reason: 'x y z' },
        })
      ).body.currentState,
    ).toBe('pending');

    await ctx.chainAudit();
    const events = await listAuditLog(ctx.db, { limit: 10, entityType: 'employer', entityId: 'genting-1' });
    expect(events.map((e) => [e.action, e.details.reason ?? null])).toEqual([
      ['employer.create', null],
      ['employer.approve', null],
      ['employer.suspend', 'Passports withheld'],
      ['employer.reinstate', 'Passports returned, fine paid'],
    ]);
  });

  it('are read by their employer and the committee only; another employer gets 404', async () => {
    expect((await call(app, 'GET', '/v1/employers/genting-1', { token: genting })).body.legalName).toBe(
      'Genting Plantations Berhad',
    );
    const sime = await ctx.token('employer', { employer: 'sime-1' });
    const theirs = await call(app, 'GET', '/v1/employers/genting-1', { token: sime });
    const nothing = await call(app, 'GET', '/v1/employers/nobody', { token: sime });
    expect([theirs.status, nothing.status]).toEqual([404, 404]);
    expect((await call(app, 'GET', '/v1/employers', { token: sime })).status).toBe(403);
    const pending = await call(app, 'GET', '/v1/employers?status=pending', { token: committee });
    expect(pending.body.items.map((e: { id: string }) => e.id)).toEqual(['sime-1']);
    const officer = await ctx.token('ministry_officer');
    expect((await call(app, 'GET', '/v1/employers/genting-1', { token: officer })).status).toBe(403);
  });

  it('change: the employer its address and contact, the committee its legal identity', async () => {
    const moved = await call(app, 'PATCH', '/v1/employers/genting-1', {
      token: genting,
      body: { address: 'Menara Genting, Jalan Tun Razak, Kuala Lumpur' },
    });
    expect(moved.body.address).toBe('Menara Genting, Jalan Tun Razak, Kuala Lumpur');
    const renamed = await call(app, 'PATCH', '/v1/employers/genting-1', {
      token: genting,
      body: { legalName: 'Genting Plantations Bhd' },
    });
    expect(renamed.status).toBe(403);
    expect(renamed.body.errors[0].pointer).toBe('/body/legalName');
    const sime = await ctx.token('employer', { employer: 'sime-1' });
    expect(
      (
        await call(app, 'PATCH', '/v1/employers/genting-1', {
          token: sime,
          body: { address: 'Somewhere else 1' },
        })
      ).status,
    ).toBe(404);
    const byCommittee = await call(app, 'PATCH', '/v1/employers/genting-1', {
      token: committee,
      body: { legalName: 'Genting Plantations Bhd' },
    });
    expect(byCommittee.body.legalName).toBe('Genting Plantations Bhd');
  });
});
