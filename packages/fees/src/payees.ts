import { assertLocalDate, inPeriod, type LocalDate } from './dates.ts';
import { assertIdentifier, assertText, feeError, unreachable } from './errors.ts';

/** Who received a payment: a registry entry, or an unlicensed individual named as such. */
export type PayeeRef =
  | { readonly kind: 'registered'; readonly registryId: string }
  | { readonly kind: 'unlicensed_individual'; readonly name: string };

export const payeeKinds = [
  'recruiting_agency',
  'medical_centre',
  'training_centre',
  'government_office',
  'airline',
  'employer',
] as const;
export type PayeeKind = (typeof payeeKinds)[number];

/** Kinds that may only be paid while they hold a licence valid on the value date. */
export const licensedPayeeKinds: readonly PayeeKind[] = [
  'recruiting_agency',
  'medical_centre',
  'training_centre',
];

/** A licence is valid on [validFrom, validTo): store as validTo the day after the last valid day. */
export interface Licence {
  readonly number: string;
  readonly validFrom: LocalDate;
  readonly validTo: LocalDate | null;
}

export interface Payee {
  readonly registryId: string;
  readonly kind: PayeeKind;
  readonly name: string;
  /** All licences held over time (renewals are further licences); empty for kinds not licensed. */
  readonly licences: readonly Licence[];
}

/** Payees by registry id. The database layer may pass only the payees it needs. */
export type PayeeRegistry = ReadonlyMap<string, Payee>;

/** Validates payees (unique ids, known kinds, licence periods only on licensed kinds) and indexes them. */
export function payeeRegistry(payees: readonly Payee[]): PayeeRegistry {
  const registry = new Map<string, Payee>();
  payees.forEach((p, i) => {
    const where = `payees[${i}]`;
    assertIdentifier(p.registryId, `${where}.registryId`);
    if (registry.has(p.registryId)) throw feeError('invalid-input', `${where}.registryId is used twice.`);
    if (!(payeeKinds as readonly string[]).includes(p.kind))
      throw feeError('invalid-input', `${where}.kind is unknown.`);
    assertText(p.name, `${where}.name`);
    if (p.licences.length > 0 && !licensedPayeeKinds.includes(p.kind)) {
      throw feeError('invalid-input', `${where}: a ${p.kind} holds no licence in this model.`);
    }
    p.licences.forEach((l, j) => {
      assertText(l.number, `${where}.licences[${j}].number`, 100);
      assertLocalDate(l.validFrom, `${where}.licences[${j}].validFrom`);
      if (l.validTo !== null) {
        assertLocalDate(l.validTo, `${where}.licences[${j}].validTo`);
        if (l.validTo <= l.validFrom)
          throw feeError('invalid-input', `${where}.licences[${j}] ends before it starts.`);
      }
    });
    registry.set(p.registryId, p);
  });
  return registry;
}

/**
 * The licence position of a payee on a value date. Anything but `licensed` and `licence_not_required`
 * is an `unlicensed_payee` finding.
 */
export type PayeeCheck =
  | { readonly status: 'licensed'; readonly licenceNumber: string }
  | { readonly status: 'licence_not_required' }
  | { readonly status: 'unlicensed_individual' }
  | { readonly status: 'no_licence' }
  | { readonly status: 'licence_expired'; readonly licenceNumber: string }
  | { readonly status: 'licence_not_yet_valid'; readonly licenceNumber: string };

export function isLicensedPayment(check: PayeeCheck): boolean {
  return check.status === 'licensed' || check.status === 'licence_not_required';
}

/**
 * Checks a payee on `valueDate`. An unknown registry id is an error (`payee-unknown`), not a finding:
 * the registry is the platform's own data. With no licence covering the date, the most recent licence
 * that ended on or before it makes `licence_expired`, else one starting later `licence_not_yet_valid`.
 */
export function checkPayee(ref: PayeeRef, registry: PayeeRegistry, valueDate: LocalDate): PayeeCheck {
  switch (ref.kind) {
    case 'unlicensed_individual':
      return { status: 'unlicensed_individual' };
    case 'registered': {
      const payee = registry.get(ref.registryId);
      if (!payee) throw feeError('payee-unknown', `No payee '${ref.registryId}' in the registry.`);
      if (!licensedPayeeKinds.includes(payee.kind)) return { status: 'licence_not_required' };
      const valid = payee.licences.find((l) => inPeriod(valueDate, l.validFrom, l.validTo));
      if (valid) return { status: 'licensed', licenceNumber: valid.number };
      const expired = payee.licences
        .filter((l) => l.validTo !== null && l.validTo <= valueDate)
        .sort((a, b) => (a.validTo! < b.validTo! ? 1 : -1))[0];
      if (expired) return { status: 'licence_expired', licenceNumber: expired.number };
      const future = payee.licences.find((l) => l.validFrom > valueDate);
      if (future) return { status: 'licence_not_yet_valid', licenceNumber: future.number };
      return { status: 'no_licence' };
    }
    default:
      return unreachable(ref);
  }
}

/**
 * A stable string identifying a payee, for grouping and matching: 'registry:<id>', or
 * 'individual:<name>' with the name trimmed, inner white space collapsed and lower-cased.
 */
export function payeeKey(ref: PayeeRef): string {
  switch (ref.kind) {
    case 'registered':
      return `registry:${ref.registryId}`;
    case 'unlicensed_individual':
      return `individual:${ref.name.trim().replace(/\s+/g, ' ').toLowerCase()}`;
    default:
      return unreachable(ref);
  }
}

export function assertPayeeRef(ref: PayeeRef, what: string): void {
  switch (ref?.kind) {
    case 'registered':
      assertIdentifier(ref.registryId, `${what}.registryId`);
      return;
    case 'unlicensed_individual':
      assertText(ref.name, `${what}.name`, 200);
      return;
    default:
      throw feeError('invalid-input', `${what} must be a registered payee or an unlicensed individual.`);
  }
}
