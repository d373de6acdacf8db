import { sql } from '@g2g/db';
import { type ApiApp, PROBLEM_CONTENT_TYPE } from '@g2g/http';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileBodyFor, hostileRawBodies, hostileScalar, nastyStrings } from './hostile.ts';
import { appFactories, type DeclaredOperation, declaredOperations } from './routes.ts';

// Property-based fuzzing of every route's JSON body, query string and path parameters, as a caller
// the route admits: the answer is always a 4xx problem+json (or a 2xx for input that happens to be
// valid), never a 5xx, and a refused request writes nothing (every write is audited, so the audit
// log must not grow).

let ctx: TestContext;
let apps: Record<string, ApiApp>;
let operations: DeclaredOperation[];
let documents: Record<
  string,
  {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    components?: { schemas?: Record<string, unknown> };
  }
>;
const tokens = new Map<string, string>();
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

beforeAll(async () => {
  ctx = await createTestContext();
  apps = Object.fromEntries(Object.entries(appFactories).map(([name, create]) => [name, create(ctx.deps)]));
  operations = await declaredOperations(apps);
  documents = Object.fromEntries(
    await Promise.all(
      Object.entries(apps).map(async ([name, app]) => [name, (await call(app, 'GET', '/openapi.json')).body]),
    ),
  );
  for (const op of operations) {
    if (op.access === 'public') continue;
    const role = op.access[0] as Parameters<TestContext['token']>[0];
    if (!tokens.has(role as string)) {
      tokens.set(role as string, await ctx.token(role, { centre: 'U0001', employer: 'emp-fuzz' }));
    }
  }
});
afterAll(() => ctx.close());

function tokenFor(op: DeclaredOperation) {
  return op.access === 'public' ? undefined : tokens.get(op.access[0]!);
}

async function auditCount() {
  const { rows } = await sql<{ n: string }>`select count(*) as n from audit_events`.execute(ctx.db);
  return Number(rows[0]?.n);
}

async function expectSafe(res: { status: number; headers: Headers }, before: number, what: string) {
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), what).toBe(PROBLEM_CONTENT_TYPE);
    expect(await auditCount(), `${what} wrote something`).toBe(before);
  }
}

/** Percent-encodes like encodeURIComponent, but sends lone surrogates as raw invalid bytes too. */
function encodeLoosely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return (
      [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') + '%ED%A0%80'
    );
  }
}

function pathWith(template: string, value: string) {
  return template.replace(/\{[^}]+\}/g, encodeLoosely(value));
}

describe('hostile input', () => {
  it('never breaks a JSON body', async () => {
    for (const op of operations.filter((o) => o.hasBody)) {
      const doc = documents[op.app]!;
      const schema =
        doc.paths[op.path]?.[op.method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
      const path = pathWith(op.path, 'fuzz-target');
      await fc.assert(
        fc.asyncProperty(
          hostileBodyFor(schema as never, (doc.components?.schemas ?? {}) as never),
          async (body) => {
            const before = await auditCount();
            const res = await call(apps[op.app]!, op.method, path, { token: tokenFor(op), body });
            await expectSafe(res, before, `${op.key} ${JSON.stringify(body).slice(0, 200)}`);
          },
        ),
        { numRuns: RUNS, seed: 20130114 },
      );
      for (const raw of hostileRawBodies) {
        const before = await auditCount();
        const res = await apps[op.app]!.request(path, {
          method: op.method,
          headers: {
            'content-type': 'application/json',
            ...(tokenFor(op) ? { authorization: `Bearer ${tokenFor(op)}` } : {}),
          },
          body: raw,
        });
        await expectSafe(res, before, `${op.key} raw body`);
      }
    }
  });

  it('never breaks a query string or a path parameter', async () => {
    const text = fc.oneof(
      fc.constantFrom(...nastyStrings),
      hostileScalar.map((v) => String(v).slice(0, 5000)),
    );
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(text, text, async (a, b) => {
          const query = new URLSearchParams();
          for (const name of op.queryParams) query.set(name, a);
          query.set('unexpected', b);
          const path = `${pathWith(op.path, a)}?${query.toString()}`;
          const before = await auditCount();
          const res = await call(apps[op.app]!, op.method, path, {
            token: tokenFor(op),
            ...(op.hasBody ? { body: {} } : {}),
          });
          await expectSafe(res, before, `${op.key} ${path.slice(0, 200)}`);
        }),
        { numRuns: RUNS, seed: 20130115 },
      );
    }
  });
});
