/**
 * Calendar dates as 'YYYY-MM-DD' strings (valid dates compare correctly as strings) and the local
 * date in Bangladesh (UTC+06:00 all year; the country has kept no daylight saving time since 2009).
 */
export type CalendarDate = string;

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DHAKA_OFFSET_MS = 6 * 3600_000;

export function isCalendarDate(value: string): value is CalendarDate {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** The date in Dhaka at an instant. */
export function dhakaDate(at: Date): CalendarDate {
  return new Date(at.getTime() + DHAKA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `at` as Dhaka local time, 'YYYY-MM-DD HH:MM', for receipts and messages. */
export function dhakaDateTime(at: Date): string {
  return new Date(at.getTime() + DHAKA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Completed years of age on `on` for someone born on `born` (a 29 February birthday counts on 1 March). */
export function ageOn(born: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = born.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}
