import { createWindow, listAuditLog, sql } from '@g2g/db';
import { money } from '@g2g/domain';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
  TEST_SCHEME_ID,
} from '../../testing.ts';

let ctx: RegistrationTestContext;
let operator: string;
let elsewhere: string;
const numbers: string[] = [];
beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  operator = await ctx.operator('U1414', 'operator-1');
  elsewhere = await ctx.operator('U0200', 'operator-2');
  for (let i = 0; i < 5; i++) {
    const res = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(i),
    });
    numbers.push(res.body.registrationNumber);
  }
  await call(ctx.app, 'POST', '/v1/registrations', { token: elsewhere, body: registrationFor(50) });
});
afterAll(() => ctx.close());

describe("an operator's own registrations", () => {
  it('list newest first, page by cursor, and never show another centre', async () => {
    const page1 = await call(ctx.app, 'GET', '/v1/registrations?limit=3', { token: operator });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((r: { registrationNumber: string }) => r.registrationNumber)).toEqual(
      [...numbers].reverse().slice(0, 3),
    );
    const page2 = await call(ctx.app, 'GET', `/v1/registrations?limit=3&cursor=${page1.body.nextCursor}`, {
      token: operator,
    });
    expect(page2.body.items.map((r: { registrationNumber: string }) => r.registrationNumber)).toEqual(
      [...numbers].reverse().slice(3),
    );
    expect(page2.body.nextCursor).toBeNull();
    const theirs = await call(ctx.app, 'GET', '/v1/registrations', { token: elsewhere });
    expect(theirs.body.items).toHaveLength(1);
  });

  it('are found by number (any form) or part of a name, and filtered by status and date', async () => {
    const n = numbers[2]!;
    const byNumber = await call(
      ctx.app,
      'GET',
      `/v1/registrations?q=${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`,
      {
        token: operator,
      },
    );
    expect(byNumber.body.items.map((r: { registrationNumber: string }) => r.registrationNumber)).toEqual([n]);
    const name = registrationFor(3).nameEn.split(' ')[0]!;
    const byName = await call(
      ctx.app,
      'GET',
      `/v1/registrations?q=${encodeURIComponent(name.toLowerCase())}`,
      { token: operator },
    );
    expect(byName.body.items.length).toBeGreaterThan(0);
    expect(
      byName.body.items.every((r: { worker: { nameEn: string } }) => r.worker.nameEn.includes(name)),
    ).toBe(true);
    const byBangla = await call(
      ctx.app,
      'GET',
      `/v1/registrations?q=${encodeURIComponent(registrationFor(3).nameBn.split(' ')[0]!)}`,
      {
        token: operator,
      },
    );
    expect(byBangla.body.items.length).toBeGreaterThan(0);
    const otherCentre = await call(ctx.app, 'GET', `/v1/registrations?q=${n}`, { token: elsewhere });
    expect(otherCentre.body.items).toEqual([]);
    const today = new Date(Date.now() + 6 * 3600_000).toISOString().slice(0, 10);
    const byDate = await call(
      ctx.app,
      'GET',
      `/v1/registrations?from=${today}&to=${today}&status=registered`,
      { token: operator },
    );
    expect(byDate.body.items).toHaveLength(5);
    const tomorrow = await call(ctx.app, 'GET', '/v1/registrations?from=2999-01-01', { token: operator });
    expect(tomorrow.body.items).toEqual([]);
  });

  it("answer another centre's registration exactly like a missing one", async () => {
    const n = numbers[0]!;
    const mine = await call(ctx.app, 'GET', `/v1/registrations/${n}`, { token: operator });
    expect(mine.status).toBe(200);
    const theirs = await call(ctx.app, 'GET', `/v1/registrations/${n}`, { token: elsewhere });
    const missing = await call(ctx.app, 'GET', `/v1/registrations/${n.slice(0, 9)}99`, { token: elsewhere });
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    for (const path of [`/v1/registrations/${n}/receipt`]) {
      expect((await call(ctx.app, 'GET', path, { token: elsewhere })).status).toBe(404);
    }
    const amend = await call(ctx.app, 'PATCH', `/v1/registrations/${n}`, {
      token: elsewhere,
      body: { reason: 'wrong centre', mobile: '01911111111' },
    });
    expect(amend.status).toBe(404);
    const withdraw = await call(ctx.app, 'POST', `/v1/registrations/${n}/withdrawal`, {
      token: elsewhere,
      body: { reason: 'wrong centre' },
    });
    expect(withdraw.status).toBe(404);
  });

  it('print a receipt in Bangla and English, HTML or text, escaping everything', async () => {
    await ctx.db.transaction().execute((trx) =>
      createWindow(
        trx,
        {
          ...ctx.window,
          id: 'window-with-markup',
          schemeId: TEST_SCHEME_ID,
          name: '<script>alert("x")</script> & co',
          serviceCharge: money(5000, 'BDT'),
        },
        { actor: { sub: 'officer', role: 'ministry_officer' }, at: new Date() },
      ),
    );
    const reg = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(60, { windowId: 'window-with-markup', nameEn: "Md. O'Neil Karim" }),
    });
    expect(reg.status).toBe(201);
    const n = reg.body.registrationNumber as string;
    const html = await call(ctx.app, 'GET', `/v1/registrations/${n}/receipt`, { token: operator });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain(reg.body.displayNumber);
    expect(html.text).toContain('নিবন্ধন নম্বর');
    expect(html.text).toContain('Registration number');
    expect(html.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html.text).not.toContain('<script>');
    expect(html.text).toContain('O&#39;Neil');
    expect(html.text).toContain('Tk 50.00');
    expect(html.text).not.toContain(registrationFor(60).identity.number);
    const text = await call(ctx.app, 'GET', `/v1/registrations/${n}/receipt`, {
      token: operator,
      headers: { accept: 'text/plain' },
    });
    expect(text.headers.get('content-type')).toContain('text/plain');
    expect(text.text).toContain(
      `Registration number:\n  ${reg.body.displayNumber.replace(/[0-9]/g, (d: string) => String.fromCodePoint(0x09e6 + Number(d)))} / ${reg.body.displayNumber}`,
    );
  });

  it('amend contact and skills with a reason (audited by field name), never identity fields', async () => {
    const n = numbers[1]!;
    const before = (await call(ctx.app, 'GET', `/v1/registrations/${n}`, { token: operator })).body;
    const res = await call(ctx.app, 'PATCH', `/v1/registrations/${n}`, {
      token: operator,
      body: { reason: 'new phone', mobile: '০১৯১১১১১১১১', skills: ['tile fixing'], trade: null },
    });
    expect(res.status).toBe(200);
    expect(res.body.worker).toMatchObject({ mobile: '+8801911111111', skills: ['tile fixing'], trade: null });
    const told = await ctx.db
      .selectFrom('outbox_messages')
      .select('recipient')
      .where('template', '=', 'registration.contact-changed')
      .execute();
    expect(told.map((m) => m.recipient).sort()).toEqual([before.worker.mobile, '+8801911111111'].sort());
    const identity = await call(ctx.app, 'PATCH', `/v1/registrations/${n}`, {
      token: operator,
      body: { reason: 'typo in name', nameEn: 'Other Name', dateOfBirth: '1990-01-01', mobile: 'bad' },
    });
    expect(identity.status).toBe(400);
    expect(identity.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/dateOfBirth',
      '/body/mobile',
      '/body/nameEn',
    ]);
    const nothing = await call(ctx.app, 'PATCH', `/v1/registrations/${n}`, {
      token: operator,
      body: { reason: 'nothing at all' },
    });
    expect(nothing.status).toBe(400);
    await ctx.chainAudit();
    const [event] = await listAuditLog(ctx.db, { limit: 10, entityType: 'registration', entityId: n }).then(
      (e) => e.filter((x) => x.action === 'registration.amend'),
    );
    expect(event?.details).toEqual({ reason: 'new phone', fields: ['mobile', 'skills', 'trade'] });
  });

  it('withdraw with a reason, after which the worker may register again', async () => {
    const n = numbers[4]!;
    const res = await call(ctx.app, 'POST', `/v1/registrations/${n}/withdrawal`, {
      token: operator,
      body: { reason: 'worker asked to withdraw' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'withdrawn',
      withdrawal: { reason: 'worker asked to withdraw' },
    });
    const again = await call(ctx.app, 'POST', `/v1/registrations/${n}/withdrawal`, {
      token: operator,
      body: { reason: 'worker asked to withdraw' },
    });
    expect(again.status).toBe(422);
    const amend = await call(ctx.app, 'PATCH', `/v1/registrations/${n}`, {
      token: operator,
      body: { reason: 'new phone', mobile: '01911111112' },
    });
    expect(amend.status).toBe(422);
    const reRegister = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(4),
    });
    expect(reRegister.status).toBe(201);
    expect(reRegister.body.registrationNumber).not.toBe(n);
    const sms = await sql<{
      n: string;
    }>`select count(*) as n from outbox_messages where dedupe_key = ${`registration.withdrawn:${n}`}`.execute(
      ctx.db,
    );
    expect(Number(sms.rows[0]?.n)).toBe(1);
  });
});
