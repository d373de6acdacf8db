import { randomUUID } from 'node:crypto';
import { AppError } from '@g2g/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainAllAuditEvents, listAuditLog } from './audit.ts';
import {
  demandSummary,
  findWindowAgeLimits,
  listApprovedDemandForScheme,
  transitionDemandOrder,
} from './demand-orders.ts';
import { type ActingContext, changeEmployerStatus } from './employers.ts';
import { allocatePlacements, demandFillFor, recordPlacementStage, recordReplacement } from './placements.ts';
import {
  committeeContext,
  createTestDatabase,
  employerContext,
  nextYear,
  registrationNumbers,
  seedDemandOrder,
  seedEmployer,
  seedScheme,
  type TestDatabase,
} from './testing/index.ts';

let database: TestDatabase;
const officer: ActingContext = { actor: { sub: 'officer-1', role: 'ministry_officer' }, at: new Date() };
const committee = { role: 'committee' as const };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedScheme(database.db);
  await seedEmployer(database.db, 'felda');
  await seedEmployer(database.db, 'sime');
});
afterAll(() => database.close());

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const allocate = (rows: Parameters<typeof allocatePlacements>[1]) =>
  database.db.transaction().execute((trx) => allocatePlacements(trx, rows, officer));

const rowsFor = (demandOrderId: string, numbers: string[], drawId: string | null = 'draw-1') =>
  numbers.map((registrationNumber) => ({ demandOrderId, registrationNumber, drawId }));

const placementCount = async (demandOrderId: string) =>
  Number(
    (
      await database.db
        .selectFrom('placements')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('demand_order_id', '=', demandOrderId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('allocatePlacements', () => {
  it('allocates workers up to the approved number, all or nothing, audited per order', async () => {
    const order = await seedDemandOrder(database.db, { employerId: 'felda', workersApproved: 5 });
    const created = await allocate(rowsFor(order.id, registrationNumbers(3, 100)));
    expect(created.map((p) => p.stage)).toEqual(['selected', 'selected', 'selected']);
    const over = await rejection(allocate(rowsFor(order.id, registrationNumbers(3, 200))));
    expect(over.code).toBe('conflict');
    expect(over.extensions?.openVacancies).toBe(2);
    expect(await placementCount(order.id)).toBe(3);
    await allocate(rowsFor(order.id, registrationNumbers(2, 200)));
    expect(await placementCount(order.id)).toBe(5);
    await chainAllAuditEvents(database.db);
    const events = await listAuditLog(database.db, {
      limit: 10,
      entityType: 'demand_order',
      entityId: order.id,
    });
    expect(events.filter((e) => e.action === 'placement.allocate').map((e) => e.details.count)).toEqual([
      3, 2,
    ]);
  });

  it('refuses orders that are not approved and orders of a suspended employer', async () => {
    const submitted = await seedDemandOrder(database.db, { employerId: 'felda', upTo: 'submitted' });
    expect(
      (await rejection(allocate(rowsFor(submitted.id, registrationNumbers(1, 300))))).extensions
        ?.currentState,
    ).toBe('submitted');
    await seedEmployer(database.db, 'suspended-co');
    const held = await seedDemandOrder(database.db, { employerId: 'suspended-co' });
    await database.db
      .transaction()
      .execute((trx) =>
        changeEmployerStatus(trx, 'suspended-co', { type: 'suspend', reason: 'Inquiry' }, committeeContext()),
      );
    expect(
      (await rejection(allocate(rowsFor(held.id, registrationNumbers(1, 310))))).extensions?.employerStatus,
    ).toBe('suspended');
    const missing = await rejection(allocate(rowsFor(randomUUID(), registrationNumbers(1, 320))));
    expect(missing.code).toBe('not-found');
  });

  it('refuses a worker already on the way to an order, a bad registration number, a worker listed twice', async () => {
    const a = await seedDemandOrder(database.db, { employerId: 'felda' });
    const b = await seedDemandOrder(database.db, { employerId: 'sime' });
    const [worker] = registrationNumbers(1, 400);
    await allocate(rowsFor(a.id, [worker!]));
    const twice = await rejection(allocate(rowsFor(b.id, [worker!, ...registrationNumbers(1, 401)])));
    expect(twice.code).toBe('conflict');
    expect(twice.extensions?.registrationNumbers).toEqual([worker]);
    expect(await placementCount(b.id)).toBe(0);
    const bad = await rejection(allocate(rowsFor(b.id, ['1234', worker!, worker!])));
    expect(bad.errors?.map((e) => e.pointer)).toEqual([
      '/placements/0/registrationNumber',
      '/placements/2/registrationNumber',
    ]);
  });

  it('is backed by a trigger: a direct insert beyond the approved number or into a draft fails', async () => {
    const order = await seedDemandOrder(database.db, { employerId: 'felda', workersApproved: 1 });
    const draft = await seedDemandOrder(database.db, { employerId: 'felda', upTo: 'draft' });
    const insert = (id: string, numbers: string[]) =>
      database.db
        .insertInto('placements')
        .values(
          numbers.map((n) => ({
            demand_order_id: id,
            registration_number: n,
            stage: 'selected',
            selected_at: new Date(),
            updated_at: new Date(),
          })),
        )
        .execute();
    await expect(insert(order.id, registrationNumbers(2, 500))).rejects.toMatchObject({ code: '23514' });
    await expect(insert(draft.id, registrationNumbers(1, 510))).rejects.toMatchObject({ code: '23514' });
    await insert(order.id, registrationNumbers(1, 520));
    expect(await placementCount(order.id)).toBe(1);
  });
});

describe('stages, replacements and fill', () => {
  it('counts the fill from the placements exactly, and frees a vacancy on dropout for a replacement', async () => {
    const order = await seedDemandOrder(database.db, { employerId: 'felda', workersApproved: 6 });
    const placed = await allocate(rowsFor(order.id, registrationNumbers(6, 600)));
    const [p0, p1, p2, p3, p4] = placed.map((p) => p.id) as [string, string, string, string, string];
    const step = (id: string, command: Parameters<typeof recordPlacementStage>[3], ctx = officerCtx) =>
      database.db.transaction().execute((trx) => recordPlacementStage(trx, order.id, id, command, ctx));
    const officerCtx = { ...officer };
    await step(p0, { type: 'medical', result: 'passed' });
    await step(p0, { type: 'visa' });
    await step(p0, { type: 'departure' });
    await step(p0, { type: 'arrival' }, employerContext('felda'));
    await step(p1, { type: 'medical', result: 'failed' });
    await step(p2, { type: 'medical', result: 'passed' });
    await step(p3, { type: 'dropout', reason: 'withdrew' });
    // Another employer cannot record an arrival on this order's placements.
    expect((await rejection(step(p4, { type: 'arrival' }, employerContext('sime')))).code).toBe('not-found');

    const before = await demandFillFor(database.db, order.id, committee, { limit: 100 });
    expect(before.fill).toMatchObject({
      workersApproved: 6,
      stages: {
        selected: 2,
        medical_passed: 1,
        medical_failed: 1,
        visa_issued: 0,
        departed: 0,
        arrived: 1,
        dropped_out: 1,
      },
      allocated: 6,
      active: 4,
      openVacancies: 2,
    });
    expect(before.placements.map((p) => p.registrationNumber)).toEqual(registrationNumbers(6, 600));

    const [worker] = registrationNumbers(1, 700);
    const replaced = await database.db
      .transaction()
      .execute((trx) =>
        recordReplacement(
          trx,
          { dropped: p3, replacement: { registrationNumber: worker!, drawId: 'draw-1' } },
          officer,
        ),
      );
    expect(replaced.dropped.replacedBy).toBe(replaced.replacement.id);
    expect(replaced.replacement).toMatchObject({
      replaces: p3,
      stage: 'selected',
      registrationNumber: worker,
    });
    // Each failed or dropped placement is replaced once; an active one not at all.
    const again = () =>
      database.db
        .transaction()
        .execute((trx) =>
          recordReplacement(
            trx,
            { dropped: p3, replacement: { registrationNumber: '20139999999', drawId: null } },
            officer,
          ),
        );
    expect((await rejection(again())).extensions?.replacedBy).toBe(replaced.replacement.id);
    const active = () =>
      database.db
        .transaction()
        .execute((trx) =>
          recordReplacement(
            trx,
            { dropped: p2, replacement: { registrationNumber: '20139999998', drawId: null } },
            officer,
          ),
        );
    expect((await rejection(active())).extensions?.currentState).toBe('medical_passed');

    const after = await demandFillFor(database.db, order.id, committee, { limit: 100 });
    const rows = await database.db
      .selectFrom('placements')
      .select('stage')
      .where('demand_order_id', '=', order.id)
      .execute();
    const active2 = rows.filter((r) => !['medical_failed', 'dropped_out'].includes(r.stage)).length;
    expect(after.fill.allocated).toBe(rows.length);
    expect(after.fill.active).toBe(active2);
    expect(after.fill.openVacancies).toBe(6 - active2);
    expect(after.fill.openVacancies).toBe(1);
  });
});

describe('what other apps read', () => {
  it('lists the approved demand of a scheme with its eligibility and vacancies, in approval order', async () => {
    const scheme = 'g2g-plus-2016';
    await seedScheme(database.db, {
      id: scheme,
      name: 'G2G Plus 2016',
      originCountry: 'BD',
      destinationCountry: 'MY',
      wageCurrency: 'MYR',
      rules: {
        sectors: ['plantation', 'services'],
        minMonthlyWageMinor: 100000n,
        maxContractMonths: 36,
        minAge: 18,
        maxAge: 45,
      },
    });
    const first = await seedDemandOrder(database.db, {
      employerId: 'felda',
      schemeId: scheme,
      workersApproved: 4,
    });
    const second = await seedDemandOrder(database.db, {
      employerId: 'sime',
      schemeId: scheme,
      terms: { sector: 'services', gender: 'female', ageRange: { min: 20, max: 35 }, workersRequested: 3 },
    });
    await seedDemandOrder(database.db, { employerId: 'felda', schemeId: scheme, upTo: 'submitted' });
    await allocate(rowsFor(first.id, registrationNumbers(1, 800)));
    const listed = await listApprovedDemandForScheme(database.db, scheme);
    expect(listed).toEqual([
      expect.objectContaining({
        id: first.id,
        sector: 'plantation',
        gender: 'male',
        workersApproved: 4,
        activePlacements: 1,
        openVacancies: 3,
      }),
      expect.objectContaining({
        id: second.id,
        sector: 'services',
        gender: 'female',
        ageRange: { min: 20, max: 35 },
        workersApproved: 3,
        openVacancies: 3,
      }),
    ]);

    const summary = await demandSummary(database.db, { schemeId: scheme });
    expect(summary).toEqual([
      {
        schemeId: scheme,
        sector: 'plantation',
        gender: 'male',
        month: nextYear('09'),
        workersApproved: 4,
        workersPlaced: 1,
        openVacancies: 3,
      },
      {
        schemeId: scheme,
        sector: 'services',
        gender: 'female',
        month: nextYear('09'),
        workersApproved: 3,
        workersPlaced: 0,
        openVacancies: 3,
      },
    ]);
    // A closed order's vacancies leave the summary.
    await database.db
      .transaction()
      .execute((trx) =>
        transitionDemandOrder(
          trx,
          second.id,
          { type: 'close', outcome: 'cancelled', reason: 'Contract lost' },
          committeeContext(),
        ),
      );
    expect((await demandSummary(database.db, { schemeId: scheme })).map((r) => r.sector)).toEqual([
      'plantation',
    ]);
  });

  it('has a hook for the registration window age range that answers nothing until windows exist', async () => {
    expect(await findWindowAgeLimits(database.db, 'g2g-malaysia-2013')).toBeUndefined();
  });
});

describe('storage guarantees', () => {
  it('keeps versions append-only and an order pointing at an existing version', async () => {
    const order = await seedDemandOrder(database.db, { employerId: 'felda', upTo: 'draft' });
    await expect(
      sql`update demand_order_versions set job_title = 'x' where demand_order_id = ${order.id}`.execute(
        database.db,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from demand_order_versions where demand_order_id = ${order.id}`.execute(database.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`update demand_orders set version = 7 where id = ${order.id}`.execute(database.db),
    ).rejects.toMatchObject({
      code: '23503',
    });
  });
});
