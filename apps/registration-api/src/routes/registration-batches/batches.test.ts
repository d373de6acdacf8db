import { sql } from '@g2g/db';
import { call } from '@g2g/http/testing';
import { registrationNumberFromSerial } from '@g2g/registration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
} from '../../testing.ts';

let ctx: RegistrationTestContext;
let operator: string;
beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  operator = await ctx.operator('U1414');
});
afterAll(() => ctx.close());

const count = async (table: string, where = sql`true`) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(ctx.db))
      .rows[0]?.n,
  );
const item = (clientId: string, i: number, extra: Record<string, unknown> = {}) => ({
  clientId,
  ...registrationFor(i),
  ...extra,
});
const sync = (items: unknown[], token = operator) =>
  call(ctx.app, 'POST', '/v1/registration-batches', { token, body: { items } });

describe('POST /v1/registration-batches', () => {
  it('gives every item a result; one bad item never sinks the batch', async () => {
    const existing = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(100),
    });
    expect(existing.status).toBe(201);
    const res = await sync([
      item('a-1', 101),
      item('a-2', 102, { mobile: 'not a number', nameBn: 'Latin' }),
      item('a-3', 101, { nameEn: 'Same Person Again' }),
      item('a-4', 100),
      item('a-5', 103, { preferredSectors: ['services'] }),
      item('a-6', 104, { windowId: 'nope-window' }),
      { clientId: 'a-7', nonsense: true },
      item('a-1', 105),
    ]);
    expect(res.status).toBe(200);
    const [created, invalid, dupInBatch, dupExisting, sector, window, shape, repeated] = res.body.items;
    expect(created).toMatchObject({
      clientId: 'a-1',
      outcome: 'created',
      registrationNumber: expect.stringMatching(/^[0-9]{11}$/),
    });
    expect(invalid.outcome).toBe('invalid');
    expect(invalid.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/items/1/mobile',
      '/body/items/1/nameBn',
    ]);
    expect(dupInBatch).toMatchObject({
      outcome: 'duplicate',
      registrationNumber: created.registrationNumber,
      voidedNumber: null,
    });
    expect(dupExisting).toMatchObject({
      outcome: 'duplicate',
      registrationNumber: existing.body.registrationNumber,
    });
    expect(sector).toMatchObject({
      outcome: 'invalid',
      errors: [{ pointer: '/body/items/4/preferredSectors/0' }],
    });
    expect(window).toMatchObject({ outcome: 'invalid', errors: [{ pointer: '/body/items/5/windowId' }] });
    expect(shape.outcome).toBe('invalid');
    expect(shape.errors.some((e: { pointer: string }) => e.pointer === '/body/items/6/nameEn')).toBe(true);
    expect(repeated).toMatchObject({ outcome: 'invalid', errors: [{ pointer: '/body/items/7/clientId' }] });
    expect(res.body.counts).toEqual({ created: 1, duplicate: 2, invalid: 5, replayed: 0 });
    // Workers whose offline registration turned out a duplicate are told by SMS.
    expect(await count('outbox_messages', sql`template = 'registration.duplicate'`)).toBe(2);
  });

  it('replays the same batch with the same results and creates nothing', async () => {
    const items = [item('b-1', 201), item('b-2', 202), item('b-3', 201), item('b-4', 203, { mobile: 'x' })];
    const first = await sync(items);
    const registrations = await count('registrations');
    const messages = await count('outbox_messages');
    const events = await count('audit_events');
    const again = await sync(items);
    expect(again.status).toBe(200);
    expect(again.body.items).toEqual(first.body.items);
    expect(again.body.counts).toEqual({ created: 0, duplicate: 0, invalid: 1, replayed: 3 });
    expect([
      await count('registrations'),
      await count('outbox_messages'),
      await count('audit_events'),
    ]).toEqual([registrations, messages, events]);
    // A corrected invalid item may be sent again under its client id; a changed valid one may not.
    const fixed = await sync([item('b-4', 203), item('b-1', 299)]);
    expect(fixed.body.items[0]).toMatchObject({ outcome: 'created' });
    expect(fixed.body.items[1]).toMatchObject({
      outcome: 'invalid',
      errors: [{ pointer: '/body/items/1/clientId' }],
    });
  });

  it('accepts reserved numbers once, from their own centre, judged at the time they were handed out', async () => {
    const block = await call(ctx.app, 'POST', '/v1/number-reservations', {
      token: operator,
      body: { count: 3 },
    });
    expect(block.status).toBe(201);
    const [n1, n2, n3] = block.body.numbers.map((n: { registrationNumber: string }) => n.registrationNumber);
    const listed = await call(ctx.app, 'GET', '/v1/number-reservations', { token: operator });
    expect(listed.body.items.map((r: { registrationNumber: string }) => r.registrationNumber)).toEqual([
      n1,
      n2,
      n3,
    ]);
    const madeAt = new Date().toISOString();
    const res = await sync([
      item('c-1', 301, { registrationNumber: n1, registeredAt: madeAt }),
      item('c-2', 302, { registrationNumber: n1, registeredAt: madeAt }),
      item('c-3', 303, { registrationNumber: n2 }),
      item('c-4', 304, {
        registrationNumber: registrationNumberFromSerial(99_999_999),
        registeredAt: madeAt,
      }),
      item('c-5', 305, { registrationNumber: n3, registeredAt: '2001-01-01T00:00:00Z' }),
    ]);
    expect(res.body.items.map((r: { outcome: string }) => r.outcome)).toEqual([
      'created',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
    ]);
    expect(res.body.items[0].registrationNumber).toBe(n1);
    expect(res.body.items[1].errors[0].pointer).toBe('/body/items/1/registrationNumber');
    expect(res.body.items[2].errors[0].pointer).toBe('/body/items/2/registeredAt');
    expect(res.body.items[4].errors[0].pointer).toBe('/body/items/4/registeredAt');
    const reg = await ctx.db
      .selectFrom('registrations')
      .select(['channel', 'registered_at'])
      .where('registration_number', '=', n1)
      .executeTakeFirstOrThrow();
    expect(reg).toMatchObject({ channel: 'offline', registered_at: new Date(madeAt) });
    // Another centre cannot use this centre's numbers.
    const other = await sync(
      [item('d-1', 306, { registrationNumber: n2, registeredAt: madeAt })],
      await ctx.operator('U0009'),
    );
    expect(other.body.items[0].outcome).toBe('invalid');
    // A used number is refused by the database too.
    await expect(
      ctx.db
        .updateTable('number_reservations')
        .set({ used_at: null, used_as: null })
        .where('registration_number', '=', n1)
        .execute(),
    ).rejects.toThrow(/already used/);
  });

  it('voids the reserved number of an offline duplicate and tells the worker which number stands', async () => {
    const block = await call(ctx.app, 'POST', '/v1/number-reservations', {
      token: operator,
      body: { count: 1 },
    });
    const n = block.body.numbers[0].registrationNumber;
    const res = await sync([
      item('e-1', 201, { registrationNumber: n, registeredAt: new Date().toISOString() }),
    ]);
    expect(res.body.items[0]).toMatchObject({ outcome: 'duplicate', voidedNumber: n });
    const sms = await ctx.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('dedupe_key', '=', `registration.duplicate-offline:${n}`)
      .executeTakeFirstOrThrow();
    expect(sms.body).toContain(`${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`);
    const reservation = await ctx.db
      .selectFrom('number_reservations')
      .selectAll()
      .where('registration_number', '=', n)
      .executeTakeFirstOrThrow();
    expect(reservation.used_as).toBe('duplicate');
    expect(await count('registrations', sql`registration_number = ${n}`)).toBe(0);
  });

  it('refuses more than 1,000 items and an item without a client id as a whole', async () => {
    const big = await sync(Array.from({ length: 1001 }, (_, i) => ({ clientId: `x-${i}` })));
    expect(big.status).toBe(400);
    expect(big.body.errors[0].pointer).toBe('/body/items');
    const noId = await sync([{ nameEn: 'x' }]);
    expect(noId.status).toBe(400);
    expect(noId.body.errors[0].pointer).toBe('/body/items/0/clientId');
  });
});
