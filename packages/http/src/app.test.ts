import { allow, publicAccess } from '@g2g/auth';
import { AppError } from '@g2g/domain';
import { z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, createApiApp } from './app.ts';
import { jsonBody, jsonContent, problemResponses } from './openapi.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';
import { defineRoute } from './route.ts';
import { call, createTestContext, type TestContext } from './testing.ts';

let ctx: TestContext;
let app: ApiApp;
let unexpectedMessage = '';

const echoRoute = defineRoute({
  method: 'post',
  path: '/v1/echo',
  access: allow('ministry_officer'),
  bodyLimit: 1024,
  request: {
    body: jsonBody(
      z.object({
        name: z.string().min(2).max(20),
        count: z.number().int().min(0),
        tags: z.array(z.string()).max(3),
      }),
    ),
  },
  responses: {
    200: jsonContent(z.object({ name: z.string() }), 'echo'),
    ...problemResponses(401, 403, 413, 415),
  },
});

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApiApp({ title: 'Test', version: '0', description: 'test', ...ctx.deps });
  app.openapi(echoRoute, (c) => c.json({ name: c.req.valid('json').name }, 200));
  app.get('/boom', () => {
    unexpectedMessage = 'relation "secret_table" does not exist at character 15';
    throw new Error(unexpectedMessage);
  });
  app.get('/db-down', () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  });
  app.get('/conflict', () => {
    throw new AppError('conflict', 'Already registered.', {
      extensions: { registrationNumber: '00000000019' },
    });
  });
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/open',
      access: publicAccess,
      request: { query: z.object({ limit: z.coerce.number().int().max(10) }) },
      responses: { 200: jsonContent(z.object({ ok: z.boolean() }), 'ok') },
    }),
    (c) => c.json({ ok: true }, 200),
  );
});
afterAll(() => ctx.close());

function expectProblem(
  res: { status: number; headers: Headers; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
  expect(res.body).toMatchObject({ type: `urn:g2g:problem:${code}`, status, code });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
}

describe('the app factory', () => {
  it('answers a valid request', async () => {
    const token = await ctx.token('ministry_officer');
    const res = await call(app, 'POST', '/v1/echo', { token, body: { name: 'Rahim', count: 1, tags: [] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'Rahim' });
  });

  it('maps field errors to JSON pointers', async () => {
    const token = await ctx.token('ministry_officer');
    const res = await call(app, 'POST', '/v1/echo', {
      token,
      body: { name: 'R', count: -1, tags: ['a', 'b', 'c', 'd'] },
    });
    expectProblem(res, 400, 'validation-failed');
    const pointers = (res.body.errors as { pointer: string }[]).map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/body/count', '/body/name', '/body/tags']);
    const query = await call(app, 'GET', '/v1/open?limit=abc');
    expectProblem(query, 400, 'validation-failed');
    expect(query.body.errors).toEqual([{ pointer: '/query/limit', detail: expect.any(String) }]);
  });

  it('answers malformed JSON, a wrong content type and an oversized body with problem+json', async () => {
    const token = await ctx.token('ministry_officer');
    const json = { 'content-type': 'application/json' };
    expectProblem(
      await call(app, 'POST', '/v1/echo', { token, rawBody: '{"name": "Ra', headers: json }),
      400,
      'malformed-json',
    );
    expectProblem(
      await call(app, 'POST', '/v1/echo', { token, rawBody: '', headers: json }),
      400,
      'malformed-json',
    );
    expectProblem(
      await call(app, 'POST', '/v1/echo', {
        token,
        rawBody: 'name=Rahim',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported-media-type',
    );
    expectProblem(
      await call(app, 'POST', '/v1/echo', { token, rawBody: '{}' }),
      415,
      'unsupported-media-type',
    );
    const big = JSON.stringify({ name: 'x'.repeat(2000), count: 1, tags: [] });
    expectProblem(
      await call(app, 'POST', '/v1/echo', { token, rawBody: big, headers: json }),
      413,
      'payload-too-large',
    );
    const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: invalidUtf8,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('malformed-json');
  });

  it('answers 401 without a token or with a bad one, 403 with the wrong role', async () => {
    const body = { name: 'Rahim', count: 1, tags: [] };
    expectProblem(await call(app, 'POST', '/v1/echo', { body }), 401, 'unauthenticated');
    expectProblem(
      await call(app, 'POST', '/v1/echo', { body, headers: { authorization: 'Basic abc' } }),
      401,
      'unauthenticated',
    );
    expectProblem(await call(app, 'POST', '/v1/echo', { body, token: 'a.b.c' }), 401, 'unauthenticated');
    const expired = await ctx.token('ministry_officer', { now: new Date(Date.now() - 24 * 3600_000) });
    expectProblem(await call(app, 'POST', '/v1/echo', { body, token: expired }), 401, 'unauthenticated');
    const auditor = await ctx.token('auditor');
    const res = await call(app, 'POST', '/v1/echo', { body, token: auditor });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.detail).toContain('ministry_officer');
  });

  it('checks the token before looking at the body', async () => {
    expectProblem(await call(app, 'POST', '/v1/echo', { rawBody: '{nope' }), 401, 'unauthenticated');
  });

  it('answers unknown routes with 404 problem+json', async () => {
    expectProblem(await call(app, 'GET', '/v1/nowhere'), 404, 'route-not-found');
    expectProblem(await call(app, 'DELETE', '/v1/echo'), 404, 'route-not-found');
  });

  it('never leaks an unexpected error, and names the request id', async () => {
    const res = await call(app, 'GET', '/boom', { headers: { 'x-request-id': 'req-abc-123' } });
    expectProblem(res, 500, 'internal-error');
    expect(res.body.requestId).toBe('req-abc-123');
    expect(res.text).not.toContain('secret_table');
    expect(res.text).not.toContain(unexpectedMessage);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers 503 when the database is unreachable', async () => {
    const res = await call(app, 'GET', '/db-down');
    expectProblem(res, 503, 'service-unavailable');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.text).not.toContain('5432');
  });

  it('carries domain extensions such as an existing registration number', async () => {
    const res = await call(app, 'GET', '/conflict');
    expectProblem(res, 409, 'conflict');
    expect(res.body.registrationNumber).toBe('00000000019');
  });

  it('serves health, readiness, the OpenAPI document with declared access, and docs', async () => {
    expect((await call(app, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call(app, 'GET', '/readyz')).body).toEqual({ status: 'ready' });
    const doc = (await call(app, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/echo'].post['x-access']).toEqual(['ministry_officer']);
    expect(doc.paths['/v1/echo'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/v1/open'].get['x-access']).toBe('public');
    const docs = await call(app, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/docs/init.js');
    expect((await call(app, 'GET', '/docs/init.js')).text).toContain("url: '/openapi.json'");
    const assets = await app.request('/docs/swagger-ui-bundle.js');
    expect(assets.status).toBe(200);
  });

  it('answers 503 from /readyz when the database is gone', async () => {
    const broken = createApiApp({
      title: 'Broken',
      version: '0',
      description: 'x',
      ...ctx.deps,
      readiness: async () => {
        throw new Error('connection refused');
      },
    });
    expectProblem(await call(broken, 'GET', '/readyz'), 503, 'service-unavailable');
  });
});
