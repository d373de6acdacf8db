import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateFromDayNumber, dayNumber, daysBetween, isLocalDate } from './dates.ts';
import { divideRoundHalfEven, parseDecimal, toMajorUnits } from './decimal.ts';
import { feeErrorReason } from './errors.ts';
import { type AppliedRate, convert, convertWith, rateOn, rateTable } from './rates.ts';
import { minor, rates } from './testing/fixtures.ts';

const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return feeErrorReason(e);
  }
  return 'no error';
};

describe('dates', () => {
  it('round-trips day numbers and validates the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const d = dateFromDayNumber(n);
        expect(isLocalDate(d)).toBe(true);
        expect(dayNumber(d)).toBe(n);
      }),
    );
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2024-2-01')).toBe(false);
  });
});

describe('exact decimals', () => {
  it('parses rate strings exactly', () => {
    expect(parseDecimal('26.4500')).toEqual({ numerator: 264500n, denominator: 10000n });
    expect(parseDecimal('110')).toEqual({ numerator: 110n, denominator: 1n });
    for (const bad of ['', '-1', '1e3', '1,000.00', ' 1', '1.', '.5', 'NaN']) {
      expect(reasonOf(() => parseDecimal(bad))).toBe('invalid-decimal');
    }
  });

  it('rounds half to even, symmetrically', () => {
    expect([5n, 15n, 25n, -5n, -15n, 14n, 16n].map((n) => divideRoundHalfEven(n, 10n))).toEqual([
      0n,
      2n,
      2n,
      0n,
      -2n,
      1n,
      2n,
    ]);
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const q = divideRoundHalfEven(n, d);
        expect(divideRoundHalfEven(-n, d)).toBe(-q);
        // |q - n/d| <= 1/2, i.e. |2(qd - n)| <= d
        const err = 2n * (q * d - n);
        expect(err <= d && -err <= d).toBe(true);
      }),
    );
  });

  it('writes minor units as major units with two decimals', () => {
    expect(toMajorUnits(minor(4_000_000n))).toBe('40000.00');
    expect(toMajorUnits(minor(-5n))).toBe('-0.05');
    expect(toMajorUnits(minor(0n, 'USD'))).toBe('0.00');
    expect(toMajorUnits(minor(123_456_789_012_345_678_901n))).toBe('1234567890123456789.01');
  });
});

describe('exchange rates', () => {
  it('applies the latest rate dated on or before the value date', () => {
    expect(rateOn(rates, 'MYR', 'BDT', '2022-05-31').rate).toBe('19.5000');
    expect(rateOn(rates, 'MYR', 'BDT', '2022-06-01').rate).toBe('26.4500');
    expect(rateOn(rates, 'BDT', 'MYR', '2030-01-01')).toMatchObject({
      rate: '26.4500',
      direction: 'quote_to_base',
    });
  });

  it('refuses to guess a missing rate', () => {
    expect(reasonOf(() => rateOn(rates, 'MYR', 'BDT', '2012-12-31'))).toBe('rate-missing');
    expect(reasonOf(() => rateOn(rates, 'MYR', 'USD', '2020-01-01'))).toBe('rate-missing');
  });

  it('rejects ambiguous tables', () => {
    const r = { base: 'MYR', quote: 'BDT', rate: '26.45', date: '2024-01-01', source: 'BB' } as const;
    expect(reasonOf(() => rateTable([r, { ...r, rate: '26.50' }]))).toBe('rate-ambiguous');
    expect(reasonOf(() => rateTable([r, { ...r, base: 'BDT', quote: 'MYR', date: '2024-02-01' }]))).toBe(
      'rate-ambiguous',
    );
    expect(reasonOf(() => rateTable([{ ...r, rate: '0.000' }]))).toBe('invalid-decimal');
  });

  it('converts RM 1,500.00 at 26.4500 to Tk 39,675.00 exactly', () => {
    expect(convert(minor(150_000n, 'MYR'), 'BDT', rates, '2023-01-01').amount).toEqual(minor(3_967_500n));
    // Tk 1.00 at 1/26.45 MYR = 0.037807... MYR -> 4 sen
    expect(convert(minor(100n), 'MYR', rates, '2023-01-01').amount).toEqual(minor(4n, 'MYR'));
  });

  const appliedArb: fc.Arbitrary<AppliedRate> = fc
    .record({
      whole: fc.integer({ min: 0, max: 200 }),
      frac: fc.integer({ min: 0, max: 9999 }),
      direction: fc.constantFrom<AppliedRate['direction']>('base_to_quote', 'quote_to_base'),
    })
    .filter((r) => r.whole + r.frac > 0)
    .map((r) => ({
      base: 'MYR',
      quote: 'BDT',
      rate: `${r.whole}.${String(r.frac).padStart(4, '0')}`,
      date: '2024-01-01',
      source: 'test',
      direction: r.direction,
    }));
  const fromOf = (r: AppliedRate) => (r.direction === 'base_to_quote' ? r.base : r.quote);

  it('never drifts: a negated amount converts to the exact negation', () => {
    fc.assert(
      fc.property(appliedArb, fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (rate, x) => {
        const from = fromOf(rate);
        const a = convertWith(minor(x, from), rate);
        const b = convertWith(minor(-x, from), rate);
        expect(b.amountMinor).toBe(-a.amountMinor);
      }),
    );
  });

  it('converts each amount to within half a minor unit of the exact value', () => {
    fc.assert(
      fc.property(appliedArb, fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (rate, x) => {
        const { numerator: p, denominator: q } = parseDecimal(rate.rate);
        const [num, den] = rate.direction === 'base_to_quote' ? [p, q] : [q, p];
        const y = convertWith(minor(x, fromOf(rate)), rate).amountMinor;
        // exact value is x * num / den (both currencies have two decimals); |2(y*den - x*num)| <= den
        const err = 2n * (y * den - x * num);
        expect(err <= den && -err <= den).toBe(true);
      }),
    );
  });

  it('sum of conversions is within (n + 1) / 2 minor units of the conversion of the sum', () => {
    fc.assert(
      fc.property(
        appliedArb,
        fc.array(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), { maxLength: 40 }),
        (rate, xs) => {
          const from = fromOf(rate);
          const sumOfConverted = xs.reduce((s, x) => s + convertWith(minor(x, from), rate).amountMinor, 0n);
          const convertedSum = convertWith(
            minor(
              xs.reduce((s, x) => s + x, 0n),
              from,
            ),
            rate,
          ).amountMinor;
          const diff = sumOfConverted - convertedSum;
          const n = BigInt(xs.length);
          expect(2n * (diff < 0n ? -diff : diff) <= n + 1n).toBe(true);
        },
      ),
    );
  });
});
