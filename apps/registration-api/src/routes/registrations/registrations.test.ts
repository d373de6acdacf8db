import { listAuditLog, sql } from '@g2g/db';
import { call } from '@g2g/http/testing';
import { isRegistrationNumber, toBanglaDigits } from '@g2g/registration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
  TEST_ID_HASH_SECRET,
} from '../../testing.ts';

let ctx: RegistrationTestContext;
let operator: string;
beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  operator = await ctx.operator('U1414', 'operator-1');
});
afterAll(() => ctx.close());

const count = async (table: 'registrations' | 'outbox_messages') =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(ctx.db)).rows[0]?.n,
  );

describe('POST /v1/registrations', () => {
  it('registers a worker at the token’s centre with a check-digit number, a receipt, an SMS and an audit event', async () => {
    const res = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: { ...registrationFor(1), centre: 'U0001' },
    });
    expect(res.status).toBe(201);
    const n = res.body.registrationNumber as string;
    expect(isRegistrationNumber(n)).toBe(true);
    expect(res.headers.get('location')).toBe(`/v1/registrations/${n}`);
    expect(res.body).toMatchObject({
      displayNumber: `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`,
      status: 'registered',
      channel: 'online',
      centre: { code: 'U1414' },
      window: { id: 'g2g-my-test', name: 'Test window' },
      serviceCharge: { amountMinor: 5000, currency: 'BDT' },
      worker: {
        mobile: expect.stringMatching(/^\+8801/),
        identity: { kind: 'nid', last4: expect.any(String) },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(registrationFor(1).identity.number);
    const sms = await ctx.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('dedupe_key', '=', `registration.confirmed:${n}`)
      .execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', recipient: res.body.worker.mobile, status: 'pending' });
    expect(sms[0]?.body).toContain(`${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`);
    expect(sms[0]?.body).toContain(toBanglaDigits(n.slice(0, 4)));
    await ctx.chainAudit();
    const events = await listAuditLog(ctx.db, { limit: 10, entityType: 'registration', entityId: n });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'registration.create',
      actor: { sub: 'operator-1', role: 'centre_operator' },
    });
    expect(JSON.stringify(events[0]?.details)).not.toMatch(/Karim|Abdul|\+880/);
  });

  it('accepts Bangla digits in the ID, mobile, date of birth and union code', async () => {
    const base = registrationFor(2);
    const res = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: {
        ...base,
        identity: { kind: 'nid', number: toBanglaDigits(base.identity.number) },
        mobile: toBanglaDigits(`+88${base.mobile}`),
        dateOfBirth: toBanglaDigits(base.dateOfBirth),
        permanentUnionCode: toBanglaDigits('U0042'),
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.worker).toMatchObject({
      dateOfBirth: base.dateOfBirth,
      permanentUnion: { code: 'U0042' },
    });
  });

  it('refuses bad fields with JSON pointers, all at once, and writes nothing', async () => {
    const before = await count('registrations');
    const res = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(3, {
        identity: { kind: 'nid', number: '123' },
        nameBn: 'Abdul',
        mobile: '12345',
        dateOfBirth: '1990-02-30',
        permanentUnionCode: 'U9999',
        preferredSectors: [],
        passportNumber: 'X',
      }),
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation-failed');
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/dateOfBirth',
      '/body/identity/number',
      '/body/mobile',
      '/body/nameBn',
      '/body/passportNumber',
      '/body/permanentUnionCode',
      '/body/preferredSectors',
    ]);
    const shape = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(3, { gender: 'man', education: 'phd', identity: 'x' }),
    });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/education',
      '/body/gender',
      '/body/identity',
    ]);
    expect(await count('registrations')).toBe(before);
  });

  it('allows one active registration per person per window: 409 with the existing number', async () => {
    const first = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(4),
    });
    expect(first.status).toBe(201);
    const elsewhere = await ctx.operator('U0007');
    const again = await call(ctx.app, 'POST', '/v1/registrations', {
      token: elsewhere,
      body: registrationFor(4, { nameEn: 'Another Name', mobile: '01812345678' }),
    });
    expect(again.status).toBe(409);
    expect(again.body.registrationNumber).toBe(first.body.registrationNumber);
    // The 17-digit and 13-digit forms of one NID are one person.
    const legacy = registrationFor(4).identity.number.slice(4);
    const short = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(4, { identity: { kind: 'nid', number: legacy } }),
    });
    expect(short.status).toBe(409);
  });

  it('replays a retry with the same Idempotency-Key, 422 for another body under it', async () => {
    const headers = { 'idempotency-key': 'reg-5-attempt' };
    const before = await count('registrations');
    const first = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(5),
      headers,
    });
    const retry = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(5),
      headers,
    });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    expect(await count('registrations')).toBe(before + 1);
    const other = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(6),
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency-key-reused');
  });

  it('serves an Idempotency-Key request as a fresh process’s very first registration', async () => {
    // A new app has empty caches; nothing may be read through them inside the key's transaction.
    const fresh = createApp({ ...ctx.deps, idHashSecret: TEST_ID_HASH_SECRET });
    const res = await call(fresh, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(9),
      headers: { 'idempotency-key': 'fresh-process-1' },
    });
    expect(res.status).toBe(201);
  });

  it('applies the window rules with a reason: unknown window, ineligible age, sector not offered', async () => {
    const unknown = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(7, { windowId: 'no-such-window' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].pointer).toBe('/body/windowId');
    const young = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(7, {
        dateOfBirth: '2020-01-01',
        identity: { kind: 'birth-registration', number: '20201234567890123' },
      }),
    });
    expect(young.status).toBe(422);
    expect(young.body).toMatchObject({ code: 'rule-violated', errors: [{ pointer: '/body/dateOfBirth' }] });
    expect(young.body.detail).toMatch(/ages 18-45/);
    const sector = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(7, { preferredSectors: ['services'] }),
    });
    expect(sector.status).toBe(422);
    expect(sector.body.errors[0]).toMatchObject({
      pointer: '/body/preferredSectors/0',
      detail: expect.stringContaining('plantation'),
    });
  });

  it('is for centre operators with a real centre only', async () => {
    expect((await call(ctx.app, 'POST', '/v1/registrations', { body: registrationFor(8) })).status).toBe(401);
    const officer = await ctx.token('ministry_officer');
    expect(
      (await call(ctx.app, 'POST', '/v1/registrations', { token: officer, body: registrationFor(8) })).status,
    ).toBe(403);
    const ghost = await ctx.operator('U9999');
    expect(
      (await call(ctx.app, 'POST', '/v1/registrations', { token: ghost, body: registrationFor(8) })).status,
    ).toBe(403);
  });
});
