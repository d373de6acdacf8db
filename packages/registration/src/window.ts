import { AppError, type FieldError, type Money } from '@g2g/domain';
import { ageOn, type CalendarDate, dhakaDate, isCalendarDate } from './calendar.ts';
import { type Gender, genders, SECTOR_SLUG, type Worker } from './worker.ts';

/**
 * A registration window: a period in which centres register workers for one scheme, as in January
 * 2013 when each division had its own three days. Opening and closing times are per division (every
 * division has an entry; the API lets a default apply to those not named). Times are half-open:
 * a division is open at `t` when opensAt <= t < closesAt.
 */
export interface DivisionSchedule {
  readonly divisionId: number;
  readonly opensAt: Date;
  readonly closesAt: Date;
}

export interface Eligibility {
  readonly minAge: number;
  readonly maxAge: number;
  /** The date ages are counted on; null: the day the worker registers (Dhaka date). */
  readonly ageReferenceDate: CalendarDate | null;
  readonly genders: readonly Gender[];
  /** Only Bangladeshi citizens register (the identity number is Bangladeshi). */
  readonly citizenship: 'BD';
}

export interface WindowDefinition {
  readonly name: string;
  readonly sectors: readonly string[];
  readonly schedule: readonly DivisionSchedule[];
  readonly eligibility: Eligibility;
  /** Collected at the centre (Tk 50 in 2013): BDT minor units. */
  readonly serviceCharge: Money;
}

export interface RegistrationWindow extends WindowDefinition {
  readonly id: string;
  readonly schemeId: string;
}

export interface SchemeLimits {
  readonly sectors: readonly string[];
  readonly minAge: number;
  readonly maxAge: number;
}

export const WINDOW_ID = /^[a-z0-9][a-z0-9-]{2,62}$/;

/** Every division gets an entry: its override if given, else the default times. */
export function resolveSchedule(
  defaults: { opensAt: Date; closesAt: Date },
  overrides: readonly DivisionSchedule[],
  divisionIds: readonly number[],
): DivisionSchedule[] {
  return divisionIds.map(
    (divisionId) =>
      overrides.find((o) => o.divisionId === divisionId) ?? {
        divisionId,
        opensAt: defaults.opensAt,
        closesAt: defaults.closesAt,
      },
  );
}

/** Checks a window against its scheme; throws `validation-failed` with pointers into the body. */
export function assertWindowDefinition(
  def: WindowDefinition,
  scheme: SchemeLimits,
  divisionIds: readonly number[],
  pointer = '/body',
): void {
  const errors: FieldError[] = [];
  const fail = (path: string, detail: string) => errors.push({ pointer: `${pointer}/${path}`, detail });
  if (def.sectors.length === 0) fail('sectors', 'at least one sector');
  def.sectors.forEach((s, i) => {
    if (!SECTOR_SLUG.test(s)) fail(`sectors/${i}`, 'a sector slug such as plantation');
    else if (!scheme.sectors.includes(s)) fail(`sectors/${i}`, `the scheme has no sector "${s}"`);
    else if (def.sectors.indexOf(s) !== i) fail(`sectors/${i}`, 'repeats an earlier sector');
  });
  const seen = new Set<number>();
  def.schedule.forEach((d, i) => {
    if (!divisionIds.includes(d.divisionId)) fail(`schedule/${i}/divisionId`, 'no division has this id');
    if (seen.has(d.divisionId)) fail(`schedule/${i}/divisionId`, 'appears twice');
    seen.add(d.divisionId);
    if (!(d.opensAt.getTime() < d.closesAt.getTime()))
      fail(`schedule/${i}/closesAt`, 'must be after opensAt');
  });
  const e = def.eligibility;
  if (e.minAge > e.maxAge) fail('eligibility/maxAge', 'must be at least minAge');
  if (e.minAge < scheme.minAge) fail('eligibility/minAge', `the scheme's minimum age is ${scheme.minAge}`);
  if (e.maxAge > scheme.maxAge) fail('eligibility/maxAge', `the scheme's maximum age is ${scheme.maxAge}`);
  if (e.ageReferenceDate !== null && !isCalendarDate(e.ageReferenceDate)) {
    fail('eligibility/ageReferenceDate', "a date 'YYYY-MM-DD'");
  }
  if (e.genders.length === 0) fail('eligibility/genders', 'at least one gender');
  e.genders.forEach((g, i) => {
    if (!genders.includes(g)) fail(`eligibility/genders/${i}`, `one of ${genders.join(', ')}`);
    else if (e.genders.indexOf(g) !== i) fail(`eligibility/genders/${i}`, 'repeats');
  });
  if (def.serviceCharge.currency !== 'BDT') fail('serviceCharge/currency', 'collected in BDT');
  if (def.serviceCharge.amountMinor < 0n) fail('serviceCharge/amountMinor', 'must not be negative');
  if (errors.length > 0) throw new AppError('validation-failed', 'The window is not consistent.', { errors });
}

/**
 * An offline registration (made with a reserved number while the link was down) is checked against
 * the window at the time it was made, and must reach the server within this long of the division's
 * closing: after that the draw pool may be frozen. The draw engine freezes no earlier.
 */
export const OFFLINE_SYNC_GRACE_MS = 48 * 3600_000;
/** How far ahead of the server's clock a centre's clock may run. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export type WindowPhase = 'not-yet-open' | 'open' | 'closed';

export function phaseAt(schedule: Pick<DivisionSchedule, 'opensAt' | 'closesAt'>, at: Date): WindowPhase {
  if (at.getTime() < schedule.opensAt.getTime()) return 'not-yet-open';
  return at.getTime() < schedule.closesAt.getTime() ? 'open' : 'closed';
}

/** Whether any division has opened by `at` (after which a window's rules are frozen). */
export function hasOpened(window: Pick<WindowDefinition, 'schedule'>, at: Date): boolean {
  return window.schedule.some((d) => d.opensAt.getTime() <= at.getTime());
}

/**
 * The window rules a registration must meet at `at`, for a centre in `divisionId`: the window is open
 * for that division, the worker's gender and age (on the reference date) are eligible, and every
 * preferred sector is offered. Returns `rule-violated` errors (empty when the registration may go in).
 */
export function windowViolations(
  window: RegistrationWindow,
  divisionId: number,
  worker: Pick<Worker, 'gender' | 'dateOfBirth' | 'preferredSectors'>,
  at: Date,
  prefix = '/body',
): FieldError[] {
  const errors: FieldError[] = [];
  const schedule = window.schedule.find((d) => d.divisionId === divisionId);
  const phase = schedule ? phaseAt(schedule, at) : 'closed';
  if (!schedule) {
    errors.push({
      pointer: `${prefix}/windowId`,
      detail: "the window has no schedule for this centre's division",
    });
  } else if (phase === 'not-yet-open') {
    errors.push({
      pointer: `${prefix}/windowId`,
      detail: `the window opens for this centre's division at ${schedule.opensAt.toISOString()}`,
    });
  } else if (phase === 'closed') {
    errors.push({
      pointer: `${prefix}/windowId`,
      detail: `the window closed for this centre's division at ${schedule.closesAt.toISOString()}`,
    });
  }
  const e = window.eligibility;
  if (!e.genders.includes(worker.gender)) {
    errors.push({ pointer: `${prefix}/gender`, detail: `this window is open to: ${e.genders.join(', ')}` });
  }
  const referenceDate = e.ageReferenceDate ?? dhakaDate(at);
  const age = ageOn(worker.dateOfBirth, referenceDate);
  if (age < e.minAge || age > e.maxAge) {
    errors.push({
      pointer: `${prefix}/dateOfBirth`,
      detail: `age ${age} on ${referenceDate}; this window takes ages ${e.minAge}-${e.maxAge}`,
    });
  }
  worker.preferredSectors.forEach((s, i) => {
    if (!window.sectors.includes(s)) {
      errors.push({
        pointer: `${prefix}/preferredSectors/${i}`,
        detail: `this window offers ${window.sectors.join(', ')}`,
      });
    }
  });
  return errors;
}

/** Turns rule violations into the one error the API answers with (422, saying why). */
export function windowRuleError(errors: readonly FieldError[]): AppError {
  return new AppError(
    'rule-violated',
    `The window does not accept this registration: ${errors[0]?.detail ?? ''}.`,
    {
      errors,
    },
  );
}

/**
 * An amendment replaces a window's definition (with a reason, audited). Before any division opens,
 * anything may change. After, the window's promises to those already registered hold, so that no
 * registration is ever made invalid after the fact:
 * - eligibility and the service charge are frozen;
 * - sectors may be added, never removed;
 * - a division that has opened keeps its opening time, and its closing time may move but not to
 *   before the moment of the amendment (closing "in the past" would leave accepted registrations
 *   outside the window);
 * - a division not yet open may be rescheduled freely (its closing time still after the amendment).
 */
export function amendmentViolations(
  current: RegistrationWindow,
  next: WindowDefinition,
  at: Date,
  pointer = '/body',
): FieldError[] {
  if (!hasOpened(current, at)) return [];
  const errors: FieldError[] = [];
  const fail = (path: string, detail: string) => errors.push({ pointer: `${pointer}/${path}`, detail });
  const sameEligibility =
    current.eligibility.minAge === next.eligibility.minAge &&
    current.eligibility.maxAge === next.eligibility.maxAge &&
    current.eligibility.ageReferenceDate === next.eligibility.ageReferenceDate &&
    current.eligibility.genders.length === next.eligibility.genders.length &&
    current.eligibility.genders.every((g) => next.eligibility.genders.includes(g));
  if (!sameEligibility) fail('eligibility', 'cannot change once the window has opened');
  if (
    current.serviceCharge.amountMinor !== next.serviceCharge.amountMinor ||
    current.serviceCharge.currency !== next.serviceCharge.currency
  ) {
    fail('serviceCharge', 'cannot change once the window has opened');
  }
  current.sectors.forEach((s) => {
    if (!next.sectors.includes(s)) fail('sectors', `"${s}" cannot be removed once the window has opened`);
  });
  next.schedule.forEach((d, i) => {
    const before = current.schedule.find((c) => c.divisionId === d.divisionId);
    if (!before) return;
    if (before.opensAt.getTime() <= at.getTime()) {
      if (d.opensAt.getTime() !== before.opensAt.getTime()) {
        fail(`schedule/${i}/opensAt`, 'this division has opened; its opening time cannot change');
      }
    }
    if (d.closesAt.getTime() < at.getTime() && d.closesAt.getTime() !== before.closesAt.getTime()) {
      fail(`schedule/${i}/closesAt`, 'cannot be moved to before now');
    }
  });
  return errors;
}
