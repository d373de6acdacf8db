import { type Currency, isCurrency, type Money } from '@g2g/domain';
import { assertLocalDate, type LocalDate } from './dates.ts';
import { divideRoundHalfEven, minorPerMajor, parseDecimal, type Ratio } from './decimal.ts';
import { assertText, feeError } from './errors.ts';

/**
 * One recorded exchange rate: 1 major unit of `base` is worth `rate` major units of `quote`, as
 * published by `source` for `date`. Example: { base: 'MYR', quote: 'BDT', rate: '26.4500' }.
 */
export interface ExchangeRate {
  readonly base: Currency;
  readonly quote: Currency;
  /** Plain decimal string, parsed exactly (never through a float). Must be positive. */
  readonly rate: string;
  readonly date: LocalDate;
  /** Who published it, e.g. 'Bangladesh Bank reference rate'. */
  readonly source: string;
}

/** The rate a conversion used, kept with the converted entry so it can be recomputed. */
export interface AppliedRate extends ExchangeRate {
  /** 'base_to_quote' converts base into quote; 'quote_to_base' uses the same record inverted. */
  readonly direction: 'base_to_quote' | 'quote_to_base';
}

/** Validated rates, indexed by currency pair and sorted by date. Build with `rateTable`. */
export interface RateTable {
  readonly byPair: ReadonlyMap<string, readonly ExchangeRate[]>;
}

const pairKey = (a: Currency, b: Currency): string => (a < b ? `${a}/${b}` : `${b}/${a}`);

/**
 * Validates and indexes rates. Each currency pair is recorded in one orientation only (all MYR->BDT,
 * or all BDT->MYR, never both) and at most once per date, so the rate for a day is never ambiguous.
 */
export function rateTable(rates: readonly ExchangeRate[]): RateTable {
  const byPair = new Map<string, ExchangeRate[]>();
  rates.forEach((r, i) => {
    const where = `rates[${i}]`;
    if (!isCurrency(r.base) || !isCurrency(r.quote) || r.base === r.quote) {
      throw feeError('invalid-input', `${where} must name two different currencies.`);
    }
    assertLocalDate(r.date, `${where}.date`);
    assertText(r.source, `${where}.source`);
    if (parseDecimal(r.rate, `${where}.rate`).numerator === 0n) {
      throw feeError('invalid-decimal', `${where}.rate must be positive.`);
    }
    const key = pairKey(r.base, r.quote);
    const list = byPair.get(key) ?? [];
    const first = list[0];
    if (first && first.base !== r.base) {
      throw feeError(
        'rate-ambiguous',
        `${where}: ${key} is already recorded as ${first.base}->${first.quote}.`,
      );
    }
    if (list.some((x) => x.date === r.date)) {
      throw feeError('rate-ambiguous', `${where}: a ${key} rate for ${r.date} is already recorded.`);
    }
    list.push({ base: r.base, quote: r.quote, rate: r.rate, date: r.date, source: r.source });
    byPair.set(key, list);
  });
  for (const list of byPair.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { byPair };
}

/**
 * The rate for converting `from` into `to` on `valueDate`: the latest rate of that pair dated on or
 * before `valueDate`. No rate on or before it is an error (`rate-missing`), never a guess; rates are
 * not chained through a third currency.
 */
export function rateOn(table: RateTable, from: Currency, to: Currency, valueDate: LocalDate): AppliedRate {
  const list = table.byPair.get(pairKey(from, to)) ?? [];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.date <= valueDate) lo = mid + 1;
    else hi = mid;
  }
  const found = list[lo - 1];
  if (!found) {
    throw feeError('rate-missing', `No ${from}->${to} exchange rate is recorded on or before ${valueDate}.`);
  }
  return { ...found, direction: found.base === from ? 'base_to_quote' : 'quote_to_base' };
}

/**
 * Converts with a given rate. Exact rational arithmetic on minor units, then ONE rounding to the
 * target's minor unit, half to even. Because that rounding is symmetric, convertWith(-x) is exactly
 * -convertWith(x), and |convertWith(x) - x * rate| <= 1/2 minor unit.
 */
export function convertWith(value: Money, rate: AppliedRate): Money {
  const r: Ratio = parseDecimal(rate.rate);
  const [from, to, num, den] =
    rate.direction === 'base_to_quote'
      ? [rate.base, rate.quote, r.numerator, r.denominator]
      : [rate.quote, rate.base, r.denominator, r.numerator];
  if (value.currency !== from) {
    throw feeError('currency-mismatch', `This rate converts ${from}, not ${value.currency}.`);
  }
  const amountMinor = divideRoundHalfEven(
    value.amountMinor * num * minorPerMajor(to),
    den * minorPerMajor(from),
  );
  return { amountMinor, currency: to };
}

/** Converts `value` into `to` at the rate for `valueDate`; same currency is the identity (rate null). */
export function convert(
  value: Money,
  to: Currency,
  table: RateTable,
  valueDate: LocalDate,
): { readonly amount: Money; readonly rate: AppliedRate | null } {
  if (value.currency === to) return { amount: value, rate: null };
  const rate = rateOn(table, value.currency, to, valueDate);
  return { amount: convertWith(value, rate), rate };
}
