import { freezeDrawPool, listDrawPool, recordDrawOutcomes } from '@g2g/db';
import type { ApiApp } from '@g2g/http';
import { call } from '@g2g/http/testing';
import { formatRegistrationNumber, registrationNumberFromSerial, toBanglaDigits } from '@g2g/registration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
  TEST_ID_HASH_SECRET,
} from '../../testing.ts';
import { ADDRESS_POLICY, NUMBER_POLICY } from './check-status.ts';

let ctx: RegistrationTestContext;
const registered: { number: string; dob: string }[] = [];
beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  const operator = await ctx.operator();
  for (let i = 0; i < 4; i++) {
    const res = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(i),
    });
    registered.push({ number: res.body.registrationNumber, dob: registrationFor(i).dateOfBirth });
  }
});
afterAll(() => ctx.close());

/** A status check from a given socket address (the in-process request has no socket otherwise). */
async function check(app: ApiApp, body: unknown, from: string, headers: Record<string, string> = {}) {
  const res = await app.request(
    '/v1/status',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    },
    { incoming: { socket: { remoteAddress: from } } },
  );
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /v1/status', () => {
  it('tells the window, status and next step for the right number and date of birth, and nothing personal', async () => {
    const { number, dob } = registered[0]!;
    const res = await check(
      ctx.app,
      {
        registrationNumber: toBanglaDigits(formatRegistrationNumber(number)),
        dateOfBirth: toBanglaDigits(dob),
      },
      '192.0.2.1',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      registrationNumber: number,
      window: { id: 'g2g-my-test', name: 'Test window' },
      status: 'registered',
      waitlistPosition: null,
      nextStep: { en: expect.stringContaining('registered'), bn: expect.any(String) },
    });
  });

  it('answers a wrong date of birth exactly as an unknown number', async () => {
    const { number } = registered[1]!;
    const wrongDob = await check(
      ctx.app,
      { registrationNumber: number, dateOfBirth: '1901-01-01' },
      '192.0.2.2',
    );
    const unknown = await check(
      ctx.app,
      { registrationNumber: registrationNumberFromSerial(987_654_321), dateOfBirth: '1901-01-01' },
      '192.0.2.2',
    );
    expect(wrongDob.status).toBe(404);
    expect(unknown.status).toBe(404);
    const { requestId: _a, ...a } = wrongDob.body;
    const { requestId: _b, ...b } = unknown.body;
    expect(a).toEqual(b);
    const typo = await check(
      ctx.app,
      {
        registrationNumber: `${number.slice(0, 10)}${(Number(number[10]) + 1) % 10}`,
        dateOfBirth: '1990-01-01',
      },
      '192.0.2.2',
    );
    expect(typo.status).toBe(400);
    expect((typo.body.errors as { pointer: string }[])[0]?.pointer).toBe('/body/registrationNumber');
  });

  it('locks a number out after repeated failures, even for the right date of birth and from elsewhere', async () => {
    const { number, dob } = registered[2]!;
    for (let i = 0; i < NUMBER_POLICY.maxFailures; i++) {
      expect(
        (await check(ctx.app, { registrationNumber: number, dateOfBirth: '1901-01-01' }, `198.51.100.${i}`))
          .status,
      ).toBe(404);
    }
    const locked = await check(ctx.app, { registrationNumber: number, dateOfBirth: dob }, '198.51.100.200');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    // An unknown number locks the same way: the lockout says nothing about existence.
    const ghost = registrationNumberFromSerial(123_123_123);
    for (let i = 0; i < NUMBER_POLICY.maxFailures; i++) {
      await check(ctx.app, { registrationNumber: ghost, dateOfBirth: '1901-01-01' }, `198.51.101.${i}`);
    }
    expect(
      (await check(ctx.app, { registrationNumber: ghost, dateOfBirth: '1901-01-01' }, '198.51.101.99'))
        .status,
    ).toBe(429);
  });

  it('locks an address out after repeated failures over many numbers; X-Forwarded-For does not help', async () => {
    for (let i = 0; i < ADDRESS_POLICY.maxFailures; i++) {
      const res = await check(
        ctx.app,
        { registrationNumber: registrationNumberFromSerial(500_000 + i), dateOfBirth: '1901-01-01' },
        '203.0.113.9',
        { 'x-forwarded-for': `10.1.1.${i}` },
      );
      expect(res.status).toBe(404);
    }
    const { number, dob } = registered[3]!;
    const blocked = await check(ctx.app, { registrationNumber: number, dateOfBirth: dob }, '203.0.113.9', {
      'x-forwarded-for': '10.9.9.9',
    });
    expect(blocked.status).toBe(429);
    expect(
      (await check(ctx.app, { registrationNumber: number, dateOfBirth: dob }, '203.0.113.10')).status,
    ).toBe(200);
  });

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    const behindProxy = createApp({
      ...ctx.deps,
      idHashSecret: TEST_ID_HASH_SECRET,
      trustedProxies: ['10.0.0.1'],
    });
    const { number, dob } = registered[3]!;
    for (let i = 0; i < ADDRESS_POLICY.maxFailures; i++) {
      await check(
        behindProxy,
        { registrationNumber: registrationNumberFromSerial(600_000 + i), dateOfBirth: '1901-01-01' },
        '10.0.0.1',
        { 'x-forwarded-for': '233.252.0.7, 10.0.0.1' },
      );
    }
    const client7 = await check(behindProxy, { registrationNumber: number, dateOfBirth: dob }, '10.0.0.1', {
      'x-forwarded-for': '233.252.0.7',
    });
    expect(client7.status).toBe(429);
    const client8 = await check(behindProxy, { registrationNumber: number, dateOfBirth: dob }, '10.0.0.1', {
      'x-forwarded-for': '233.252.0.8',
    });
    expect(client8.status).toBe(200);
  });

  it('reads the statuses the draw engine sets, with the waitlist position', async () => {
    const ctx2 = await createRegistrationTestContext();
    try {
      const operator = await ctx2.operator();
      // biome-ignore lint/suspicious/noExplicitAny: response bodies
      const made: any[] = [];
      for (let i = 0; i < 3; i++) {
        made.push(
          (await call(ctx2.app, 'POST', '/v1/registrations', { token: operator, body: registrationFor(i) }))
            .body,
        );
      }
      const audit = { actor: { sub: 'draw-engine', role: 'ministry_officer' as const }, at: new Date() };
      await ctx2.db.transaction().execute(async (trx) => {
        expect(await freezeDrawPool(trx, 'g2g-my-test', audit)).toBe(3);
        const pool = await listDrawPool(trx, 'g2g-my-test');
        expect(pool.map((p) => p.registrationNumber)).toEqual(made.map((m) => m.registrationNumber).sort());
        expect(pool[0]).toMatchObject({
          status: 'in_draw_pool',
          gender: 'male',
          divisionId: expect.any(Number),
        });
        expect(pool[0]?.registeredOn).toMatch(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
        expect(Object.keys(pool[0]!)).not.toContain('nameEn');
        await recordDrawOutcomes(
          trx,
          'g2g-my-test',
          [
            { registrationNumber: made[0].registrationNumber, outcome: 'selected' },
            { registrationNumber: made[1].registrationNumber, outcome: 'waitlisted', waitlistPosition: 7 },
            { registrationNumber: made[2].registrationNumber, outcome: 'not_selected' },
          ],
          { ...audit, drawId: 'draw-1' },
        );
      });
      // An outcome for a registration outside the pool fails the whole call.
      await expect(
        ctx2.db.transaction().execute((trx) =>
          recordDrawOutcomes(
            trx,
            'g2g-my-test',
            [{ registrationNumber: made[2].registrationNumber, outcome: 'selected' }],
            {
              ...audit,
              drawId: 'draw-2',
            },
          ),
        ),
      ).rejects.toThrow(/not in window/);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const res = await check(
          ctx2.app,
          { registrationNumber: made[i].registrationNumber, dateOfBirth: made[i].worker.dateOfBirth },
          '192.0.2.50',
        );
        statuses.push(res.body);
      }
      expect(statuses.map((s) => [s.status, s.waitlistPosition])).toEqual([
        ['selected', null],
        ['waitlisted', 7],
        ['not_selected', null],
      ]);
      expect((statuses[1]?.nextStep as { en: string }).en).toContain('position 7');
      // Once in the pool (or drawn) a registration can no longer be withdrawn.
      const withdraw = await call(
        ctx2.app,
        'POST',
        `/v1/registrations/${made[0].registrationNumber}/withdrawal`,
        {
          token: operator,
          body: { reason: 'changed my mind' },
        },
      );
      expect(withdraw.status).toBe(422);
    } finally {
      await ctx2.close();
    }
  });
});
