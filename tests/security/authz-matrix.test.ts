import { allocatePlacements } from '@g2g/db';
import { registrationNumbers, seedDemandOrder, seedEmployer, seedScheme } from '@g2g/db/testing';
import { type Role, roles } from '@g2g/domain';
import type { ApiApp } from '@g2g/http';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { seedSchemeAndWindow } from '@g2g/registration-api/fixtures';
import { registrationFor, TEST_WINDOW_ID } from '@g2g/registration-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appFactories,
  concretePath,
  type DeclaredOperation,
  declaredOperations,
  placeholderPathValues,
} from './routes.ts';

// Every route of every app x every kind of caller -> allowed or refused, derived from each route's
// own `access` declaration (published as x-access). A new route joins the matrix by existing; if it
// has path parameters it must also get an entry in `pathValues`, or this test fails.

const pathValues: Record<string, string> = {
  schemeId: 'matrix-scheme',
  employerId: 'emp-matrix-a',
  version: '1',
  ...placeholderPathValues,
};

/**
 * Path parameters that name something owned by one tenant: the resource belongs to employer
 * `emp-matrix-a` (or centre U0001); the same role scoped to another tenant must never get a 2xx.
 */
const ownedBy: Record<string, 'employer' | 'centre'> = {
  registrationNumber: 'centre',
  employerId: 'employer',
  demandId: 'employer',
  placementId: 'employer',
};

type Caller =
  | { kind: 'anonymous' }
  | { kind: 'expired'; role: Role }
  | { kind: 'wrong-audience'; role: Role }
  | { kind: 'role'; role: Role };

let ctx: TestContext;
let apps: Record<string, ApiApp>;
let operations: DeclaredOperation[];
const tokens = new Map<string, string>();

const scopeFor = (role: Role) => ({
  ...(role === 'centre_operator' ? { centre: 'U0001' } : {}),
  ...(role === 'employer' ? { employer: 'emp-matrix-a' } : {}),
});

beforeAll(async () => {
  ctx = await createTestContext();
  apps = Object.fromEntries(Object.entries(appFactories).map(([name, create]) => [name, create(ctx.deps)]));
  operations = await declaredOperations(apps);
  for (const role of roles) {
    tokens.set(`role:${role}`, await ctx.token(role, scopeFor(role)));
    tokens.set(
      `expired:${role}`,
      await ctx.token(role, { ...scopeFor(role), now: new Date(Date.now() - 48 * 3600_000) }),
    );
    tokens.set(`wrong-audience:${role}`, await ctx.token(role, { ...scopeFor(role), audience: 'urn:other' }));
  }
  // An approved employer with an approved order and one placement, for routes that name them.
  // A window open everywhere, and one registration made at centre U0001.
  await seedSchemeAndWindow(ctx.db, {
    windowId: TEST_WINDOW_ID,
    windowName: 'Matrix window',
    opensAt: new Date(Date.now() - 86_400_000),
    closesAt: new Date(Date.now() + 86_400_000),
  });
  pathValues.windowId = TEST_WINDOW_ID;
  const registered = await call(apps['registration-api']!, 'POST', '/v1/registrations', {
    token: tokens.get('role:centre_operator'),
    body: registrationFor(1),
  });
  expect(registered.status).toBe(201);
  pathValues.registrationNumber = registered.body.registrationNumber;
  await seedScheme(ctx.db);
  await seedEmployer(ctx.db, 'emp-matrix-a');
  const order = await seedDemandOrder(ctx.db, { employerId: 'emp-matrix-a' });
  const [placement] = await ctx.db
    .transaction()
    .execute((trx) =>
      allocatePlacements(
        trx,
        [{ demandOrderId: order.id, registrationNumber: registrationNumbers(1)[0]!, drawId: null }],
        { actor: { sub: 'officer-1', role: 'ministry_officer' }, at: new Date() },
      ),
    );
  pathValues.demandId = order.id;
  pathValues.placementId = placement!.id;
  for (const role of ['employer', 'centre_operator'] as const) {
    tokens.set(`other:${role}`, await ctx.token(role, { centre: 'U0002', employer: 'emp-matrix-b' }));
  }
  // A scheme for routes that take {schemeId}.
  const officer = tokens.get('role:ministry_officer')!;
  const res = await call(apps['ministry-api']!, 'POST', '/v1/schemes', {
    token: officer,
    body: {
      id: 'matrix-scheme',
      name: 'Matrix scheme',
      destinationCountry: 'MY',
      rules: {
        sectors: ['plantation'],
        minMonthlyWage: { amountMinor: 90000, currency: 'MYR' },
        maxContractMonths: 36,
        minAge: 18,
        maxAge: 45,
      },
    },
  });
  expect(res.status).toBe(201);
});
afterAll(() => ctx.close());

function callers(): Caller[] {
  return [
    { kind: 'anonymous' },
    ...roles.map((role) => ({ kind: 'role' as const, role })),
    ...roles.map((role) => ({ kind: 'expired' as const, role })),
    ...roles.map((role) => ({ kind: 'wrong-audience' as const, role })),
  ];
}

function tokenOf(caller: Caller): string | undefined {
  return caller.kind === 'anonymous' ? undefined : tokens.get(`${caller.kind}:${caller.role}`);
}

function expected(op: DeclaredOperation, caller: Caller): 'allowed' | 401 | 403 {
  if (op.access === 'public') return 'allowed';
  if (caller.kind !== 'role') return 401;
  return op.access.includes(caller.role) ? 'allowed' : 403;
}

describe('authorisation matrix', () => {
  it('covers every declared route, each with the values its path needs', () => {
    expect(operations.length).toBeGreaterThan(5);
    for (const op of operations) expect(() => concretePath(op.path, pathValues)).not.toThrow();
  });

  it('lets exactly the declared roles through every route, and refuses bad tokens', async () => {
    const mismatches: string[] = [];
    for (const op of operations) {
      const path = concretePath(op.path, pathValues);
      for (const caller of callers()) {
        const want = expected(op, caller);
        const res = await call(apps[op.app]!, op.method, path, {
          token: tokenOf(caller),
          ...(op.hasBody ? { body: {} } : {}),
        });
        const got = res.status === 401 || res.status === 403 ? res.status : 'allowed';
        if (got !== want) {
          const who = caller.kind === 'anonymous' ? 'anonymous' : `${caller.kind} ${caller.role}`;
          mismatches.push(`${op.key} as ${who}: expected ${want}, got ${res.status}`);
        }
        expect(res.status).toBeLessThan(500);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("never gives one tenant's role another tenant's resources", async () => {
    const leaks: string[] = [];
    for (const op of operations) {
      const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const owner = params.map((p) => ownedBy[p]).find((o) => o !== undefined);
      if (!owner || op.access === 'public') continue;
      const role = owner === 'employer' ? 'employer' : 'centre_operator';
      if (!op.access.includes(role)) continue;
      const res = await call(apps[op.app]!, op.method, concretePath(op.path, pathValues), {
        token: tokens.get(`other:${role}`),
        ...(op.hasBody ? { body: {} } : {}),
      });
      // 400 means the body was refused before any lookup, so it reveals nothing about the resource.
      if (res.status < 400) leaks.push(`${op.key} as another ${role}: ${res.status}`);
    }
    expect(leaks).toEqual([]);
  });
});
