import { AppError, type FieldError } from './errors.ts';
import type { Currency } from './money.ts';

/**
 * A scheme is one bilateral programme (e.g. "G2G Malaysia 2013"): the destination, the currency wages
 * are paid in, and the rules every demand order under it must keep. Registration windows, demand
 * orders, draws and the fee policy all belong to a scheme.
 */
export interface SchemeRules {
  /** Sectors workers may be recruited for, as lowercase slugs (plantation, manufacturing, ...). */
  readonly sectors: readonly string[];
  /** The lowest monthly wage a demand order may offer, in minor units of the wage currency. */
  readonly minMonthlyWageMinor: bigint;
  readonly maxContractMonths: number;
  readonly minAge: number;
  readonly maxAge: number;
}

export interface Scheme {
  readonly id: string;
  readonly name: string;
  readonly originCountry: string;
  readonly destinationCountry: string;
  readonly wageCurrency: Currency;
  readonly rules: SchemeRules;
}

export const SCHEME_ID = /^[a-z0-9][a-z0-9-]{2,62}$/;
export const SECTOR = /^[a-z][a-z0-9_]{1,39}$/;
export const COUNTRY = /^[A-Z]{2}$/;

/** Checks a scheme's invariants beyond field formats; throws `validation-failed` with pointers. */
export function assertSchemeRules(rules: SchemeRules, pointer = '/body/rules'): void {
  const errors: FieldError[] = [];
  if (rules.sectors.length === 0)
    errors.push({ pointer: `${pointer}/sectors`, detail: 'at least one sector' });
  if (new Set(rules.sectors).size !== rules.sectors.length) {
    errors.push({ pointer: `${pointer}/sectors`, detail: 'sectors must not repeat' });
  }
  rules.sectors.forEach((s, i) => {
    if (!SECTOR.test(s))
      errors.push({ pointer: `${pointer}/sectors/${i}`, detail: 'lowercase slug such as plantation' });
  });
  if (rules.minMonthlyWageMinor <= 0n) {
    errors.push({ pointer: `${pointer}/minMonthlyWage`, detail: 'must be more than zero' });
  }
  if (rules.minAge > rules.maxAge)
    errors.push({ pointer: `${pointer}/maxAge`, detail: 'must be at least minAge' });
  if (errors.length > 0)
    throw new AppError('validation-failed', 'The scheme rules are not consistent.', { errors });
}

/** True when a sector is one the scheme recruits for. */
export function schemeOffersSector(scheme: Pick<Scheme, 'rules'>, sector: string): boolean {
  return scheme.rules.sectors.includes(sector);
}
