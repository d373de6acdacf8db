/**
 * JSON columns of the fee tables hold the fee core's values, whose money amounts are bigints. They are
 * written with amounts as decimal strings and read back to bigints: any object with a string
 * `amountMinor` and a `currency` is a Money.
 */
export function feeJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export function reviveFeeJson<T>(value: unknown): T {
  return revive(value) as T;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = revive(v);
  if (
    typeof out.amountMinor === 'string' &&
    typeof out.currency === 'string' &&
    /^-?\d+$/.test(out.amountMinor)
  ) {
    out.amountMinor = BigInt(out.amountMinor);
  }
  return out;
}
