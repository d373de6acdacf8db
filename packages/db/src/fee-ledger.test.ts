import { costCategories } from '@g2g/fees';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewFeeEntry, postFeeEntry } from './fee-ledger.ts';
import { createPolicyVersion } from './fee-reference.ts';
import { allocatePlacements } from './placements.ts';
import {
  createTestDatabase,
  seedDemandOrder,
  seedEmployer,
  seedFeePolicy,
  seedFeeWorkers,
  type TestDatabase,
} from './testing/index.ts';

// A cap of "one month of the contract wage": the wage comes from the worker's placement (the demand
// order's current terms), converted at the rate of the latest value date.
let database: TestDatabase;
const PLACED = '20130000401';
const UNPLACED = '20130000402';
const officer = { actor: { sub: 'officer-1', role: 'ministry_officer' as const }, at: new Date() };

beforeAll(async () => {
  database = await createTestDatabase();
  const { schemeId } = await seedFeePolicy(database.db);
  await seedFeeWorkers(database.db, [PLACED, UNPLACED]);
  await database.db.transaction().execute((trx) =>
    createPolicyVersion(
      trx,
      schemeId,
      {
        id: 'g2g-2014-wage',
        currency: 'BDT',
        matchWindowDays: 14,
        effectiveFrom: '2014-01-01',
        effectiveTo: null,
        cap: { kind: 'wage_months', months: 1 },
        categories: Object.fromEntries(
          costCategories.map((c) => [c, { kind: 'worker_may_pay', limit: null }]),
        ) as never,
      },
      officer,
    ),
  );
  await seedEmployer(database.db, 'emp-wage');
  const order = await seedDemandOrder(database.db, { employerId: 'emp-wage' });
  await database.db
    .transaction()
    .execute((trx) =>
      allocatePlacements(
        trx,
        [{ demandOrderId: order.id, registrationNumber: PLACED, drawId: null }],
        officer,
      ),
    );
});
afterAll(() => database.close());

const payment = (registrationNumber: string, taka: number, valueDate: string): NewFeeEntry => ({
  kind: 'payment',
  registrationNumber,
  category: 'airfare',
  amount: { amountMinor: BigInt(taka) * 100n, currency: 'BDT' },
  payer: 'worker',
  payee: { kind: 'registered', registryId: 'BOESL' },
  valueDate,
  receiptRef: `R-${registrationNumber}-${valueDate}`,
  source: 'official_receipt',
});

describe('a wage-based cap', () => {
  it("is one month of the placement's wage, converted at the rate of the latest value date", async () => {
    const r = await database.db
      .transaction()
      .execute((trx) => postFeeEntry(trx, payment(PLACED, 23_000, '2014-02-01'), officer));
    // RM 1,000.00 x 25.4567 = Tk 25,456.70
    expect(r.position.cap).toMatchObject({
      policyVersionId: 'g2g-2014-wage',
      amount: { amountMinor: 2_545_670n },
    });
    expect(r.position.status).toBe('near_cap');
    const over = await database.db
      .transaction()
      .execute((trx) => postFeeEntry(trx, payment(PLACED, 3_000, '2014-02-02'), officer));
    expect(over.raised.map((f) => f.kind)).toEqual(['over_cap']);
  });

  it('refuses a posting under it for a worker with no placement (no wage to apply)', async () => {
    await expect(
      database.db
        .transaction()
        .execute((trx) => postFeeEntry(trx, payment(UNPLACED, 1_000, '2014-02-01'), officer)),
    ).rejects.toMatchObject({ code: 'rule-violated', extensions: { reason: 'wage-missing' } });
  });
});
