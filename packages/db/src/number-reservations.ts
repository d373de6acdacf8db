import { randomUUID } from 'node:crypto';
import { AppError } from '@g2g/domain';
import type { Kysely, Transaction } from 'kysely';
import { recordAuditEvent } from './audit.ts';
import type { AuditContext } from './schemes.ts';
import { allocateRegistrationNumbers } from './serials.ts';
import type { Database } from './types.ts';

/** Most numbers one centre may hold unused at once (a day's work at a busy centre, with margin). */
export const MAX_UNUSED_RESERVED = 2000;

export interface NumberBlock {
  readonly blockId: string;
  readonly centreUnionId: number;
  readonly reservedAt: Date;
  readonly numbers: readonly string[];
}

/**
 * Reserves a block of registration numbers for a centre to hand out while offline. They come from
 * the same sequence as online numbers, are recorded with the centre, and are accepted later only in
 * that centre's batches, once each. Audited (the details give the count and the first and last number).
 */
export async function reserveNumbers(
  trx: Transaction<Database>,
  centreUnionId: number,
  count: number,
  ctx: AuditContext,
): Promise<NumberBlock> {
  const { unused } = await trx
    .selectFrom('number_reservations')
    .select((eb) => eb.fn.countAll<string>().as('unused'))
    .where('centre_union_id', '=', centreUnionId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(unused) + count > MAX_UNUSED_RESERVED) {
    throw new AppError(
      'rule-violated',
      `This centre already holds ${unused} unused reserved numbers; at most ${MAX_UNUSED_RESERVED} may be held. Sync the offline registrations first.`,
    );
  }
  const blockId = randomUUID();
  const numbers = await allocateRegistrationNumbers(trx, count);
  await trx
    .insertInto('number_reservations')
    .values(
      numbers.map((registration_number) => ({
        registration_number,
        centre_union_id: centreUnionId,
        block_id: blockId,
        reserved_at: ctx.at,
        reserved_by: ctx.actor.sub,
      })),
    )
    .execute();
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'registration-numbers.reserve',
    entityType: 'number-block',
    entityId: blockId,
    payload: { blockId, centreUnionId, numbers: [...numbers] },
    details: { centreUnionId, count, first: numbers[0] ?? null, last: numbers.at(-1) ?? null },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return { blockId, centreUnionId, reservedAt: ctx.at, numbers };
}

export interface ReservedNumber {
  readonly registrationNumber: string;
  readonly blockId: string;
  readonly reservedAt: Date;
  readonly usedAt: Date | null;
  readonly usedAs: 'registered' | 'duplicate' | null;
}

/** A centre's reserved numbers, unused ones only unless asked otherwise. */
export async function listReservedNumbers(
  db: Kysely<Database>,
  centreUnionId: number,
  options: { includeUsed?: boolean; limit?: number } = {},
): Promise<ReservedNumber[]> {
  let q = db
    .selectFrom('number_reservations')
    .select(['registration_number', 'block_id', 'reserved_at', 'used_at', 'used_as'])
    .where('centre_union_id', '=', centreUnionId);
  if (!options.includeUsed) q = q.where('used_at', 'is', null);
  const rows = await q
    .orderBy('registration_number')
    .limit(options.limit ?? MAX_UNUSED_RESERVED)
    .execute();
  return rows.map((r) => ({
    registrationNumber: r.registration_number,
    blockId: r.block_id,
    reservedAt: r.reserved_at,
    usedAt: r.used_at,
    usedAs: r.used_as as ReservedNumber['usedAs'],
  }));
}
