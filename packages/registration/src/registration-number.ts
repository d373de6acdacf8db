import { dammCheckDigit, isDammValid } from './damm.ts';
import { stripSeparators, toAsciiDigits } from './digits.ts';

/**
 * A registration number: 11 decimal digits, a 10-digit serial (from one database sequence shared by
 * online registration and offline reservations) followed by its Damm check digit. Short enough to
 * read over the phone; the check digit catches every single-digit error and every swap of two
 * adjacent digits. The API uses the plain 11 digits; receipts show `0000-0012-345`.
 */
export type RegistrationNumber = string;

export const REGISTRATION_NUMBER = /^[0-9]{11}$/;
export const MAX_SERIAL = 9_999_999_999n;

export function registrationNumberFromSerial(serial: bigint | number): RegistrationNumber {
  const value = BigInt(serial);
  if (value < 1n || value > MAX_SERIAL) throw new RangeError(`serial ${value} is outside 1-${MAX_SERIAL}`);
  const body = value.toString().padStart(10, '0');
  return `${body}${dammCheckDigit(body)}`;
}

export function isRegistrationNumber(value: string): value is RegistrationNumber {
  return REGISTRATION_NUMBER.test(value) && isDammValid(value);
}

export function serialOf(number: RegistrationNumber): bigint {
  return BigInt(number.slice(0, 10));
}

/** `00000012345` -> `0000-0012-345`: the form printed on receipts and read aloud. */
export function formatRegistrationNumber(number: RegistrationNumber): string {
  return `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`;
}

export type ParsedRegistrationNumber =
  | { readonly ok: true; readonly number: RegistrationNumber }
  | { readonly ok: false; readonly reason: 'shape' | 'check-digit' };

/**
 * Reads a number as typed: Bangla or ASCII digits, with or without the dashes and spaces of the
 * display form. Says whether it failed on shape or on the check digit (a mistyped digit).
 */
export function parseRegistrationNumber(input: string): ParsedRegistrationNumber {
  const digits = stripSeparators(toAsciiDigits(input.trim()));
  if (!REGISTRATION_NUMBER.test(digits)) return { ok: false, reason: 'shape' };
  if (!isDammValid(digits)) return { ok: false, reason: 'check-digit' };
  return { ok: true, number: digits };
}

export function registrationNumberProblem(reason: 'shape' | 'check-digit'): string {
  return reason === 'shape'
    ? 'a registration number is 11 digits, e.g. 0000-0012-345'
    : 'this number fails its check digit: a digit is mistyped or two digits are swapped';
}
