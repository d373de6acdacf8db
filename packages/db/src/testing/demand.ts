import { randomUUID } from 'node:crypto';
import type { DemandTerms } from '@g2g/demand';
import { sampleTerms as baseTerms, sampleScheme } from '@g2g/demand/testing';
import type { Scheme } from '@g2g/domain';
import type { Kysely } from 'kysely';
import { createDemandOrder, type DemandOrderRecord, transitionDemandOrder } from '../demand-orders.ts';
import { type ActingContext, changeEmployerStatus, createEmployer } from '../employers.ts';
import { createScheme, findScheme } from '../schemes.ts';
import type { Database } from '../types.ts';

/**
 * Demand fixtures for tests of any app (the lottery allocates to approved orders): a scheme, approved
 * employer accounts, and demand orders taken through the real repositories up to approval.
 */ export { sampleScheme };

/** A date in the coming year, so that start dates are never in the past whenever the tests run. */
export function nextYear(monthDay: string): string {
  return `${new Date().getUTCFullYear() + 1}-${monthDay}`;
}

/** The sample terms, starting next September. */
export function sampleTerms(overrides: Partial<DemandTerms> = {}): DemandTerms {
  return baseTerms({ expectedStartDate: nextYear('09-01'), ...overrides });
}

export const committeeContext = (): ActingContext => ({
  actor: { sub: 'committee-1', role: 'committee' },
  at: new Date(),
});

export const employerContext = (employerId: string): ActingContext => ({
  actor: { sub: `${employerId}-user`, role: 'employer' },
  employerId,
  at: new Date(),
});

export async function seedScheme(db: Kysely<Database>, scheme: Scheme = sampleScheme): Promise<Scheme> {
  const existing = await findScheme(db, scheme.id);
  if (existing) return existing;
  return db
    .transaction()
    .execute((trx) =>
      createScheme(trx, scheme, { actor: { sub: 'officer-1', role: 'ministry_officer' }, at: new Date() }),
    );
}

/** An employer account, approved by the committee unless `approve` is false. */
export async function seedEmployer(db: Kysely<Database>, id: string, options: { approve?: boolean } = {}) {
  return db.transaction().execute(async (trx) => {
    const account = await createEmployer(
      trx,
      id,
      {
        legalName: `${id} Plantations Sdn Bhd`,
        country: 'MY',
        companyRegistrationNumber: `REG-${id}`,
        sector: 'plantation',
        address: 'Jalan Ampang, Kuala Lumpur',
        contact: { name: 'Contact Person', email: null, phone: '+60312345678' },
      },
      committeeContext(),
    );
    return options.approve === false
      ? account
      : changeEmployerStatus(trx, id, { type: 'approve' }, committeeContext());
  });
}

/** A demand order of `employerId` under the scheme, taken to `upTo` (default: approved). */
export async function seedDemandOrder(
  db: Kysely<Database>,
  options: {
    employerId: string;
    schemeId?: string;
    terms?: Partial<DemandTerms>;
    workersApproved?: number;
    upTo?: 'draft' | 'submitted' | 'approved';
  },
): Promise<DemandOrderRecord> {
  const employer = employerContext(options.employerId);
  return db.transaction().execute(async (trx) => {
    let order = await createDemandOrder(
      trx,
      { id: randomUUID(), schemeId: options.schemeId ?? sampleScheme.id, terms: sampleTerms(options.terms) },
      employer,
    );
    if (options.upTo === 'draft') return order;
    order = await transitionDemandOrder(trx, order.id, { type: 'submit' }, employer);
    if (options.upTo === 'submitted') return order;
    return transitionDemandOrder(
      trx,
      order.id,
      { type: 'approve', workersApproved: options.workersApproved ?? order.terms.workersRequested },
      committeeContext(),
    );
  });
}

/** `n` distinct 11-digit registration numbers starting from `from`. */
export function registrationNumbers(n: number, from = 1): string[] {
  return Array.from({ length: n }, (_, i) => String(20130000000 + from + i).padStart(11, '0'));
}
