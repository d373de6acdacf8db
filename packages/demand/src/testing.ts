import { AppError, money, type Scheme } from '@g2g/domain';
import type { DemandActor } from './actor.ts';
import type { DemandTerms } from './terms.ts';

/**
 * Fixtures for tests of demand anywhere (this package, the repositories, the APIs): the 2013 scheme's
 * rules, an order's terms that keep them, a caller per role, and a helper to catch an AppError.
 */
export const sampleScheme: Scheme = {
  id: 'g2g-malaysia-2013',
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
};

export function sampleTerms(overrides: Partial<DemandTerms> = {}): DemandTerms {
  return {
    sector: 'plantation',
    jobTitle: 'Oil palm harvester',
    trade: 'harvesting',
    requiredSkills: ['harvesting'],
    workersRequested: 10,
    gender: 'male',
    ageRange: { min: 21, max: 40 },
    monthlyWage: money(100000, 'MYR'),
    contractMonths: 36,
    workLocation: 'Ladang Sungai Buloh, Selangor',
    accommodation: {
      provided: true,
      monthlyDeduction: money(5000, 'MYR'),
      terms: 'Shared quarters on the estate',
    },
    food: { provided: false, monthlyDeduction: money(0, 'MYR'), terms: 'Not provided' },
    expectedStartDate: '2013-09-01',
    ...overrides,
  };
}

/** A caller of each kind: the owning employer (felda-1), another employer, and every other role. */
export const sampleActors: Readonly<Record<string, DemandActor>> = {
  owner: { role: 'employer', employerId: 'felda-1' },
  otherEmployer: { role: 'employer', employerId: 'sime-2' },
  committee: { role: 'committee' },
  ministry_officer: { role: 'ministry_officer' },
  auditor: { role: 'auditor' },
  witness: { role: 'witness' },
  centre_operator: { role: 'centre_operator' },
  public: { role: 'public' },
};

/** Runs `fn` and returns the AppError it throws (fails the test when it throws nothing). */
export function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}
