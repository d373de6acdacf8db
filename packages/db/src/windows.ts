import { AppError, type CanonicalValue, money } from '@g2g/domain';
import {
  amendmentViolations,
  type Gender,
  type RegistrationWindow,
  type WindowDefinition,
} from '@g2g/registration';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { recordAuditEvent } from './audit.ts';
import { isUniqueViolation } from './errors.ts';
import type { AuditContext } from './schemes.ts';
import type { Database, RegistrationWindowScheduleTable, RegistrationWindowTable } from './types.ts';

/** A window as stored: its definition, and a version that every amendment increments. */
export interface StoredWindow extends RegistrationWindow {
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

type Executor = Kysely<Database> | Transaction<Database>;

function toWindow(
  row: Selectable<RegistrationWindowTable>,
  schedule: readonly Selectable<RegistrationWindowScheduleTable>[],
): StoredWindow {
  return {
    id: row.id,
    schemeId: row.scheme_id,
    name: row.name,
    sectors: row.sectors,
    schedule: schedule
      .filter((s) => s.window_id === row.id)
      .map((s) => ({ divisionId: s.division_id, opensAt: s.opens_at, closesAt: s.closes_at }))
      .sort((a, b) => a.divisionId - b.divisionId),
    eligibility: {
      minAge: row.min_age,
      maxAge: row.max_age,
      ageReferenceDate: row.age_reference_date,
      genders: row.genders as Gender[],
      citizenship: 'BD',
    },
    serviceCharge: money(BigInt(row.service_charge_minor), 'BDT'),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function definitionColumns(def: WindowDefinition) {
  return {
    name: def.name,
    sectors: [...def.sectors],
    min_age: def.eligibility.minAge,
    max_age: def.eligibility.maxAge,
    age_reference_date: def.eligibility.ageReferenceDate,
    genders: [...def.eligibility.genders],
    service_charge_minor: def.serviceCharge.amountMinor.toString(),
    service_charge_currency: def.serviceCharge.currency,
  };
}

/** The audited form of a window definition (no personal data in it). */
export function windowPayload(def: WindowDefinition): CanonicalValue {
  return {
    name: def.name,
    sectors: [...def.sectors],
    schedule: def.schedule.map((s) => ({
      divisionId: s.divisionId,
      opensAt: s.opensAt,
      closesAt: s.closesAt,
    })),
    eligibility: { ...def.eligibility, genders: [...def.eligibility.genders] },
    serviceCharge: { amountMinor: def.serviceCharge.amountMinor, currency: def.serviceCharge.currency },
  };
}

async function writeSchedule(trx: Transaction<Database>, windowId: string, def: WindowDefinition) {
  await trx
    .insertInto('registration_window_schedule')
    .values(
      def.schedule.map((s) => ({
        window_id: windowId,
        division_id: s.divisionId,
        opens_at: s.opensAt,
        closes_at: s.closesAt,
      })),
    )
    .execute();
}

export async function createWindow(
  trx: Transaction<Database>,
  window: RegistrationWindow,
  ctx: AuditContext,
): Promise<StoredWindow> {
  try {
    await trx
      .insertInto('registration_windows')
      .values({
        id: window.id,
        scheme_id: window.schemeId,
        ...definitionColumns(window),
        created_at: ctx.at,
        created_by: ctx.actor.sub,
        updated_at: ctx.at,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', `A window with id "${window.id}" already exists.`);
    throw err;
  }
  await writeSchedule(trx, window.id, window);
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'window.create',
    entityType: 'window',
    entityId: window.id,
    payload: { id: window.id, schemeId: window.schemeId, ...(windowPayload(window) as object) },
    details: { scheme: window.schemeId, name: window.name },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return { ...window, version: 1, createdAt: ctx.at, updatedAt: ctx.at };
}

/**
 * Replaces a window's definition under the amendment rules (see `amendmentViolations`): the row is
 * locked, the previous definition is kept in `registration_window_amendments` with the reason, the
 * version goes up, and the change is audited. Registrations already made are never re-checked.
 */
export async function amendWindow(
  trx: Transaction<Database>,
  id: string,
  next: WindowDefinition,
  reason: string,
  ctx: AuditContext,
): Promise<StoredWindow> {
  const current = await findWindow(trx, id, { lock: true });
  if (!current) throw new AppError('not-found', `There is no window "${id}".`);
  const violations = amendmentViolations(current, next, ctx.at);
  if (violations.length > 0) {
    throw new AppError('rule-violated', `The window has opened; ${violations[0]?.detail ?? ''}.`, {
      errors: violations,
    });
  }
  const version = current.version + 1;
  await trx
    .insertInto('registration_window_amendments')
    .values({
      window_id: id,
      version,
      amended_at: ctx.at,
      amended_by: ctx.actor.sub,
      reason,
      previous: JSON.stringify(windowPayload(current), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    })
    .execute();
  await trx
    .updateTable('registration_windows')
    .set({ ...definitionColumns(next), version, updated_at: ctx.at })
    .where('id', '=', id)
    .execute();
  await trx.deleteFrom('registration_window_schedule').where('window_id', '=', id).execute();
  await writeSchedule(trx, id, next);
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'window.amend',
    entityType: 'window',
    entityId: id,
    payload: { definition: windowPayload(next), reason, version },
    details: { reason, version },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return { ...current, ...next, version, updatedAt: ctx.at };
}

export async function findWindow(
  db: Executor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredWindow | undefined> {
  let q = db.selectFrom('registration_windows').selectAll().where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const schedule = await db
    .selectFrom('registration_window_schedule')
    .selectAll()
    .where('window_id', '=', id)
    .execute();
  return toWindow(row, schedule);
}

export async function getWindow(db: Executor, id: string): Promise<StoredWindow> {
  const window = await findWindow(db, id);
  if (!window) throw new AppError('not-found', `There is no window "${id}".`);
  return window;
}

export async function listWindows(
  db: Executor,
  query: { schemeId?: string | undefined } = {},
): Promise<StoredWindow[]> {
  let q = db.selectFrom('registration_windows').selectAll();
  if (query.schemeId !== undefined) q = q.where('scheme_id', '=', query.schemeId);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  if (rows.length === 0) return [];
  const schedule = await db
    .selectFrom('registration_window_schedule')
    .selectAll()
    .where(
      'window_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => toWindow(r, schedule));
}

/** The amendments of a window, oldest first: version, when, by whom, why. */
export async function listWindowAmendments(db: Executor, id: string) {
  const rows = await db
    .selectFrom('registration_window_amendments')
    .select(['version', 'amended_at', 'amended_by', 'reason'])
    .where('window_id', '=', id)
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    amendedAt: r.amended_at,
    amendedBy: r.amended_by,
    reason: r.reason,
  }));
}

/**
 * Windows as the registration hot path sees them: read through a short-lived per-process cache. A
 * stale copy cannot let a registration through: the insert re-checks, in the same statement, that
 * the window's version and the division's times still allow it (see `createRegistration`).
 */
export class WindowCache {
  readonly #db: Kysely<Database>;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { at: number; window: Promise<StoredWindow | undefined> }>();

  constructor(db: Kysely<Database>, ttlMs = 5_000) {
    this.#db = db;
    this.#ttlMs = ttlMs;
  }

  get(id: string, now = Date.now()): Promise<StoredWindow | undefined> {
    const hit = this.#entries.get(id);
    if (hit && now - hit.at < this.#ttlMs) return hit.window;
    const window = findWindow(this.#db, id);
    window.catch(() => this.#entries.delete(id));
    if (this.#entries.size > 1000) this.#entries.clear();
    this.#entries.set(id, { at: now, window });
    return window;
  }

  forget(id: string): void {
    this.#entries.delete(id);
  }
}
