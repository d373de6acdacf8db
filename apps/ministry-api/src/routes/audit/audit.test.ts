import { recordAuditEvents, sql } from '@g2g/db';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx.deps);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvents(
      trx,
      ['w-1', 'w-2', 'w-3'].map((id, i) => ({
        actor: { sub: 'officer-1', role: 'ministry_officer' as const },
        action: 'window.create',
        entityType: 'window',
        entityId: id,
        payload: { id },
        details: { index: i },
        occurredAt: new Date(Date.UTC(2013, 0, 1, 0, 0, i)),
      })),
    ),
  );
  await ctx.chainAudit();
});
afterAll(() => ctx.close());

describe('audit routes', () => {
  it('let an auditor page through the chain and filter by entity', async () => {
    const token = await ctx.token('auditor');
    const page1 = await call(app, 'GET', '/v1/audit-events?limit=2', { token });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((e: { entity: { id: string } }) => e.entity.id)).toEqual(['w-1', 'w-2']);
    expect(page1.body.items[1].prevHash).toBe(page1.body.items[0].hash);
    const page2 = await call(app, 'GET', `/v1/audit-events?limit=2&cursor=${page1.body.nextCursor}`, {
      token,
    });
    expect(page2.body).toMatchObject({ items: [{ entity: { id: 'w-3' }, seq: '3' }], nextCursor: null });
    const one = await call(app, 'GET', '/v1/audit-events?entityType=window&entityId=w-2', { token });
    expect(one.body.items).toHaveLength(1);
  });

  it('verify the chain on request and report a tampered row', async () => {
    const token = await ctx.token('ministry_officer');
    expect((await call(app, 'GET', '/v1/audit-chain/verification', { token })).body).toMatchObject({
      ok: true,
      checked: 3,
      firstBreak: null,
    });
    await ctx.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update audit_events set action = 'window.delete' where entity_id = 'w-3'`.execute(trx);
    });
    expect((await call(app, 'GET', '/v1/audit-chain/verification', { token })).body).toMatchObject({
      ok: false,
      checked: 2,
      firstBreak: { kind: 'hash-mismatch', seq: '3' },
    });
  });

  it('are closed to operators, employers and the public', async () => {
    expect((await call(app, 'GET', '/v1/audit-events')).status).toBe(401);
    const operator = await ctx.token('centre_operator', { centre: 'U0001' });
    expect((await call(app, 'GET', '/v1/audit-events', { token: operator })).status).toBe(403);
    const employer = await ctx.token('employer', { employer: 'emp-1' });
    expect((await call(app, 'GET', '/v1/audit-chain/verification', { token: employer })).status).toBe(403);
  });
});
