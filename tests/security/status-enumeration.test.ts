import { request } from 'node:http';
import { listen, type RunningServer } from '@g2g/http';
import { call } from '@g2g/http/testing';
import { registrationNumberFromSerial } from '@g2g/registration';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
} from '@g2g/registration-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The policies are imported, not copied, so that this test follows them if they change.
import { ADDRESS_POLICY, NUMBER_POLICY } from '../../apps/registration-api/src/routes/status/check-status.ts';

// A scripted guesser against the public status check (POST /v1/status), over a real socket. What it
// wants to learn: which registration numbers exist, and for a number, the worker's date of birth (and
// so their status). It must be locked out before it learns either: until the lockout every answer is
// the same for a number that exists and one that does not, and once locked out even the right pair is
// refused. Each guesser connects from its own loopback address (127.0.0.x), which is what the
// per-address limit keys on (the X-Forwarded-For it sends is not believed: no trusted proxy).

let ctx: RegistrationTestContext;
let server: RunningServer;
const registered: { number: string; dob: string }[] = [];

beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  const items = Array.from({ length: 40 }, (_, i) => ({ ...registrationFor(i), clientId: `c-${i}` }));
  const res = await call(ctx.app, 'POST', '/v1/registration-batches', {
    token: await ctx.operator(),
    body: { items },
  });
  expect(res.body.counts.created).toBe(40);
  res.body.items.forEach((r: { registrationNumber: string }, i: number) => {
    registered.push({ number: r.registrationNumber, dob: items[i]!.dateOfBirth });
  });
  server = await listen(ctx.app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server?.close();
  await ctx?.close();
});

interface Answer {
  readonly status: number;
  /** The body without its request id, and the headers a client could tell apart. */
  readonly observable: string;
  readonly retryAfter: number | undefined;
}

/** One status check from a given local (loopback) address. */
function guess(
  from: string,
  registrationNumber: string,
  dateOfBirth: string,
  spoof?: string,
): Promise<Answer> {
  const body = JSON.stringify({ registrationNumber, dateOfBirth });
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        localAddress: from,
        method: 'POST',
        path: '/v1/status',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(spoof ? { 'x-forwarded-for': spoof } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += String(d);
        });
        res.on('end', () => {
          const { requestId: _, ...problem } = JSON.parse(text) as Record<string, unknown>;
          const headers = Object.entries(res.headers)
            .filter(
              ([k]) =>
                ![
                  'date',
                  'x-request-id',
                  'retry-after',
                  'content-length',
                  'connection',
                  'keep-alive',
                ].includes(k),
            )
            .sort(([a], [b]) => a.localeCompare(b));
          const retry = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            observable: JSON.stringify({ status: res.statusCode, problem, headers }),
            retryAfter: retry === undefined ? undefined : Number(retry),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const nonExisting = (k: number) => registrationNumberFromSerial(900_000_000 + k);

describe('status-check enumeration', () => {
  it('a guesser sweeping numbers is locked out before it can tell a real number from a made-up one', async () => {
    const from = '127.0.0.21';
    const answers: { real: boolean; answer: Answer }[] = [];
    // Alternate real and made-up numbers, each with a plausible date of birth, spoofing a new
    // X-Forwarded-For every time; stop at the first refusal.
    for (let k = 0; k < ADDRESS_POLICY.maxAttempts; k++) {
      const real = k % 2 === 0;
      const number = real ? registered[k % registered.length]!.number : nonExisting(k);
      const answer = await guess(from, number, '1990-01-01', `198.51.100.${k}`);
      answers.push({ real, answer });
      if (answer.status === 429) break;
    }
    const beforeLockout = answers.slice(0, -1);
    expect(answers.at(-1)!.answer.status).toBe(429);
    expect(beforeLockout).toHaveLength(ADDRESS_POLICY.maxFailures);
    // Everything it saw before the lockout is one and the same answer, whichever kind of number.
    expect(new Set(beforeLockout.map((a) => a.answer.observable)).size).toBe(1);
    expect(beforeLockout[0]!.answer.status).toBe(404);
    expect(beforeLockout.filter((a) => a.real).length).toBeGreaterThan(0);

    // Locked out: even the right number with the right date of birth gets the same refusal as a
    // made-up one, so a lucky guess now would teach it nothing.
    const right = registered[0]!;
    const lockedReal = await guess(from, right.number, right.dob);
    const lockedFake = await guess(from, nonExisting(999), right.dob);
    expect(lockedReal.status).toBe(429);
    expect(lockedReal.observable).toBe(lockedFake.observable);
    expect(Math.abs(lockedReal.retryAfter! - lockedFake.retryAfter!)).toBeLessThanOrEqual(1);
    expect(lockedReal.retryAfter!).toBeGreaterThan(ADDRESS_POLICY.lockoutMs / 1000 - 60);
  });

  it('a guesser trying dates of birth for one number is locked out on that number, real or not, before the right date', async () => {
    // Two guessers, each from its own address: one works on a real number, one on a made-up number.
    const target = registered[5]!;
    const wrongDates = Array.from(
      { length: NUMBER_POLICY.maxFailures },
      (_, d) => `19${80 + d}-0${1 + (d % 9)}-1${d % 10}`,
    ).filter((d) => d !== target.dob);
    expect(wrongDates).toHaveLength(NUMBER_POLICY.maxFailures);
    const run = async (from: string, number: string) => {
      const seen: Answer[] = [];
      for (const dob of wrongDates) seen.push(await guess(from, number, dob));
      // The next guess happens to be the right date of birth.
      seen.push(await guess(from, number, target.dob));
      return seen;
    };
    const real = await run('127.0.0.31', target.number);
    const fake = await run('127.0.0.32', nonExisting(31));
    expect(real.map((a) => a.status)).toEqual([...wrongDates.map(() => 404), 429]);
    expect(real.map((a) => a.observable)).toEqual(fake.map((a) => a.observable));
    // The lockout holds from any address, for the right date too.
    expect((await guess('127.0.0.33', target.number, target.dob)).status).toBe(429);
    // A worker whose number was not attacked is unaffected.
    const other = registered[6]!;
    expect((await guess('127.0.0.34', other.number, other.dob)).status).toBe(200);
  });
});
