import { AppError } from '@g2g/domain';
import { type DrawPolicy, fitsOrder, validatePolicy } from './policy.ts';
import type { PoolEntry } from './pool.ts';
import type { ResultRow } from './result-format.ts';

/**
 * A place left by a dropout: the stratum of the selected entry who dropped out and the order it
 * held (null if none). A promoted entry who later drops out leaves the same vacancy it filled.
 */
export interface Vacancy {
  readonly stratum: number;
  readonly orderId: string | null;
}

/** A waitlisted entry as the caller has it: its published result row and its pool entry. */
export interface WaitlistCandidate {
  readonly row: ResultRow;
  readonly entry: PoolEntry;
}

export interface Promotion {
  readonly registrationNumber: string;
  readonly waitlistPosition: number;
  /** The order the promoted entry takes over (the vacancy's), or null. */
  readonly orderId: string | null;
}

/**
 * The waitlisted entry that fills a vacancy, or null if none can. Deterministic: the waitlist that
 * serves the vacancy (its stratum's, or its order's, as the policy says) is taken in waitlist
 * position order, skipping entries in `unavailable` (registration numbers that dropped out or were
 * promoted already) and, when the vacancy holds an order, entries that do not fit it (sector among
 * their preferences, gender, age). With waitlists per order, a vacancy without an order is not
 * refilled (null); with no waitlist, nothing is.
 *
 * `candidates` may hold any rows (e.g. every waitlisted row of the stratum or order, in any order);
 * rows that are not waitlisted on the serving list are ignored.
 */
export function nextPromotion(
  policyInput: DrawPolicy,
  vacancy: Vacancy,
  candidates: Iterable<WaitlistCandidate>,
  unavailable: Iterable<string>,
): Promotion | null {
  const policy = validatePolicy(policyInput);
  const per = policy.waitlist.per;
  const order = vacancy.orderId === null ? null : policy.orders.find((o) => o.id === vacancy.orderId);
  if (order === undefined) {
    throw new AppError('validation-failed', `The policy has no order ${vacancy.orderId}.`, {
      errors: [{ pointer: '/vacancy/orderId', detail: 'unknown order' }],
    });
  }
  if (per === 'none' || (per === 'order' && order === null)) return null;

  const skip = new Set(unavailable);
  const serving = [...candidates].filter(
    ({ row }) =>
      row.outcome === 'waitlisted' &&
      (per === 'stratum' ? row.stratum === vacancy.stratum : row.order === order?.id),
  );
  serving.sort((a, b) => a.row.waitlistPosition! - b.row.waitlistPosition!);
  for (const [k, { row, entry }] of serving.entries()) {
    if (row.registrationNumber !== entry.registrationNumber) {
      throw new AppError('validation-failed', 'A waitlist candidate row and entry disagree.', {
        errors: [
          { pointer: '/candidates', detail: `row ${row.registrationNumber} paired with another entry` },
        ],
      });
    }
    if (k > 0 && serving[k - 1]!.row.waitlistPosition === row.waitlistPosition) {
      throw new AppError('validation-failed', 'Two candidates share a waitlist position.', {
        errors: [{ pointer: '/candidates', detail: `waitlist position ${row.waitlistPosition} is repeated` }],
      });
    }
  }
  const promoted = serving.find(
    ({ row, entry }) =>
      !skip.has(row.registrationNumber) &&
      (order === null || (entry.sectors.includes(order.sector) && fitsOrder(order, entry.gender, entry.age))),
  );
  if (promoted === undefined) return null;
  return {
    registrationNumber: promoted.row.registrationNumber,
    waitlistPosition: promoted.row.waitlistPosition!,
    orderId: order?.id ?? null,
  };
}
