import { type Kysely, sql } from 'kysely';
import type { Database } from './types.ts';

/**
 * Fixed-window counters with lockout, shared by every process through the database (one row per
 * key, updated atomically by an upsert). Used by the public status check per client address and per
 * registration number, so that it cannot be used to enumerate registrations.
 */
export interface ThrottlePolicy {
  readonly windowMs: number;
  /** Attempts allowed per window; beyond that, refused until the window ends. */
  readonly maxAttempts: number;
  /** Failures per window that trigger a lockout. */
  readonly maxFailures: number;
  readonly lockoutMs: number;
}

export interface ThrottleState {
  /** Refused: retry after this many seconds. */
  readonly retryAfterSeconds: number | undefined;
}

/** Counts one attempt under `key` at `now`; says whether it must be refused and for how long. */
export async function takeThrottleAttempt(
  db: Kysely<Database>,
  key: string,
  policy: ThrottlePolicy,
  now: Date,
): Promise<ThrottleState> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const { rows } = await sql<{ window_started_at: Date; attempts: number; locked_until: Date | null }>`
    insert into status_check_throttle as t (key, window_started_at, attempts, failures, locked_until)
    values (${key}, ${now}, 1, 0, null)
    on conflict (key) do update set
      attempts = case when t.window_started_at <= ${windowStart} then 1 else t.attempts + 1 end,
      failures = case when t.window_started_at <= ${windowStart} then 0 else t.failures end,
      window_started_at = case when t.window_started_at <= ${windowStart} then ${now} else t.window_started_at end
    returning window_started_at, attempts, locked_until
  `.execute(db);
  const row = rows[0]!;
  const seconds = (until: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  if (row.locked_until && row.locked_until.getTime() > now.getTime()) {
    return { retryAfterSeconds: seconds(row.locked_until) };
  }
  if (row.attempts > policy.maxAttempts) {
    return { retryAfterSeconds: seconds(new Date(row.window_started_at.getTime() + policy.windowMs)) };
  }
  return { retryAfterSeconds: undefined };
}

/** Counts one failure under `key`; at `maxFailures` in the window the key is locked out. */
export async function recordThrottleFailure(
  db: Kysely<Database>,
  key: string,
  policy: ThrottlePolicy,
  now: Date,
): Promise<void> {
  await sql`
    update status_check_throttle
    set failures = failures + 1,
        locked_until = case when failures + 1 >= ${policy.maxFailures}
                            then ${new Date(now.getTime() + policy.lockoutMs)} else locked_until end
    where key = ${key}
  `.execute(db);
}

/** Deletes counters whose window and lockout are both long over. */
export async function purgeThrottle(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('status_check_throttle')
    .where('window_started_at', '<', olderThan)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', olderThan)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
