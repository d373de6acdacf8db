import { money } from '@g2g/domain';
import { type CategoryRule, type CostCategory, costCategories } from '@g2g/fees';
import { resolveSchedule } from '@g2g/registration';
import { type Kysely, sql } from 'kysely';
import { createPayee, createPolicyVersion, recordExchangeRate } from '../fee-reference.ts';
import { geography } from '../geography.ts';
import type { Database } from '../types.ts';
import { createWindow, findWindow } from '../windows.ts';
import { seedScheme } from './demand.ts';

/**
 * Fee-ledger fixtures. A "worker" is a registration whose status is 'selected' (set by the draws on
 * publication or promotion); fee tests make such registrations directly, without a draw.
 */
export const FEE_TEST_WINDOW_ID = 'g2g-my-fees';

/** The sample scheme and a closed window under it (idempotent). */
export async function seedFeeWindow(db: Kysely<Database>): Promise<{ schemeId: string; windowId: string }> {
  const scheme = await seedScheme(db);
  if (!(await findWindow(db, FEE_TEST_WINDOW_ID))) {
    const { divisionIds } = await geography(db);
    const actor = { sub: 'officer-1', role: 'ministry_officer' as const };
    await db.transaction().execute((trx) =>
      createWindow(
        trx,
        {
          id: FEE_TEST_WINDOW_ID,
          schemeId: scheme.id,
          name: 'Fee test window',
          sectors: ['plantation'],
          schedule: resolveSchedule(
            { opensAt: new Date('2013-01-12T03:00:00Z'), closesAt: new Date('2013-01-20T12:00:00Z') },
            [],
            divisionIds,
          ),
          eligibility: {
            minAge: 18,
            maxAge: 45,
            ageReferenceDate: null,
            genders: ['male', 'female'],
            citizenship: 'BD',
          },
          serviceCharge: money(5000, 'BDT'),
        },
        { actor, at: new Date() },
      ),
    );
  }
  return { schemeId: scheme.id, windowId: FEE_TEST_WINDOW_ID };
}

/**
 * Inserts registrations `numbers` under the fee test window with the given status (default
 * 'selected'), date of birth 1990-03-14 and mobile +88017000xxxxx; existing numbers get the status.
 */
export async function seedFeeWorkers(
  db: Kysely<Database>,
  numbers: readonly string[],
  options: { status?: string; unionId?: number } = {},
): Promise<void> {
  await seedFeeWindow(db);
  const status = options.status ?? 'selected';
  const unionId =
    options.unionId ?? (await sql<{ id: number }>`select min(id) as id from unions`.execute(db)).rows[0]!.id;
  for (const n of numbers) {
    await sql`
      insert into registrations (registration_number, window_id, centre_union_id, permanent_union_id, id_kind,
        id_hash, id_last4, name_en, name_bn, gender, date_of_birth, mobile, preferred_sectors, education,
        status, channel, registered_at, registered_by)
      values (${n}, ${FEE_TEST_WINDOW_ID}, ${unionId}, ${unionId}, 'nid', sha256(convert_to(${n}::text, 'UTF8')), '1234',
        'Test Worker', 'পরীক্ষা কর্মী', 'male', '1990-03-14', ${`+88017${n.slice(-8)}`}, '{plantation}', 'ssc',
        ${status}, 'online', '2013-01-15T04:00:00Z', 'operator-1')
      on conflict (registration_number) do update set status = excluded.status
    `.execute(db);
  }
}

const officerContext = () => ({
  actor: { sub: 'officer-1', role: 'ministry_officer' as const },
  at: new Date(),
});
const mayPay = { kind: 'worker_may_pay' as const, limit: null };

/**
 * The 2013 fee policy of the sample scheme (cap Tk 40,000 from 2013-01-01; registration charge at
 * most Tk 50; recruitment, visa and work-permit levy employer-only), USD->BDT 78.50 and MYR->BDT
 * 25.4567 from 2013-01-01, and payees MC-1 (licensed medical centre) and BOESL (government office).
 */
export async function seedFeePolicy(
  db: Kysely<Database>,
  options: { capTaka?: number } = {},
): Promise<{ schemeId: string }> {
  const { schemeId } = await seedFeeWindow(db);
  const tk = (taka: number) => ({ amountMinor: BigInt(taka) * 100n, currency: 'BDT' as const });
  await db.transaction().execute(async (trx) => {
    await createPolicyVersion(
      trx,
      schemeId,
      {
        id: 'g2g-2013',
        currency: 'BDT',
        matchWindowDays: 14,
        effectiveFrom: '2013-01-01',
        effectiveTo: null,
        cap: { kind: 'fixed', amount: tk(options.capTaka ?? 40_000) },
        categories: {
          ...(Object.fromEntries(costCategories.map((c) => [c, mayPay])) as Record<
            CostCategory,
            CategoryRule
          >),
          registration_service_charge: { kind: 'worker_may_pay', limit: tk(50) },
          recruitment_service_charge: { kind: 'employer_only' },
          visa: { kind: 'employer_only' },
          work_permit_levy: { kind: 'employer_only' },
        },
      },
      officerContext(),
    );
    for (const [base, rate] of [
      ['USD', '78.50'],
      ['MYR', '25.4567'],
    ] as const) {
      await recordExchangeRate(
        trx,
        { base, quote: 'BDT', rate, date: '2013-01-01', source: 'Bangladesh Bank' },
        officerContext(),
      );
    }
    await createPayee(
      trx,
      {
        registryId: 'MC-1',
        kind: 'medical_centre',
        name: 'Gulshan Medical Centre',
        licences: [{ number: 'GAMCA-77', validFrom: '2013-01-01', validTo: null }],
      },
      officerContext(),
    );
    await createPayee(
      trx,
      { registryId: 'BOESL', kind: 'government_office', name: 'BOESL', licences: [] },
      officerContext(),
    );
  });
  return { schemeId };
}
