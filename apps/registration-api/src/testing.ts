import type { StoredWindow } from '@g2g/db';
import type { ApiApp } from '@g2g/http';
import { createTestContext, type TestContext } from '@g2g/http/testing';
import type { RegistrationWindow } from '@g2g/registration';
import { syntheticWorker } from '@g2g/registration/testing';
import { createApp, type RegistrationApiDeps } from './app.ts';
import { G2G_2013_SCHEME_ID, seedSchemeAndWindow } from './fixtures.ts';

/** A fixed identity hash secret for tests (32 bytes). */
export const TEST_ID_HASH_SECRET = Buffer.alloc(32, 7);

export const TEST_SCHEME_ID = G2G_2013_SCHEME_ID;
export const TEST_WINDOW_ID = 'g2g-my-test';

export interface RegistrationTestContext extends TestContext {
  readonly app: ApiApp;
  readonly window: StoredWindow;
  /** An operator token for a centre (default U1414, in Dhaka division). */
  operator(centre?: string, sub?: string): Promise<string>;
}

/**
 * A test database with the G2G Malaysia 2013 scheme and a window open now in every division (ages
 * 18-45 on the day of registration, men and women, plantation/construction/manufacturing, Tk 50),
 * and the registration app over it.
 */
export async function createRegistrationTestContext(
  options: {
    poolSize?: number;
    deps?: Partial<RegistrationApiDeps>;
    window?: Partial<RegistrationWindow>;
  } = {},
): Promise<RegistrationTestContext> {
  const ctx = await createTestContext(options.poolSize === undefined ? {} : { poolSize: options.poolSize });
  const at = Date.now();
  const window = await seedSchemeAndWindow(ctx.db, {
    windowId: TEST_WINDOW_ID,
    windowName: 'Test window',
    opensAt: new Date(at - 86_400_000),
    closesAt: new Date(at + 7 * 86_400_000),
    ...(options.window ? { window: options.window } : {}),
  });
  const app = createApp({ ...ctx.deps, idHashSecret: TEST_ID_HASH_SECRET, ...options.deps });
  return {
    ...ctx,
    app,
    window,
    operator: (centre = 'U1414', sub = `operator-${centre}`) => ctx.token('centre_operator', { centre, sub }),
  };
}

/** A valid registration body for synthetic worker `i` in the test window. */
export function registrationFor(i: number, overrides: Record<string, unknown> = {}) {
  return {
    windowId: TEST_WINDOW_ID,
    ...syntheticWorker(i, { birthYearFrom: new Date().getUTCFullYear() - 44 }),
    ...overrides,
  };
}
