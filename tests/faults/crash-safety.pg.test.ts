import { chainAllAuditEvents, sql, verifyAuditChain } from '@g2g/db';
import { createTestDatabase, type TestDatabase } from '@g2g/db/testing';
import { seedSchemeAndWindow } from '@g2g/registration-api/fixtures';
import { registrationFor, TEST_WINDOW_ID } from '@g2g/registration-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppProcess,
  type ProcessEnvironment,
  processEnvironment,
  startApp,
} from '../support/processes.ts';

// Crash safety: the registration app is killed with SIGKILL in the middle of a batch load, at a
// random moment; it is restarted and the centres re-send what was not acknowledged. Every
// acknowledged registration must be there exactly once, no batch half-applied, the audit chain intact.

const CENTRES = ['U0001', 'U0517', 'U1414', 'U3001'];
const BATCHES_PER_CENTRE = 12;
const ITEMS_PER_BATCH = 120;

interface Batch {
  readonly centre: string;
  readonly index: number;
  readonly items: Record<string, unknown>[];
}

interface ItemResult {
  readonly clientId: string;
  readonly outcome: 'created' | 'duplicate' | 'invalid';
  readonly registrationNumber?: string;
}

let database: TestDatabase;
let env: ProcessEnvironment;
let app: AppProcess | undefined;

function batchesFor(centre: string, c: number): Batch[] {
  return Array.from({ length: BATCHES_PER_CENTRE }, (_, b) => ({
    centre,
    index: b,
    items: Array.from({ length: ITEMS_PER_BATCH }, (_, i) => {
      const n = (c * BATCHES_PER_CENTRE + b) * ITEMS_PER_BATCH + i + 1;
      // Every 37th worker also registers at another centre (a duplicate), every 53rd is invalid.
      const worker = n % 37 === 0 ? Math.max(1, n - 5 * ITEMS_PER_BATCH) : n;
      const body = registrationFor(worker);
      return { ...body, ...(n % 53 === 0 ? { mobile: 'not-a-phone' } : {}), clientId: `${centre}-${b}-${i}` };
    }),
  }));
}

async function upload(url: string, token: string, batch: Batch): Promise<ItemResult[]> {
  const res = await fetch(`${url}/v1/registration-batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ items: batch.items }),
  });
  if (res.status !== 200)
    throw new Error(`batch ${batch.centre}/${batch.index}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: ItemResult[] }).items;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedSchemeAndWindow(database.db, {
    windowId: TEST_WINDOW_ID,
    windowName: 'Crash window',
    opensAt: new Date(Date.now() - 86_400_000),
    closesAt: new Date(Date.now() + 86_400_000),
  });
  env = processEnvironment(database.url);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  env?.cleanup();
  await database?.close();
});

describe('a registration app killed mid-load', () => {
  it('loses and duplicates nothing that was acknowledged, and leaves no half batch', async () => {
    const start = () =>
      startApp({
        script: 'apps/registration-api/src/server.ts',
        env: env.env,
        portVariable: 'REGISTRATION_API_PORT',
      });
    app = await start();
    const tokens = Object.fromEntries(
      await Promise.all(
        CENTRES.map(async (c) => [c, await env.token('centre_operator', { centre: c })] as const),
      ),
    );
    const plan = CENTRES.map(batchesFor);
    const acknowledged = new Map<string, ItemResult[]>();
    const key = (b: Batch) => `${b.centre}/${b.index}`;

    // The kill lands mid-load whatever the machine's speed: once a random number of batches has been
    // acknowledged, after a further random delay of up to 30 ms (while other batches are in flight).
    const total = CENTRES.length * BATCHES_PER_CENTRE;
    const killAfterBatches = 4 + Math.floor(Math.random() * (total - 16));
    const killDelayMs = Math.floor(Math.random() * 30);
    const running = app;
    let killing: Promise<void> | undefined;
    const uploaders = plan.map(async (batches) => {
      for (const batch of batches) {
        try {
          acknowledged.set(key(batch), await upload(running.url, tokens[batch.centre]!, batch));
        } catch {
          return; // the server is gone: this centre stops and will re-send later
        }
        if (!killing && acknowledged.size >= killAfterBatches) {
          killing = new Promise((r) => setTimeout(r, killDelayMs)).then(() => running.kill());
        }
      }
    });
    await Promise.all(uploaders);
    await killing;
    expect(acknowledged.size, `killed after ${killAfterBatches} batches + ${killDelayMs} ms`).toBeLessThan(
      total,
    );

    // No half batch: a batch's storable items (all but the invalid) are either all recorded or none.
    for (const batches of plan) {
      for (const batch of batches) {
        const ids = batch.items.map((i) => i.clientId as string);
        const { rows } = await sql<{ n: string }>`
          select count(*) as n from registration_batch_items where client_id = any(${ids}::text[])
        `.execute(database.db);
        const storable = batch.items.filter((item) => item.mobile !== 'not-a-phone').length;
        if (acknowledged.has(key(batch))) expect(Number(rows[0]?.n)).toBe(storable);
        else expect([0, storable]).toContain(Number(rows[0]?.n));
      }
    }

    // Restart; each centre re-sends what was not acknowledged, and one acknowledged batch again.
    app = await start();
    const restarted = app;
    const final = new Map<string, ItemResult[]>();
    for (const batches of plan) {
      for (const batch of batches) {
        const results = await upload(restarted.url, tokens[batch.centre]!, batch);
        const before = acknowledged.get(key(batch));
        if (before) expect(results).toEqual(before);
        final.set(key(batch), results);
      }
    }

    // Every created number exists exactly once; the table holds nothing else.
    const created = [...final.values()].flat().filter((r) => r.outcome === 'created');
    const numbers = created.map((r) => r.registrationNumber!);
    expect(new Set(numbers).size).toBe(numbers.length);
    const { rows: counts } = await sql<{ n: string; distinct_numbers: string }>`
      select count(*) as n, count(distinct registration_number) as distinct_numbers from registrations
    `.execute(database.db);
    expect(Number(counts[0]?.n)).toBe(numbers.length);
    expect(Number(counts[0]?.distinct_numbers)).toBe(numbers.length);
    const { rows: present } = await sql<{ n: string }>`
      select count(*) as n from registrations where registration_number = any(${numbers}::text[])
    `.execute(database.db);
    expect(Number(present[0]?.n)).toBe(numbers.length);
    const duplicates = [...final.values()].flat().filter((r) => r.outcome === 'duplicate');
    expect(duplicates.length).toBeGreaterThan(0);
    for (const d of duplicates) expect(numbers).toContain(d.registrationNumber);

    // One audit event per stored batch, and the chain verifies.
    const { rows: audited } = await sql<{ events: string; batches: string }>`
      select (select count(*) from audit_events where action = 'registration.batch-sync') as events,
             (select count(distinct batch_id) from registration_batch_items) as batches
    `.execute(database.db);
    expect(audited[0]?.events).toBe(audited[0]?.batches);
    await chainAllAuditEvents(database.db);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, unchained: 0 });
  }, 300_000);
});
