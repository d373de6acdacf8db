/**
 * Money is an integer count of minor units with an explicit currency; never a float. `bigint`
 * because sums over a national ledger outgrow 2^53 minor units only in theory, but a sum must never
 * silently lose precision.
 */
export const currencies = ['BDT', 'MYR', 'USD'] as const;
export type Currency = (typeof currencies)[number];

/** Minor units per major unit (poisha, sen, cents): all three currencies have two decimals. */
export const minorUnitExponent: Readonly<Record<Currency, number>> = { BDT: 2, MYR: 2, USD: 2 };

export interface Money {
  readonly amountMinor: bigint;
  readonly currency: Currency;
}

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (currencies as readonly string[]).includes(value);
}

export function money(amountMinor: bigint | number, currency: Currency): Money {
  if (typeof amountMinor === 'number' && !Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`money: ${amountMinor} is not an integer number of minor units`);
  }
  return { amountMinor: BigInt(amountMinor), currency };
}

/** "Tk 50.00", "RM 1,200.50", "US$ 400.00": for receipts and reports, never for arithmetic. */
export function formatMoney(value: Money): string {
  const symbol = { BDT: 'Tk', MYR: 'RM', USD: 'US$' }[value.currency];
  const exp = BigInt(10 ** minorUnitExponent[value.currency]);
  const negative = value.amountMinor < 0n;
  const abs = negative ? -value.amountMinor : value.amountMinor;
  const major = (abs / exp).toLocaleString('en');
  const minor = (abs % exp).toString().padStart(minorUnitExponent[value.currency], '0');
  return `${negative ? '-' : ''}${symbol} ${major}.${minor}`;
}
