import { AppError } from '@g2g/domain';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './types.ts';

export interface IdempotencyClaim {
  /** Whose key it is (e.g. `registration:centre:U1414:sub`); keys of different callers never meet. */
  readonly scope: string;
  readonly key: string;
  /** Digest of the request (method, path and canonical body). */
  readonly requestHash: string;
}

export interface StoredResponse<T> {
  readonly status: number;
  readonly body: T;
}

export interface IdempotentOutcome<T> extends StoredResponse<T> {
  readonly replayed: boolean;
}

/**
 * Runs `work` at most once per (scope, key), in one transaction with the record of its response
 * (the Stripe pattern: the key is claimed in the same transaction as the work).
 *
 * - First call: takes a transaction-scoped advisory lock on the key, runs `work`, stores its
 *   response with the request hash, commits both together. If `work` throws, nothing is stored
 *   and a retry runs it afresh.
 * - Retry with the same request: the stored response is returned (`replayed: true`).
 * - Same key, different request: 422 `idempotency-key-reused`.
 * - Retry while the first is still running: 409 `idempotency-key-in-progress`.
 * Without a key, `work` simply runs in a transaction.
 */
export async function runIdempotent<T>(
  db: Kysely<Database>,
  claim: IdempotencyClaim | undefined,
  work: (trx: Transaction<Database>) => Promise<StoredResponse<T>>,
): Promise<IdempotentOutcome<T>> {
  return db.transaction().execute(async (trx) => {
    if (!claim) return { ...(await work(trx)), replayed: false };
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_xact_lock(hashtextextended(${`${claim.scope}\u0001${claim.key}`}, 7)) as locked
    `.execute(trx);
    if (!rows[0]?.locked) {
      throw new AppError(
        'idempotency-key-in-progress',
        'A request with this Idempotency-Key is still being processed; retry after it completes.',
        { retryAfter: 1 },
      );
    }
    const existing = await trx
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'response_status', 'response_body'])
      .where('scope', '=', claim.scope)
      .where('key', '=', claim.key)
      .executeTakeFirst();
    if (existing) {
      if (existing.request_hash !== claim.requestHash) {
        throw new AppError(
          'idempotency-key-reused',
          'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
        );
      }
      return { status: existing.response_status, body: existing.response_body as T, replayed: true };
    }
    const response = await work(trx);
    await trx
      .insertInto('idempotency_keys')
      .values({
        scope: claim.scope,
        key: claim.key,
        request_hash: claim.requestHash,
        response_status: response.status,
        response_body: JSON.stringify(response.body),
      })
      .execute();
    return { ...response, replayed: false };
  });
}
