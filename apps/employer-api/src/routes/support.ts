import type { Database } from '@g2g/db';
import { type ActingContext, demandActorOf, runIdempotent, type Transaction } from '@g2g/db';
import type { DemandActor } from '@g2g/demand';
import type { CanonicalValue } from '@g2g/domain';
import {
  type AppDeps,
  type AppEnv,
  actingContext,
  decodeCursor,
  encodeCursor,
  idempotencyClaim,
} from '@g2g/http';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

/** Who is calling, as the demand rules see it: the role it acts in and the employer it acts for. */
export function callerOf(c: Context<AppEnv>): DemandActor {
  return demandActorOf(actingContext(c));
}

/**
 * Runs a write in one transaction with the caller's acting context, once per Idempotency-Key (the
 * key is claimed in the same transaction), and returns the response body to send.
 */
export async function idempotentWrite<T>(
  c: Context<AppEnv>,
  deps: AppDeps,
  request: CanonicalValue,
  status: 200 | 201,
  work: (trx: Transaction<Database>, ctx: ActingContext) => Promise<T>,
): Promise<T> {
  const ctx = actingContext(c);
  const outcome = await runIdempotent(deps.db, idempotencyClaim(c, request), async (trx) => ({
    status,
    body: await work(trx, ctx),
  }));
  return outcome.body;
}

const timeIdCursor = z.object({ at: z.string().datetime(), id: z.string().min(1).max(64) });

/** Keyset cursors over (timestamp, id): lists ordered by creation. */
export function readTimeIdCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const { at, id } = decodeCursor(cursor, timeIdCursor);
  return { at: new Date(at), id };
}

export function nextTimeIdCursor<T>(
  rows: readonly T[],
  limit: number,
  key: (row: T) => { at: Date; id: string },
): string | null {
  const last = rows.slice(0, limit).at(-1);
  if (rows.length <= limit || !last) return null;
  const { at, id } = key(last);
  return encodeCursor({ at: at.toISOString(), id });
}
