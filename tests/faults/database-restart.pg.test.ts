import { migrateToLatest, openDatabase, sql } from '@g2g/db';
import { seedSchemeAndWindow } from '@g2g/registration-api/fixtures';
import { registrationFor, TEST_WINDOW_ID } from '@g2g/registration-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import {
  type AppProcess,
  type ProcessEnvironment,
  processEnvironment,
  startApp,
} from '../support/processes.ts';

// PostgreSQL restarted under load: while it is down the app answers 503 problem+json (never 500, never
// a dropped connection), it recovers on its own when the server is back, and every registration it
// acknowledged is stored exactly once. Clients retry unacknowledged requests with their Idempotency-Key.

let pg: PrivatePostgres;
let env: ProcessEnvironment;
let app: AppProcess;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  const handle = await openDatabase({ databaseUrl: pg.url, poolSize: 2 });
  await migrateToLatest(handle.db);
  await seedSchemeAndWindow(handle.db, {
    windowId: TEST_WINDOW_ID,
    windowName: 'Restart window',
    opensAt: new Date(Date.now() - 86_400_000),
    closesAt: new Date(Date.now() + 86_400_000),
  });
  await handle.close();
  env = processEnvironment(pg.url);
  app = await startApp({
    script: 'apps/registration-api/src/server.ts',
    env: { ...env.env, DB_POOL_SIZE: '8' },
    portVariable: 'REGISTRATION_API_PORT',
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await pg?.destroy();
  env?.cleanup();
});

interface Attempt {
  readonly worker: number;
  readonly key: string;
}

describe('a PostgreSQL restart under load', () => {
  it('is answered with 503 while down, recovered from without help, and loses nothing acknowledged', async () => {
    const token = await env.token('centre_operator', { centre: 'U1414' });
    const statuses = new Map<number, number>();
    const acknowledged = new Map<number, string>();
    const problemTypes = new Set<string>();
    let next = 1;
    let loading = true;

    const send = async ({ worker, key }: Attempt) => {
      const res = await fetch(`${app.url}/v1/registrations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': key,
        },
        body: JSON.stringify(registrationFor(worker)),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = (await res.json()) as { registrationNumber?: string; type?: string };
      if (res.status === 201) acknowledged.set(worker, body.registrationNumber!);
      else if (res.headers.get('content-type') === 'application/problem+json') problemTypes.add(body.type!);
      return res.status;
    };
    const clients = Array.from({ length: 6 }, async () => {
      while (loading) {
        const worker = next++;
        await send({ worker, key: `reg-${worker}` });
        await new Promise((r) => setTimeout(r, 5));
      }
    });

    await new Promise((r) => setTimeout(r, 800));
    await pg.stop();
    await new Promise((r) => setTimeout(r, 1500));
    expect(app.child.exitCode, app.output()).toBeNull();
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toBe('application/problem+json');
    await pg.start();
    // It recovers by itself: acknowledgements resume without restarting the app.
    const before = acknowledged.size;
    const deadline = Date.now() + 30_000;
    while (acknowledged.size < before + 20 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    loading = false;
    await Promise.all(clients);

    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(problemTypes).toEqual(new Set(['urn:g2g:problem:service-unavailable']));
    expect([...statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(before + 19);

    // Clients retry what was not acknowledged, with the same key; nothing is created twice.
    const sent = next - 1;
    for (let worker = 1; worker <= sent; worker++) {
      if (!acknowledged.has(worker)) expect(await send({ worker, key: `reg-${worker}` })).toBe(201);
    }
    const handle = await openDatabase({ databaseUrl: pg.url, poolSize: 2 });
    try {
      const { rows } = await sql<{ n: string; numbers: string[] }>`
        select count(*) as n, array_agg(registration_number) as numbers from registrations
      `.execute(handle.db);
      expect(Number(rows[0]?.n)).toBe(sent);
      expect(new Set(rows[0]?.numbers)).toEqual(new Set(acknowledged.values()));
    } finally {
      await handle.close();
    }
  }, 180_000);
});
