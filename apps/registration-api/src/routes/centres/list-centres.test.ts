import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { TEST_ID_HASH_SECRET } from '../../testing.ts';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp({ ...ctx.deps, idHashSecret: TEST_ID_HASH_SECRET });
});
afterAll(() => ctx.close());

describe('GET /v1/centres', () => {
  it('lists centres publicly, paginated by cursor', async () => {
    const first = await call(app, 'GET', '/v1/centres?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { code: string }) => c.code)).toEqual(['U0001', 'U0002', 'U0003']);
    const second = await call(app, 'GET', `/v1/centres?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c: { code: string }) => c.code)).toEqual(['U0004', 'U0005', 'U0006']);
    expect(first.headers.get('cache-control')).toContain('public');
  });

  it('filters by district name or id and upazila', async () => {
    const byName = await call(app, 'GET', '/v1/centres?district=coxsbazar&limit=500');
    expect(byName.status).toBe(200);
    const districtId = byName.body.items[0].district.id;
    const byId = await call(app, 'GET', `/v1/centres?district=${districtId}&limit=500`);
    expect(byId.body.items).toEqual(byName.body.items);
    expect(byName.body.nextCursor).toBeNull();
  });

  it('ends with a null cursor on the last page', async () => {
    const res = await call(app, 'GET', '/v1/centres?upazila=Savar&limit=500');
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.nextCursor).toBeNull();
  });

  it('refuses a bad limit or a forged cursor with field errors', async () => {
    const limit = await call(app, 'GET', '/v1/centres?limit=100000');
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].pointer).toBe('/query/limit');
    const cursor = await call(app, 'GET', '/v1/centres?cursor=bm90LWpzb24');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].pointer).toBe('/query/cursor');
  });
});
