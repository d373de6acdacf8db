import {
  createScheme,
  createWindow,
  type Database,
  geography,
  type Kysely,
  type StoredWindow,
} from '@g2g/db';
import { money } from '@g2g/domain';
import { type RegistrationWindow, resolveSchedule } from '@g2g/registration';

export const G2G_2013_SCHEME_ID = 'g2g-malaysia-2013';

/**
 * The G2G Malaysia 2013 scheme and one registration window, open in every division from `opensAt`
 * to `closesAt` (ages 18-45 on the day of registration, men and women, plantation, construction and
 * manufacturing, Tk 50), for tests, the benchmark and demos. `window` overrides any of it.
 */
export async function seedSchemeAndWindow(
  db: Kysely<Database>,
  options: {
    windowId: string;
    windowName: string;
    opensAt: Date;
    closesAt: Date;
    window?: Partial<RegistrationWindow>;
  },
): Promise<StoredWindow> {
  const at = new Date();
  const actor = { sub: 'officer-1', role: 'ministry_officer' as const };
  const { divisionIds } = await geography(db);
  return db.transaction().execute(async (trx) => {
    await createScheme(
      trx,
      {
        id: G2G_2013_SCHEME_ID,
        name: 'G2G Malaysia 2013',
        originCountry: 'BD',
        destinationCountry: 'MY',
        wageCurrency: 'MYR',
        rules: {
          sectors: ['plantation', 'manufacturing', 'construction', 'services'],
          minMonthlyWageMinor: 90000n,
          maxContractMonths: 36,
          minAge: 18,
          maxAge: 45,
        },
      },
      { actor, at },
    );
    return createWindow(
      trx,
      {
        id: options.windowId,
        schemeId: G2G_2013_SCHEME_ID,
        name: options.windowName,
        sectors: ['plantation', 'construction', 'manufacturing'],
        schedule: resolveSchedule({ opensAt: options.opensAt, closesAt: options.closesAt }, [], divisionIds),
        eligibility: {
          minAge: 18,
          maxAge: 45,
          ageReferenceDate: null,
          genders: ['male', 'female'],
          citizenship: 'BD',
        },
        serviceCharge: money(5000, 'BDT'),
        ...options.window,
      },
      { actor, at },
    );
  });
}
