import { allocatePlacements } from '@g2g/db';
import { nextYear, registrationNumbers, seedEmployer, seedScheme } from '@g2g/db/testing';
import type { DemandStatus } from '@g2g/demand';
import { call, createTestContext, type TestContext } from '@g2g/http/testing';
import { expect } from 'vitest';
import { createApp } from '../app.ts';

/** The callers of the demand tests: two employers, the committee, and every other role. */
export interface Callers {
  readonly owner: string;
  readonly otherEmployer: string;
  readonly committee: string;
  readonly ministry_officer: string;
  readonly auditor: string;
  readonly witness: string;
  readonly centre_operator: string;
}

export interface DemandTestKit {
  readonly ctx: TestContext;
  readonly app: ReturnType<typeof createApp>;
  readonly tokens: Callers;
  /** Files an order as `owner` (or the given token) and takes it to `status`. */
  orderIn(
    status: DemandStatus,
    options?: { token?: string; body?: Record<string, unknown> },
  ): Promise<string>;
  /** Allocates `n` fresh workers to an approved order (what a draw does). */
  allocate(demandId: string, n: number): Promise<string[]>;
  close(): Promise<void>;
}

/** A valid demand order body under the sample scheme (g2g-malaysia-2013, MYR, 18-45, RM 900, 36 months). */
export function demandBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemeId: 'g2g-malaysia-2013',
    sector: 'plantation',
    jobTitle: 'Oil palm harvester',
    trade: 'harvesting',
    requiredSkills: ['harvesting'],
    workersRequested: 4,
    gender: 'male',
    ageRange: { min: 21, max: 40 },
    monthlyWage: { amountMinor: 100000, currency: 'MYR' },
    contractMonths: 36,
    workLocation: 'Ladang Sungai Buloh, Selangor',
    accommodation: {
      provided: true,
      monthlyDeduction: { amountMinor: 5000, currency: 'MYR' },
      terms: 'Shared quarters',
    },
    food: { provided: false, monthlyDeduction: { amountMinor: 0, currency: 'MYR' }, terms: 'Not provided' },
    expectedStartDate: nextYear('09-01'),
    ...overrides,
  };
}

let nextWorker = 1;

/**
 * A test database with the sample scheme and two approved employers (`felda`, `sime`), the app over
 * it, and a token per caller. Each test file calls this once.
 */
export async function demandTestKit(): Promise<DemandTestKit> {
  const ctx = await createTestContext();
  const app = createApp(ctx.deps);
  await seedScheme(ctx.db);
  await seedEmployer(ctx.db, 'felda');
  await seedEmployer(ctx.db, 'sime');
  const tokens: Callers = {
    owner: await ctx.token('employer', { employer: 'felda', sub: 'felda-user' }),
    otherEmployer: await ctx.token('employer', { employer: 'sime', sub: 'sime-user' }),
    committee: await ctx.token('committee', { sub: 'committee-1' }),
    ministry_officer: await ctx.token('ministry_officer', { sub: 'officer-1' }),
    auditor: await ctx.token('auditor', { sub: 'auditor-1' }),
    witness: await ctx.token('witness', { sub: 'witness-1' }),
    centre_operator: await ctx.token('centre_operator', { centre: 'U1414', sub: 'operator-1' }),
  };
  const ok = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await call(app, method, path, { token, ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res.body;
  };
  const allocate = async (demandId: string, n: number) => {
    const numbers = registrationNumbers(n, nextWorker);
    nextWorker += n;
    const placed = await ctx.db.transaction().execute((trx) =>
      allocatePlacements(
        trx,
        numbers.map((registrationNumber) => ({
          demandOrderId: demandId,
          registrationNumber,
          drawId: 'draw-1',
        })),
        { actor: { sub: 'officer-1', role: 'ministry_officer' }, at: new Date() },
      ),
    );
    return placed.map((p) => p.id);
  };
  const orderIn: DemandTestKit['orderIn'] = async (status, options = {}) => {
    const token = options.token ?? tokens.owner;
    const { id } = await ok('POST', '/v1/demands', token, demandBody(options.body));
    if (status === 'draft') return id;
    if (status === 'closed') {
      await ok('POST', `/v1/demands/${id}/close`, token, {
        outcome: 'cancelled',
        reason: 'No longer needed',
      });
      return id;
    }
    await ok('POST', `/v1/demands/${id}/submit`, token);
    if (status === 'submitted') return id;
    if (status === 'rejected') {
      await ok('POST', `/v1/demands/${id}/reject`, tokens.committee, { reason: 'Terms unclear' });
      return id;
    }
    // Approved for 2 of the 4 requested, and fully allocated (so that it can be closed as filled).
    await ok('POST', `/v1/demands/${id}/approve`, tokens.committee, { workersApproved: 2 });
    await allocate(id, 2);
    return id;
  };
  return { ctx, app, tokens, orderIn, allocate, close: () => ctx.close() };
}
