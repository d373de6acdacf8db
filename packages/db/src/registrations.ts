import { AppError, type CanonicalValue } from '@g2g/domain';
import {
  assertCanAmend,
  assertCanWithdraw,
  type DrawOutcome,
  type EducationLevel,
  type Gender,
  type IdentityKind,
  type RegistrationStatus,
  registrationDigest,
  type Worker,
} from '@g2g/registration';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { auditEventRow, recordAuditEvent } from './audit.ts';
import { PREPARED } from './client.ts';
import { enqueueMessages, outboxRow } from './outbox.ts';
import type { AuditContext } from './schemes.ts';
import type { Database, RegistrationTable } from './types.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A registration as stored (the identity number itself is not: only its keyed hash and last 4 digits). */
export interface Registration {
  readonly registrationNumber: string;
  readonly windowId: string;
  readonly centreUnionId: number;
  readonly permanentUnionId: number;
  readonly idKind: IdentityKind;
  readonly idLast4: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly gender: Gender;
  readonly dateOfBirth: string;
  readonly mobile: string;
  readonly preferredSectors: readonly string[];
  readonly education: EducationLevel;
  readonly trade: string | null;
  readonly skills: readonly string[];
  readonly experienceYears: number;
  readonly passportNumber: string | null;
  readonly status: RegistrationStatus;
  readonly waitlistPosition: number | null;
  readonly channel: 'online' | 'offline';
  readonly registeredAt: Date;
  readonly registeredBy: string;
  readonly withdrawnAt: Date | null;
  readonly withdrawalReason: string | null;
}

const columns = [
  'registration_number',
  'window_id',
  'centre_union_id',
  'permanent_union_id',
  'id_kind',
  'id_last4',
  'name_en',
  'name_bn',
  'gender',
  'date_of_birth',
  'mobile',
  'preferred_sectors',
  'education',
  'trade',
  'skills',
  'experience_years',
  'passport_number',
  'status',
  'waitlist_position',
  'channel',
  'registered_at',
  'registered_by',
  'withdrawn_at',
  'withdrawal_reason',
] as const;

type RegistrationRow = Pick<Selectable<RegistrationTable>, (typeof columns)[number]>;

export function toRegistration(r: RegistrationRow): Registration {
  return {
    registrationNumber: r.registration_number,
    windowId: r.window_id,
    centreUnionId: r.centre_union_id,
    permanentUnionId: r.permanent_union_id,
    idKind: r.id_kind as IdentityKind,
    idLast4: r.id_last4,
    nameEn: r.name_en,
    nameBn: r.name_bn,
    gender: r.gender as Gender,
    dateOfBirth: r.date_of_birth,
    mobile: r.mobile,
    preferredSectors: r.preferred_sectors,
    education: r.education as EducationLevel,
    trade: r.trade,
    skills: r.skills,
    experienceYears: r.experience_years,
    passportNumber: r.passport_number,
    status: r.status as RegistrationStatus,
    waitlistPosition: r.waitlist_position,
    channel: r.channel as 'online' | 'offline',
    registeredAt: r.registered_at,
    registeredBy: r.registered_by,
    withdrawnAt: r.withdrawn_at,
    withdrawalReason: r.withdrawal_reason,
  };
}

/** What a new registration is made of, all checked: the worker, where and when, and its number. */
export interface NewRegistration {
  readonly registrationNumber: string;
  readonly windowId: string;
  /** The window version the rules were checked against; the insert re-checks it. */
  readonly windowVersion: number;
  readonly windowName: string;
  readonly centreUnionId: number;
  /** The centre's division: its opening times apply. */
  readonly divisionId: number;
  readonly worker: Worker;
  /** Hex HMAC-SHA-256 of `worker.identity.hashInput` under the server's ID hash secret. */
  readonly idHash: string;
  readonly channel: 'online' | 'offline';
  readonly registeredAt: Date;
}

export type CreateRegistrationOutcome =
  | { readonly kind: 'created' }
  | { readonly kind: 'duplicate'; readonly existingNumber: string }
  /** The window was amended or closed since the caller read it: read it again and re-check. */
  | { readonly kind: 'window-changed' };

/** The record a new registration becomes (as `findRegistration` will read it back). */
export function newRegistrationRecord(reg: NewRegistration, registeredBy: string): Registration {
  const w = reg.worker;
  return {
    registrationNumber: reg.registrationNumber,
    windowId: reg.windowId,
    centreUnionId: reg.centreUnionId,
    permanentUnionId: w.permanentUnionId,
    idKind: w.identity.kind,
    idLast4: w.identity.last4,
    nameEn: w.nameEn,
    nameBn: w.nameBn,
    gender: w.gender,
    dateOfBirth: w.dateOfBirth,
    mobile: w.mobile,
    preferredSectors: w.preferredSectors,
    education: w.education,
    trade: w.trade,
    skills: w.skills,
    experienceYears: w.experienceYears,
    passportNumber: w.passportNumber,
    status: 'registered',
    waitlistPosition: null,
    channel: reg.channel,
    registeredAt: reg.registeredAt,
    registeredBy,
    withdrawnAt: null,
    withdrawalReason: null,
  };
}

/**
 * The audited payload of a registration: its number, place and time, the identity's keyed hash, and
 * the digest of everything recorded about the worker (`registrationDigest`).
 */
export function registrationPayload(reg: NewRegistration, registeredBy: string): CanonicalValue {
  return {
    registrationNumber: reg.registrationNumber,
    windowId: reg.windowId,
    centreUnionId: reg.centreUnionId,
    channel: reg.channel,
    registeredAt: reg.registeredAt,
    registeredBy,
    idHash: reg.idHash,
    contentDigest: registrationDigest(reg.windowId, reg.worker),
  };
}

export function confirmationMessage(registrationNumber: string, windowName: string, mobile: string) {
  return {
    channel: 'sms' as const,
    recipient: mobile,
    template: 'registration.confirmed' as const,
    params: { registrationNumber, windowName },
    dedupeKey: `registration.confirmed:${registrationNumber}`,
  };
}

/**
 * Registers one worker in a single statement, so that the registration, its audit event and its SMS
 * confirmation are written together or not at all, with no lock beyond the rows it writes:
 * - the window's version and this division's times are re-checked inside the statement (a cached
 *   window that has since changed gives `window-changed`);
 * - one active registration per person per window is the partial unique index; a concurrent or
 *   earlier registration of the same identity gives `duplicate` with its number.
 * Works on a transaction (with an Idempotency-Key) or on the pool directly (one atomic statement).
 */
export async function createRegistration(
  db: Executor,
  reg: NewRegistration,
  ctx: AuditContext,
): Promise<CreateRegistrationOutcome> {
  const w = reg.worker;
  const audit = auditEventRow({
    actor: ctx.actor,
    action: 'registration.create',
    entityType: 'registration',
    entityId: reg.registrationNumber,
    payload: registrationPayload(reg, ctx.actor.sub),
    details: { windowId: reg.windowId, centreUnionId: reg.centreUnionId, channel: reg.channel },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  const message = outboxRow(confirmationMessage(reg.registrationNumber, reg.windowName, w.mobile));
  const { rows } = await sql<{ allowed: boolean; created: string | null }>`${sql.raw(PREPARED)}
    with allowed as (
      select 1 from registration_windows w
      join registration_window_schedule s on s.window_id = w.id
      where w.id = ${reg.windowId} and w.version = ${reg.windowVersion} and s.division_id = ${reg.divisionId}
        and s.opens_at <= ${reg.registeredAt} and s.closes_at > ${reg.registeredAt}
    ),
    ins as (
      insert into registrations (
        registration_number, window_id, centre_union_id, permanent_union_id, id_kind, id_hash, id_last4,
        name_en, name_bn, gender, date_of_birth, mobile, preferred_sectors, education, trade, skills,
        experience_years, passport_number, channel, registered_at, registered_by
      )
      select ${reg.registrationNumber}, ${reg.windowId}, ${reg.centreUnionId}, ${w.permanentUnionId},
        ${w.identity.kind}, decode(${reg.idHash}, 'hex'), ${w.identity.last4}, ${w.nameEn}, ${w.nameBn},
        ${w.gender}, ${w.dateOfBirth}::date, ${w.mobile}, ${[...w.preferredSectors]}::text[], ${w.education},
        ${w.trade}, ${[...w.skills]}::text[], ${w.experienceYears}, ${w.passportNumber}, ${reg.channel},
        ${reg.registeredAt}, ${ctx.actor.sub}
      where exists (select 1 from allowed)
      on conflict (window_id, id_hash) where active do nothing
      returning registration_number
    ),
    audit as (
      insert into audit_events (
        occurred_at, actor_sub, actor_role, action, entity_type, entity_id, payload_digest, details, request_id
      )
      select ${audit.occurred_at}, ${audit.actor_sub}, ${audit.actor_role}, ${audit.action}, ${audit.entity_type},
        ${audit.entity_id}, ${audit.payload_digest}, ${audit.details}::jsonb, ${audit.request_id}
      from ins
    ),
    outbox as (
      insert into outbox_messages (channel, recipient, template, body, dedupe_key)
      select ${message.channel}, ${message.recipient}, ${message.template}, ${message.body}, ${message.dedupe_key}
      from ins
      on conflict (dedupe_key) do nothing
    )
    select exists (select 1 from allowed) as allowed, (select registration_number from ins) as created
  `.execute(db);
  const row = rows[0];
  if (row?.created) return { kind: 'created' };
  if (!row?.allowed) return { kind: 'window-changed' };
  const existing = await findActiveNumber(db, reg.windowId, reg.idHash);
  // The other registration was withdrawn between the insert and this read: report it as changed so
  // the caller tries again (it will then succeed).
  return existing ? { kind: 'duplicate', existingNumber: existing } : { kind: 'window-changed' };
}

/** The active registration number for an identity hash in a window, if any. */
export async function findActiveNumber(
  db: Executor,
  windowId: string,
  idHash: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('registrations')
    .select('registration_number')
    .where('window_id', '=', windowId)
    .where(sql<boolean>`id_hash = decode(${idHash}, 'hex')`)
    .where('active', '=', true)
    .executeTakeFirst();
  return row?.registration_number;
}

export async function findRegistration(db: Executor, number: string): Promise<Registration | undefined> {
  const row = await db
    .selectFrom('registrations')
    .select(columns)
    .where('registration_number', '=', number)
    .executeTakeFirst();
  return row ? toRegistration(row) : undefined;
}

/**
 * A centre's own registration. Another centre's record is "not found", exactly like a number that
 * does not exist, so that operators cannot probe for other centres' registrations.
 */
export async function getCentreRegistration(
  db: Executor,
  number: string,
  centreUnionId: number,
  options: { lock?: boolean } = {},
): Promise<Registration> {
  let q = db
    .selectFrom('registrations')
    .select(columns)
    .where('registration_number', '=', number)
    .where('centre_union_id', '=', centreUnionId);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('not-found', `This centre has no registration ${number}.`);
  return toRegistration(row);
}

export interface CentreRegistrationQuery {
  readonly centreUnionId: number;
  readonly windowId?: string | undefined;
  readonly status?: RegistrationStatus | undefined;
  /** Registered at or after (inclusive). */
  readonly from?: Date | undefined;
  /** Registered before (exclusive). */
  readonly to?: Date | undefined;
  /** An exact registration number. */
  readonly number?: string | undefined;
  /** Part of the English or Bangla name (case-insensitive). */
  readonly name?: string | undefined;
  /** Keyset cursor: the last row of the previous page (newest first). */
  readonly before?: { readonly registeredAt: Date; readonly registrationNumber: string } | undefined;
  readonly limit: number;
}

/** A centre's registrations, newest first, filtered and paged by keyset. */
export async function listCentreRegistrations(
  db: Executor,
  query: CentreRegistrationQuery,
): Promise<Registration[]> {
  let q = db.selectFrom('registrations').select(columns).where('centre_union_id', '=', query.centreUnionId);
  if (query.windowId !== undefined) q = q.where('window_id', '=', query.windowId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.from !== undefined) q = q.where('registered_at', '>=', query.from);
  if (query.to !== undefined) q = q.where('registered_at', '<', query.to);
  if (query.number !== undefined) q = q.where('registration_number', '=', query.number);
  if (query.name !== undefined) {
    const pattern = `%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('name_en', 'ilike', pattern), eb('name_bn', 'like', pattern)]));
  }
  if (query.before !== undefined) {
    const { registeredAt, registrationNumber } = query.before;
    q = q.where(
      sql<boolean>`(registered_at, registration_number) < (${registeredAt}, ${registrationNumber})`,
    );
  }
  const rows = await q
    .orderBy('registered_at', 'desc')
    .orderBy('registration_number', 'desc')
    .limit(query.limit)
    .execute();
  return rows.map(toRegistration);
}

/** Contact and skills: the only fields an operator may change after registration. */
export interface RegistrationAmendment {
  readonly mobile?: string | undefined;
  readonly education?: EducationLevel | undefined;
  readonly trade?: string | null | undefined;
  readonly skills?: readonly string[] | undefined;
  readonly experienceYears?: number | undefined;
  readonly passportNumber?: string | null | undefined;
}

/**
 * Amends contact details or skills of a centre's own registration, with a reason (audited: the
 * details name the fields changed, never their values). A new mobile number is told at both the old
 * and the new number, so a worker notices a change they did not ask for.
 */
export async function amendRegistration(
  trx: Transaction<Database>,
  number: string,
  centreUnionId: number,
  changes: RegistrationAmendment,
  reason: string,
  ctx: AuditContext,
): Promise<Registration> {
  const current = await getCentreRegistration(trx, number, centreUnionId, { lock: true });
  assertCanAmend(current.status);
  const set = {
    ...(changes.mobile !== undefined ? { mobile: changes.mobile } : {}),
    ...(changes.education !== undefined ? { education: changes.education } : {}),
    ...(changes.trade !== undefined ? { trade: changes.trade } : {}),
    ...(changes.skills !== undefined ? { skills: [...changes.skills] } : {}),
    ...(changes.experienceYears !== undefined ? { experience_years: changes.experienceYears } : {}),
    ...(changes.passportNumber !== undefined ? { passport_number: changes.passportNumber } : {}),
  };
  const fields = Object.keys(changes)
    .filter((k) => changes[k as keyof RegistrationAmendment] !== undefined)
    .sort();
  if (fields.length === 0) {
    throw new AppError('validation-failed', 'Nothing to change.', {
      errors: [{ pointer: '/body', detail: 'name at least one of the amendable fields' }],
    });
  }
  const row = await trx
    .updateTable('registrations')
    .set(set)
    .where('registration_number', '=', number)
    .returning(columns)
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'registration.amend',
    entityType: 'registration',
    entityId: number,
    payload: { changes: changes as CanonicalValue, reason },
    details: { reason, fields },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  if (changes.mobile !== undefined && changes.mobile !== current.mobile) {
    const stamp = ctx.at.toISOString();
    await enqueueMessages(
      trx,
      [current.mobile, changes.mobile].map((recipient, i) => ({
        channel: 'sms' as const,
        recipient,
        template: 'registration.contact-changed' as const,
        params: { registrationNumber: number },
        dedupeKey: `registration.contact-changed:${number}:${stamp}:${i === 0 ? 'old' : 'new'}`,
      })),
    );
  }
  return toRegistration(row);
}

/** Withdraws a centre's own registration with a reason (audited; the worker is told by SMS). */
export async function withdrawRegistration(
  trx: Transaction<Database>,
  number: string,
  centreUnionId: number,
  reason: string,
  ctx: AuditContext,
): Promise<Registration> {
  const current = await getCentreRegistration(trx, number, centreUnionId, { lock: true });
  assertCanWithdraw(current.status);
  const row = await trx
    .updateTable('registrations')
    .set({ status: 'withdrawn', withdrawn_at: ctx.at, withdrawal_reason: reason })
    .where('registration_number', '=', number)
    .returning(columns)
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'registration.withdraw',
    entityType: 'registration',
    entityId: number,
    payload: { registrationNumber: number, reason },
    details: { reason, windowId: current.windowId },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  await enqueueMessages(trx, [
    {
      channel: 'sms',
      recipient: current.mobile,
      template: 'registration.withdrawn',
      params: { registrationNumber: number },
      dedupeKey: `registration.withdrawn:${number}`,
    },
  ]);
  return toRegistration(row);
}

// ---------------------------------------------------------------------------------------------
// For the draw engine (issue 5): freezing a window's pool, reading it, and recording outcomes.

/** One entry of a window's draw pool: what the lottery and its fairness reports need, nothing personal. */
export interface PoolEntry {
  readonly registrationNumber: string;
  readonly windowId: string;
  readonly centreUnionId: number;
  readonly permanentUnionId: number;
  readonly upazilaId: number;
  readonly districtId: number;
  readonly divisionId: number;
  readonly gender: Gender;
  readonly dateOfBirth: string;
  readonly preferredSectors: readonly string[];
  /** The Dhaka date of registration: for fairness reports only, never for selection. */
  readonly registeredOn: string;
  readonly status: RegistrationStatus;
}

/**
 * Moves every `registered` registration of a window into its draw pool (`in_draw_pool`), audited
 * with the count. From then on they cannot be withdrawn. Returns the number moved.
 */
export async function freezeDrawPool(
  trx: Transaction<Database>,
  windowId: string,
  ctx: AuditContext,
): Promise<number> {
  return (await freezeDrawPoolEntries(trx, windowId, ctx)).filter((r) => r.moved).length;
}

/** A registration as the freeze moves it into the pool: the attributes a draw uses, nothing personal. */
export interface FrozenPoolRow {
  readonly registrationNumber: string;
  readonly permanentUnionId: number;
  readonly gender: Gender;
  readonly dateOfBirth: string;
  readonly preferredSectors: readonly string[];
  /** The Dhaka date of registration. */
  readonly registeredOn: string;
  /** Moved into the pool by this freeze (false: already there). */
  readonly moved: boolean;
}

/**
 * `freezeDrawPool`, returning the whole pool (any order) from the same statement: the rows it moved
 * and any already in the pool, so that a national pool is snapshotted in one pass over the table.
 */
export async function freezeDrawPoolEntries(
  trx: Transaction<Database>,
  windowId: string,
  ctx: AuditContext,
): Promise<FrozenPoolRow[]> {
  // Rows already in the pool (frozen by an earlier draw that was voided) come from the statement's
  // snapshot, the newly moved ones from the update. The rows travel as tab-separated lines joined
  // into a few large texts (sectors as JSON): a national pool is over a million rows, and one text
  // field per 50,000 of them costs far less to send and decode than seven fields per row.
  const { rows } = await sql<{ lines: string }>`
    with moved as (
      update registrations set status = 'in_draw_pool'
      where window_id = ${windowId} and status = 'registered'
      returning registration_number, permanent_union_id, gender, date_of_birth, preferred_sectors, registered_at
    ), pool as (
      select *, true as moved from moved
      union all
      select registration_number, permanent_union_id, gender, date_of_birth, preferred_sectors, registered_at, false
      from registrations where window_id = ${windowId} and status = 'in_draw_pool'
    ), lines as (
      select (row_number() over ()) / 50000 as part,
        concat_ws(E'\t', case when moved then 't' else 'f' end, registration_number, permanent_union_id, gender,
          date_of_birth::text, array_to_json(preferred_sectors)::text,
          (((registered_at at time zone 'UTC') + interval '6 hours')::date)::text) as line
      from pool
    )
    select string_agg(line, E'\n') as lines from lines group by part
  `.execute(trx);
  const out: FrozenPoolRow[] = [];
  const sectorLists = new Map<string, readonly string[]>();
  let count = 0;
  for (const { lines } of rows) {
    for (const line of lines.split('\n')) {
      const [moved, n, u, g, b, s, d] = line.split('\t') as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      let sectors = sectorLists.get(s);
      if (sectors === undefined) {
        sectors = JSON.parse(s) as string[];
        sectorLists.set(s, sectors);
      }
      if (moved === 't') count++;
      out.push({
        registrationNumber: n,
        permanentUnionId: Number(u),
        gender: g as Gender,
        dateOfBirth: b,
        preferredSectors: sectors,
        registeredOn: d,
        moved: moved === 't',
      });
    }
  }
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'registration.pool-freeze',
    entityType: 'window',
    entityId: windowId,
    payload: { windowId, count },
    details: { count },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return out;
}

/**
 * Reads a window's pool in registration-number order, a page at a time (`after`: the last number of
 * the previous page). By default the frozen pool (`in_draw_pool`); pass statuses to read others.
 */
export async function listDrawPool(
  db: Executor,
  windowId: string,
  options: { after?: string; limit?: number; statuses?: readonly RegistrationStatus[] } = {},
): Promise<PoolEntry[]> {
  let q = db
    .selectFrom('registrations as r')
    .innerJoin('unions as un', 'un.id', 'r.permanent_union_id')
    .innerJoin('upazilas as up', 'up.id', 'un.upazila_id')
    .innerJoin('districts as di', 'di.id', 'up.district_id')
    .select([
      'r.registration_number',
      'r.window_id',
      'r.centre_union_id',
      'r.permanent_union_id',
      'up.id as upazila_id',
      'di.id as district_id',
      'di.division_id',
      'r.gender',
      'r.date_of_birth',
      'r.preferred_sectors',
      'r.status',
      sql<string>`((r.registered_at at time zone 'UTC') + interval '6 hours')::date`.as('registered_on'),
    ])
    .where('r.window_id', '=', windowId)
    .where('r.status', 'in', [...(options.statuses ?? ['in_draw_pool'])]);
  if (options.after !== undefined) q = q.where('r.registration_number', '>', options.after);
  const rows = await q
    .orderBy('r.registration_number')
    .limit(options.limit ?? 10_000)
    .execute();
  return rows.map((r) => ({
    registrationNumber: r.registration_number,
    windowId: r.window_id,
    centreUnionId: r.centre_union_id,
    permanentUnionId: r.permanent_union_id,
    upazilaId: r.upazila_id,
    districtId: r.district_id,
    divisionId: r.division_id,
    gender: r.gender as Gender,
    dateOfBirth: r.date_of_birth,
    preferredSectors: r.preferred_sectors,
    registeredOn: r.registered_on,
    status: r.status as RegistrationStatus,
  }));
}

export interface DrawOutcomeInput {
  readonly registrationNumber: string;
  readonly outcome: DrawOutcome;
  /** 1-based, for `waitlisted` only. */
  readonly waitlistPosition?: number | undefined;
}

/**
 * Records a published draw's outcomes for registrations of one window, set-wise and audited once.
 * Allowed moves: from the pool to any outcome, and from the waiting list to selected or not selected
 * (a waitlisted worker promoted or released). Any registration not in an allowed state makes the whole
 * call fail with `conflict`, naming it; nothing is changed then.
 */
export async function recordDrawOutcomes(
  trx: Transaction<Database>,
  windowId: string,
  outcomes: readonly DrawOutcomeInput[],
  ctx: AuditContext & { readonly drawId: string },
): Promise<number> {
  if (outcomes.length === 0) return 0;
  for (const o of outcomes) {
    if ((o.outcome === 'waitlisted') !== (o.waitlistPosition !== undefined)) {
      throw new AppError(
        'validation-failed',
        'A waitlist position goes with a waitlisted outcome, and only there.',
        {
          errors: [{ pointer: '/outcomes', detail: `registration ${o.registrationNumber}` }],
        },
      );
    }
  }
  const payload = JSON.stringify(
    outcomes.map((o) => ({ n: o.registrationNumber, s: o.outcome, p: o.waitlistPosition ?? null })),
  );
  const { rows } = await sql<{ registration_number: string }>`
    update registrations as r
    set status = x.s, waitlist_position = x.p
    from jsonb_to_recordset(${payload}::jsonb) as x(n text, s text, p integer)
    where r.registration_number = x.n and r.window_id = ${windowId}
      and (r.status = 'in_draw_pool' or (r.status = 'waitlisted' and x.s in ('selected', 'not_selected')))
    returning r.registration_number
  `.execute(trx);
  if (rows.length !== outcomes.length) {
    const done = new Set(rows.map((r) => r.registration_number));
    const missing = outcomes.find((o) => !done.has(o.registrationNumber));
    throw new AppError(
      'conflict',
      `Registration ${missing?.registrationNumber} is not in window ${windowId}'s pool or waiting list in a state that allows this outcome.`,
    );
  }
  const counts = { selected: 0, waitlisted: 0, not_selected: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'registration.draw-outcomes',
    entityType: 'window',
    entityId: windowId,
    payload: { drawId: ctx.drawId, outcomes: payload },
    details: { drawId: ctx.drawId, ...counts },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return rows.length;
}
