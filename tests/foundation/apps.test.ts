import { createApp as createEmployerApi } from '@g2g/employer-api';
import { type ApiApp, type AppDeps, PROBLEM_CONTENT_TYPE } from '@g2g/http';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { createApp as createMinistryApi } from '@g2g/ministry-api';
import { createApp as createRegistrationApi } from '@g2g/registration-api';
import { TEST_ID_HASH_SECRET } from '@g2g/registration-api/testing';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ctx: TestContext;
const apps: Record<string, (deps: AppDeps) => ApiApp> = {
  'registration-api': (deps) => createRegistrationApi({ ...deps, idHashSecret: TEST_ID_HASH_SECRET }),
  'employer-api': createEmployerApi,
  'ministry-api': createMinistryApi,
};

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

type Operation = {
  'x-access'?: 'public' | string[];
  security?: unknown[];
  responses?: Record<string, unknown>;
};

describe.each(Object.entries(apps))('%s', (_name, create) => {
  let app: ApiApp;
  beforeAll(() => {
    app = create(ctx.deps);
  });

  it('publishes an OpenAPI 3.1 document that passes a standard validator', async () => {
    const res = await call(app, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('declares who may call every operation, and protects every non-public one with a bearer token', async () => {
    const doc = (await call(app, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) {
      expect(op['x-access']).toBeDefined();
      if (op['x-access'] !== 'public') {
        expect(op.security).toEqual([{ bearerAuth: [] }]);
        expect(Object.keys(op.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('answers errors as problem+json: unknown route, missing token, wrong role', async () => {
    const checks = [
      { res: await call(app, 'GET', '/v1/no-such-thing'), status: 404 },
      { res: await call(app, 'GET', '/v1/whoami'), status: 401 },
      { res: await call(app, 'GET', '/v1/whoami', { token: 'not-a-jwt' }), status: 401 },
      { res: await call(app, 'POST', '/v1/whoami', { rawBody: '{' }), status: 404 },
    ];
    for (const { res, status } of checks) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
      expect(res.body).toMatchObject({
        status,
        type: expect.stringMatching(/^urn:g2g:problem:/),
        requestId: expect.any(String),
      });
    }
  });

  it('serves health, readiness and the docs page without a token', async () => {
    expect((await call(app, 'GET', '/healthz')).status).toBe(200);
    expect((await call(app, 'GET', '/readyz')).body).toEqual({ status: 'ready' });
    expect((await call(app, 'GET', '/docs')).status).toBe(200);
  });

  it('tells a token holder who they are', async () => {
    const token = await ctx.token('centre_operator', { centre: 'U1414', sub: 'op-1' });
    const res = await call(app, 'GET', '/v1/whoami', { token });
    expect(res.body).toEqual({
      sub: 'op-1',
      roles: ['centre_operator'],
      actingAs: 'centre_operator',
      centre: 'U1414',
      employer: null,
    });
  });
});
