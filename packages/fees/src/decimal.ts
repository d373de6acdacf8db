import { type Currency, type Money, minorUnitExponent } from '@g2g/domain';
import { feeError } from './errors.ts';

/** An exact non-negative rational number: numerator / denominator, denominator > 0. */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const DECIMAL = /^(\d{1,18})(?:\.(\d{1,18}))?$/;

/**
 * Parses a plain decimal string ("26.4500", "0.0091", "110") exactly: "26.4500" is 264500/10000.
 * No sign, exponent, grouping or surrounding space; at most 18 digits on either side of the point.
 */
export function parseDecimal(text: string, what = 'decimal'): Ratio {
  const m = DECIMAL.exec(text);
  if (!m) throw feeError('invalid-decimal', `${what} must be a plain decimal string like "26.4500".`);
  const fraction = m[2] ?? '';
  return { numerator: BigInt(m[1]! + fraction), denominator: 10n ** BigInt(fraction.length) };
}

/**
 * n / d rounded to the nearest integer, ties to the even neighbour (round half to even). d > 0.
 * Symmetric: divideRoundHalfEven(-n, d) === -divideRoundHalfEven(n, d).
 */
export function divideRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('divideRoundHalfEven: divisor must be positive');
  if (n < 0n) return -divideRoundHalfEven(-n, d);
  const q = n / d;
  const twiceRemainder = 2n * (n % d);
  if (twiceRemainder > d || (twiceRemainder === d && q % 2n === 1n)) return q + 1n;
  return q;
}

/** 10^exponent of the currency's minor unit, as a bigint (100n for BDT, MYR, USD). */
export function minorPerMajor(currency: Currency): bigint {
  return 10n ** BigInt(minorUnitExponent[currency]);
}

/**
 * Minor units as a plain decimal string in major units with exactly the currency's number of
 * decimals (two for BDT, MYR, USD): 4000000n BDT -> "40000.00", -5n -> "-0.05". Integer arithmetic only.
 */
export function toMajorUnits(value: Money): string {
  const digits = minorUnitExponent[value.currency];
  const per = minorPerMajor(value.currency);
  const negative = value.amountMinor < 0n;
  const abs = negative ? -value.amountMinor : value.amountMinor;
  const fraction = digits === 0 ? '' : `.${(abs % per).toString().padStart(digits, '0')}`;
  return `${negative ? '-' : ''}${abs / per}${fraction}`;
}

export function zero(currency: Currency): Money {
  return { amountMinor: 0n, currency };
}

export function negate(value: Money): Money {
  return { amountMinor: -value.amountMinor, currency: value.currency };
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor - b.amountMinor, currency: a.currency };
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw feeError('currency-mismatch', `Cannot combine ${a.currency} with ${b.currency}.`);
  }
}
