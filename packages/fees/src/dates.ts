import { dateFromDayNumber, dayNumber, isLocalDate, type LocalDate } from '@g2g/domain';
import { feeError } from './errors.ts';

/** The calendar helpers live in @g2g/domain; re-exported so this package's API is unchanged. */
export { dateFromDayNumber, dayNumber, isLocalDate, type LocalDate };

export function assertLocalDate(value: unknown, what: string): asserts value is LocalDate {
  if (!isLocalDate(value)) throw feeError('invalid-date', `${what} must be a calendar date 'YYYY-MM-DD'.`);
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** Whether `date` lies in the half-open period [from, to); `to = null` is open-ended. */
export function inPeriod(date: LocalDate, from: LocalDate, to: LocalDate | null): boolean {
  return from <= date && (to === null || date < to);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** An RFC 3339 UTC timestamp supplied by the caller ('2024-05-01T09:30:00Z'); the core never reads a clock. */
export function assertInstant(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || !INSTANT.test(value) || !isLocalDate(value.slice(0, 10))) {
    throw feeError('invalid-date', `${what} must be an RFC 3339 UTC timestamp like '2024-05-01T09:30:00Z'.`);
  }
}
