import { sql } from '@g2g/db';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
} from '../../testing.ts';

let ctx: RegistrationTestContext;
beforeAll(async () => {
  ctx = await createRegistrationTestContext({ poolSize: 25 });
});
afterAll(() => ctx.close());

describe('dedup under concurrency (PostgreSQL, real parallelism)', () => {
  it('50 parallel registrations of one identity: exactly 1 created, 49 are 409 with its number', async () => {
    const tokens = await Promise.all(
      Array.from({ length: 5 }, (_, i) => ctx.operator(`U${String(1400 + i).padStart(4, '0')}`)),
    );
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(ctx.app, 'POST', '/v1/registrations', {
          token: tokens[i % tokens.length]!,
          body: registrationFor(7, { mobile: `0171${String(i).padStart(7, '0')}` }),
        }),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    const conflicts = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    const number = created[0]!.body.registrationNumber;
    expect(conflicts.every((r) => r.body.registrationNumber === number)).toBe(true);
    const rows = await sql<{ n: string }>`select count(*) as n from registrations`.execute(ctx.db);
    expect(Number(rows.rows[0]?.n)).toBe(1);
    const sms = await sql<{ n: string }>`select count(*) as n from outbox_messages`.execute(ctx.db);
    expect(Number(sms.rows[0]?.n)).toBe(1);
  });

  it('the same in one batch racing single registrations: one registration stands', async () => {
    const token = await ctx.operator('U1414');
    const [batch, ...singles] = await Promise.all([
      call(ctx.app, 'POST', '/v1/registration-batches', {
        token,
        body: { items: [{ clientId: 'race-1', ...registrationFor(8) }] },
      }),
      ...Array.from({ length: 10 }, () =>
        call(ctx.app, 'POST', '/v1/registrations', { token, body: registrationFor(8) }),
      ),
    ]);
    const numbers = new Set([
      batch!.body.items[0].registrationNumber,
      ...singles.map((s) => s.body.registrationNumber),
    ]);
    expect(numbers.size).toBe(1);
    const created =
      singles.filter((s) => s.status === 201).length + (batch!.body.items[0].outcome === 'created' ? 1 : 0);
    expect(created).toBe(1);
  });
});
