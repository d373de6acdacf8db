import { money } from '@g2g/domain';
import { resolveSchedule } from '@g2g/registration';
import { type Kysely, sql } from 'kysely';
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
