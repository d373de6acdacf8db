import { AppError } from '@g2g/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocatePlacements, demandFillFor } from './placements.ts';
import {
  createTestDatabase,
  registrationNumbers,
  seedDemandOrder,
  seedEmployer,
  seedScheme,
  type TestDatabase,
} from './testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 8 });
  await seedScheme(database.db);
  await seedEmployer(database.db, 'felda');
});
afterAll(() => database.close());

describe('concurrent allocation (PostgreSQL, several connections)', () => {
  it('never places more workers on an order than were approved', async () => {
    const order = await seedDemandOrder(database.db, { employerId: 'felda', workersApproved: 10 });
    const ctx = { actor: { sub: 'officer-1', role: 'ministry_officer' as const }, at: new Date() };
    // Eight draws race to put three workers each on a ten-worker order.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        database.db.transaction().execute((trx) =>
          allocatePlacements(
            trx,
            registrationNumbers(3, 1000 + i * 10).map((registrationNumber) => ({
              demandOrderId: order.id,
              registrationNumber,
              drawId: `draw-${i}`,
            })),
            ctx,
          ),
        ),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toBe(3);
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
      expect(((r as PromiseRejectedResult).reason as AppError).code).toBe('conflict');
    }
    const { fill } = await demandFillFor(database.db, order.id, { role: 'committee' }, { limit: 100 });
    expect(fill).toMatchObject({ allocated: 9, active: 9, openVacancies: 1 });
  });

  it('is held by the trigger too: concurrent direct inserts never exceed the approved number', async () => {
    const order = await seedDemandOrder(database.db, { employerId: 'felda', workersApproved: 10 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        database.db
          .insertInto('placements')
          .values(
            registrationNumbers(3, 2000 + i * 10).map((registration_number) => ({
              demand_order_id: order.id,
              registration_number,
              stage: 'selected',
              selected_at: new Date(),
              updated_at: new Date(),
            })),
          )
          .execute(),
      ),
    );
    for (const r of outcomes.filter((o) => o.status === 'rejected')) {
      expect(((r as PromiseRejectedResult).reason as { code?: string }).code).toBe('23514');
    }
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const { fill } = await demandFillFor(database.db, order.id, { role: 'committee' }, { limit: 100 });
    expect(fill.active).toBe(9);
  });
});
