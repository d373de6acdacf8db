import {
  type AgeRange,
  activePlacementStages,
  type CloseOutcome,
  canonicalTerms,
  type DemandActor,
  type DemandCommand,
  type DemandEvent,
  type DemandOrderState,
  type DemandStatus,
  type DemandTerms,
  decide,
  demandNotFound,
  demandVisibleTo,
  type EmployerStatus,
  evolve,
  type Gender,
  openVacancies,
} from '@g2g/demand';
import { AppError, type Currency, money } from '@g2g/domain';
import { type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import { type AuditEventInput, recordAuditEvent } from './audit.ts';
import { type ActingContext, demandActorOf } from './employers.ts';
import { getScheme } from './schemes.ts';
import type { Database, DemandOrderTable, DemandOrderVersionTable } from './types.ts';

/** A demand order as stored: its state (status, current terms, fill count) and when things happened. */
export interface DemandOrderRecord extends DemandOrderState {
  readonly createdAt: Date;
  readonly submittedAt: Date | null;
  readonly approvedAt: Date | null;
  readonly decidedAt: Date | null;
  readonly closedAt: Date | null;
  readonly updatedAt: Date;
}

export interface DemandOrderVersion {
  readonly demandOrderId: string;
  readonly version: number;
  readonly terms: DemandTerms;
  /** The approved number of workers when this version was recorded (null before approval). */
  readonly workersApproved: number | null;
  readonly reason: string | null;
  readonly recordedAt: Date;
  readonly recordedBy: { readonly sub: string; readonly role: string };
}

/** SQL list of the stages that count toward an order (same set as @g2g/demand's activePlacementStages). */
export const ACTIVE_STAGES = sql.join(activePlacementStages.map((s) => sql.lit(s)));

/**
 * The age range workers can be drawn from for the scheme: the union of its registration windows'
 * eligibility ranges (a demand order asking for ages no window registers could never be filled).
 * Undefined while the scheme has no window; then only the scheme's own limits apply.
 */
export async function findWindowAgeLimits(
  db: Kysely<Database> | Transaction<Database>,
  schemeId: string,
): Promise<AgeRange | undefined> {
  const row = await db
    .selectFrom('registration_windows')
    .select((eb) => [eb.fn.min('min_age').as('min'), eb.fn.max('max_age').as('max')])
    .where('scheme_id', '=', schemeId)
    .executeTakeFirst();
  if (!row || row.min === null || row.max === null) return undefined;
  return { min: Number(row.min), max: Number(row.max) };
}

function termsFrom(v: Selectable<DemandOrderVersionTable>): DemandTerms {
  const currency = v.wage_currency as Currency;
  return {
    sector: v.sector,
    jobTitle: v.job_title,
    trade: v.trade,
    requiredSkills: v.required_skills,
    workersRequested: v.workers_requested,
    gender: v.gender as Gender,
    ageRange: { min: v.min_age, max: v.max_age },
    monthlyWage: money(BigInt(v.monthly_wage_minor), currency),
    contractMonths: v.contract_months,
    workLocation: v.work_location,
    accommodation: {
      provided: v.accommodation_provided,
      monthlyDeduction: money(BigInt(v.accommodation_deduction_minor), currency),
      terms: v.accommodation_terms,
    },
    food: {
      provided: v.food_provided,
      monthlyDeduction: money(BigInt(v.food_deduction_minor), currency),
      terms: v.food_terms,
    },
    expectedStartDate: v.expected_start_date,
  };
}

function versionRow(
  orderId: string,
  version: number,
  terms: DemandTerms,
  extra: { workersApproved: number | null; reason: string | null },
  ctx: ActingContext,
) {
  return {
    demand_order_id: orderId,
    version,
    sector: terms.sector,
    job_title: terms.jobTitle,
    trade: terms.trade,
    required_skills: [...terms.requiredSkills],
    workers_requested: terms.workersRequested,
    gender: terms.gender,
    min_age: terms.ageRange.min,
    max_age: terms.ageRange.max,
    wage_currency: terms.monthlyWage.currency,
    monthly_wage_minor: terms.monthlyWage.amountMinor,
    contract_months: terms.contractMonths,
    work_location: terms.workLocation,
    accommodation_provided: terms.accommodation.provided,
    accommodation_deduction_minor: terms.accommodation.monthlyDeduction.amountMinor,
    accommodation_terms: terms.accommodation.terms,
    food_provided: terms.food.provided,
    food_deduction_minor: terms.food.monthlyDeduction.amountMinor,
    food_terms: terms.food.terms,
    expected_start_date: terms.expectedStartDate,
    workers_approved: extra.workersApproved,
    reason: extra.reason,
    recorded_at: ctx.at,
    recorded_by_sub: ctx.actor.sub,
    recorded_by_role: ctx.actor.role,
  };
}

function ordersWithTerms(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom('demand_orders as o')
    .innerJoin('demand_order_versions as v', (join) =>
      join.onRef('v.demand_order_id', '=', 'o.id').onRef('v.version', '=', 'o.version'),
    )
    .selectAll('v')
    .select([
      'o.id',
      'o.employer_id',
      'o.scheme_id',
      'o.status',
      'o.workers_approved as order_workers_approved',
      'o.reject_reason',
      'o.close_outcome',
      'o.close_reason',
      'o.created_at',
      'o.submitted_at',
      'o.approved_at',
      'o.decided_at',
      'o.closed_at',
      'o.updated_at',
      sql<number>`(select count(*)::int from placements p where p.demand_order_id = o.id and p.stage in (${ACTIVE_STAGES}))`.as(
        'active_placements',
      ),
    ]);
}

type OrderRow = Awaited<ReturnType<ReturnType<typeof ordersWithTerms>['executeTakeFirstOrThrow']>>;

function toRecord(r: OrderRow): DemandOrderRecord {
  return {
    id: r.id,
    employerId: r.employer_id,
    schemeId: r.scheme_id,
    status: r.status as DemandStatus,
    version: r.version,
    terms: termsFrom(r),
    workersApproved: r.order_workers_approved,
    everApproved: r.approved_at !== null,
    rejectReason: r.reject_reason,
    closeOutcome: r.close_outcome as CloseOutcome | null,
    closeReason: r.close_reason,
    activePlacements: Number(r.active_placements),
    createdAt: r.created_at,
    submittedAt: r.submitted_at,
    approvedAt: r.approved_at,
    decidedAt: r.decided_at,
    closedAt: r.closed_at,
    updatedAt: r.updated_at,
  };
}

async function loadOrder(
  db: Kysely<Database> | Transaction<Database>,
  id: string,
): Promise<DemandOrderRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await ordersWithTerms(db).where('o.id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else names no row (and must not reach a uuid column as a cast error). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Reads an order the actor may see (404, with the same words as for a missing one, otherwise). */
export async function getDemandOrderFor(
  db: Kysely<Database>,
  id: string,
  actor: DemandActor,
): Promise<DemandOrderRecord> {
  const order = await loadOrder(db, id);
  if (!order || !demandVisibleTo(actor, order)) throw demandNotFound(id);
  return order;
}

export interface DemandOrderQuery {
  readonly status?: DemandStatus | undefined;
  readonly schemeId?: string | undefined;
  readonly employerId?: string | undefined;
  /** Keyset cursor: the last (created_at, id) of the previous page; pages run newest first. */
  readonly before?: { readonly at: Date; readonly id: string } | undefined;
  readonly limit: number;
}

/**
 * Lists the orders the actor may see, newest first: an employer its own, ministry officers and
 * auditors those ever approved, the committee all. Other roles see none.
 */
export async function listDemandOrdersFor(
  db: Kysely<Database>,
  actor: DemandActor,
  query: DemandOrderQuery,
): Promise<DemandOrderRecord[]> {
  let q = ordersWithTerms(db);
  switch (actor.role) {
    case 'committee':
      break;
    case 'employer':
      q = q.where('o.employer_id', '=', actor.employerId ?? '');
      break;
    case 'ministry_officer':
    case 'auditor':
      q = q.where('o.approved_at', 'is not', null);
      break;
    default:
      return [];
  }
  if (query.status !== undefined) q = q.where('o.status', '=', query.status);
  if (query.schemeId !== undefined) q = q.where('o.scheme_id', '=', query.schemeId);
  if (query.employerId !== undefined) q = q.where('o.employer_id', '=', query.employerId);
  if (query.before !== undefined) {
    q = q.where(sql<boolean>`(o.created_at, o.id) < (${query.before.at}, ${query.before.id}::uuid)`);
  }
  const rows = await q.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(query.limit).execute();
  return rows.map(toRecord);
}

export async function listDemandOrderVersionsFor(
  db: Kysely<Database>,
  id: string,
  actor: DemandActor,
): Promise<DemandOrderVersion[]> {
  await getDemandOrderFor(db, id, actor);
  const rows = await db
    .selectFrom('demand_order_versions')
    .selectAll()
    .where('demand_order_id', '=', id)
    .orderBy('version')
    .execute();
  return rows.map(toVersion);
}

export async function getDemandOrderVersionFor(
  db: Kysely<Database>,
  id: string,
  version: number,
  actor: DemandActor,
): Promise<DemandOrderVersion> {
  await getDemandOrderFor(db, id, actor);
  const row = await db
    .selectFrom('demand_order_versions')
    .selectAll()
    .where('demand_order_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new AppError('not-found', `Demand order ${id} has no version ${version}.`);
  return toVersion(row);
}

function toVersion(row: Selectable<DemandOrderVersionTable>): DemandOrderVersion {
  return {
    demandOrderId: row.demand_order_id,
    version: row.version,
    terms: termsFrom(row),
    workersApproved: row.workers_approved,
    reason: row.reason,
    recordedAt: row.recorded_at,
    recordedBy: { sub: row.recorded_by_sub, role: row.recorded_by_role },
  };
}

/** Locks an employer account row against suspension while demand is decided on, and reads its status. */
async function employerStatusFor(trx: Transaction<Database>, employerId: string): Promise<EmployerStatus> {
  const row = await trx
    .selectFrom('employers')
    .select('status')
    .where('id', '=', employerId)
    .forShare()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', `There is no employer account ${employerId}; create it first.`);
  return row.status as EmployerStatus;
}

/**
 * Files a new demand order (a draft, version 1) for the employer the caller acts for, under a
 * scheme, checked against the scheme's rules.
 */
export async function createDemandOrder(
  trx: Transaction<Database>,
  input: { readonly id: string; readonly schemeId: string; readonly terms: DemandTerms },
  ctx: ActingContext,
): Promise<DemandOrderRecord> {
  const actor = demandActorOf(ctx);
  const scheme = await getScheme(trx, input.schemeId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not-found') {
      throw new AppError('validation-failed', `There is no scheme "${input.schemeId}".`, {
        errors: [{ pointer: '/body/schemeId', detail: 'not a scheme' }],
      });
    }
    throw err;
  });
  const employerStatus =
    actor.role === 'employer' && actor.employerId
      ? await employerStatusFor(trx, actor.employerId)
      : 'pending';
  const events = decide({ type: 'create', ...input }, undefined, {
    actor,
    scheme,
    windowAgeLimits: await findWindowAgeLimits(trx, scheme.id),
    employerStatus,
    today: todayOf(ctx.at),
  });
  return applyDemandEvents(trx, undefined, events, ctx);
}

/**
 * Runs a transition (amend, submit, approve, reject, close) on an order under its row lock and
 * records what changed: the new status, a new version for an amendment, an audit event per change.
 */
export async function transitionDemandOrder(
  trx: Transaction<Database>,
  id: string,
  command: Exclude<DemandCommand, { type: 'create' }>,
  ctx: ActingContext,
): Promise<DemandOrderRecord> {
  const actor = demandActorOf(ctx);
  if (!isUuid(id)) throw demandNotFound(id);
  const locked = await trx
    .selectFrom('demand_orders')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw demandNotFound(id);
  const state = (await loadOrder(trx, id))!;
  const scheme = await getScheme(trx, state.schemeId);
  const events = decide(command, state, {
    actor,
    scheme,
    windowAgeLimits: await findWindowAgeLimits(trx, scheme.id),
    employerStatus: await employerStatusFor(trx, state.employerId),
    today: todayOf(ctx.at),
  });
  if (events.length === 0) return state;
  return applyDemandEvents(trx, state, events, ctx);
}

/** The caller's calendar date (UTC) for date rules. */
function todayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

async function applyDemandEvents(
  trx: Transaction<Database>,
  before: DemandOrderRecord | undefined,
  events: readonly DemandEvent[],
  ctx: ActingContext,
): Promise<DemandOrderRecord> {
  let state: DemandOrderState | undefined = before;
  for (const event of events) {
    state = evolve(state, event);
    const id = state.id;
    await persistEvent(trx, state, event, ctx);
    await recordAuditEvent(trx, auditEventFor(id, state, event, ctx));
  }
  return (await loadOrder(trx, state!.id))!;
}

async function persistEvent(
  trx: Transaction<Database>,
  state: DemandOrderState,
  event: DemandEvent,
  ctx: ActingContext,
): Promise<void> {
  const at = ctx.at;
  const update = (set: Updateable<DemandOrderTable>) =>
    trx.updateTable('demand_orders').set(set).set({ updated_at: at }).where('id', '=', state.id).execute();
  switch (event.type) {
    case 'created':
      await trx
        .insertInto('demand_orders')
        .values({
          id: state.id,
          employer_id: state.employerId,
          scheme_id: state.schemeId,
          status: state.status,
          version: state.version,
          created_at: at,
          created_by: ctx.actor.sub,
          updated_at: at,
        })
        .execute();
      await trx
        .insertInto('demand_order_versions')
        .values(versionRow(state.id, 1, event.terms, { workersApproved: null, reason: null }, ctx))
        .execute();
      return;
    case 'amended':
      await trx
        .insertInto('demand_order_versions')
        .values(
          versionRow(
            state.id,
            event.version,
            event.terms,
            { workersApproved: event.workersApproved, reason: event.reason },
            ctx,
          ),
        )
        .execute();
      await update({ version: event.version, workers_approved: event.workersApproved });
      return;
    case 'submitted':
      await update({ status: 'submitted', submitted_at: at });
      return;
    case 'approved':
      await update({
        status: 'approved',
        workers_approved: event.workersApproved,
        approved_at: at,
        decided_at: at,
        decided_by: ctx.actor.sub,
      });
      return;
    case 'rejected':
      await update({
        status: 'rejected',
        reject_reason: event.reason,
        decided_at: at,
        decided_by: ctx.actor.sub,
      });
      return;
    case 'closed':
      await update({
        status: 'closed',
        close_outcome: event.outcome,
        close_reason: event.reason,
        closed_at: at,
        closed_by: ctx.actor.sub,
      });
      return;
  }
}

const auditActions: Readonly<Record<DemandEvent['type'], string>> = {
  created: 'demand.create',
  amended: 'demand.amend',
  submitted: 'demand.submit',
  approved: 'demand.approve',
  rejected: 'demand.reject',
  closed: 'demand.close',
};

function auditEventFor(
  id: string,
  state: DemandOrderState,
  event: DemandEvent,
  ctx: ActingContext,
): AuditEventInput {
  const base = { employerId: state.employerId, schemeId: state.schemeId, version: state.version };
  // Terms go to the payload (hashed); the details keep the facts worth reading: numbers and reasons.
  const { details, payload } = ((): Pick<AuditEventInput, 'details' | 'payload'> => {
    if (event.type === 'created' || event.type === 'amended') {
      const { terms, type: _type, ...rest } = event;
      return {
        payload: { ...event, terms: canonicalTerms(terms) },
        details: { ...base, sector: terms.sector, workersRequested: terms.workersRequested, ...rest },
      };
    }
    const { type: _type, ...facts } = event;
    return { payload: { ...event, id }, details: { ...base, ...facts } };
  })();
  return {
    actor: ctx.actor,
    action: auditActions[event.type],
    entityType: 'demand_order',
    entityId: id,
    payload,
    details,
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  };
}

/** An approved order as a draw sees it: who may be allocated to it, and how many more. */
export interface ApprovedDemand {
  readonly id: string;
  readonly employerId: string;
  readonly schemeId: string;
  readonly version: number;
  readonly sector: string;
  readonly gender: Gender;
  readonly ageRange: AgeRange;
  readonly expectedStartDate: string;
  readonly workersApproved: number;
  readonly activePlacements: number;
  readonly openVacancies: number;
}

/**
 * The approved orders of a scheme whose employers are in good standing, with their eligibility
 * (sector, gender, age range) and open vacancies, in a stable order (approval time, then id) so that
 * a draw allocating over them is reproducible. For the lottery: read it in the draw's transaction and
 * allocate with `allocatePlacements`, which re-checks every order's vacancies under its row lock.
 */
export async function listApprovedDemandForScheme(
  db: Kysely<Database> | Transaction<Database>,
  schemeId: string,
): Promise<ApprovedDemand[]> {
  const rows = await ordersWithTerms(db)
    .innerJoin('employers as e', 'e.id', 'o.employer_id')
    .where('o.scheme_id', '=', schemeId)
    .where('o.status', '=', 'approved')
    .where('e.status', '=', 'approved')
    .orderBy('o.approved_at')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => {
    const record = toRecord(r);
    return {
      id: record.id,
      employerId: record.employerId,
      schemeId: record.schemeId,
      version: record.version,
      sector: record.terms.sector,
      gender: record.terms.gender,
      ageRange: record.terms.ageRange,
      expectedStartDate: record.terms.expectedStartDate,
      workersApproved: record.workersApproved ?? 0,
      activePlacements: record.activePlacements,
      openVacancies: openVacancies(record),
    };
  });
}

export interface DemandSummaryRow {
  readonly schemeId: string;
  readonly sector: string;
  readonly gender: Gender;
  /** Month of the expected start date, 'YYYY-MM'. */
  readonly month: string;
  /** Workers approved on orders open for allocation. */
  readonly workersApproved: number;
  /** Of those, how many have an active placement. */
  readonly workersPlaced: number;
  readonly openVacancies: number;
}

/**
 * Approved vacancies by scheme, sector, gender and month of expected start: the numbers shown to
 * applicants next to registrant counts. Counts orders in status approved whose employer is in good
 * standing (a closed order's vacancies are gone; a suspended employer's are on hold).
 */
export async function demandSummary(
  db: Kysely<Database> | Transaction<Database>,
  query: { readonly schemeId?: string | undefined } = {},
): Promise<DemandSummaryRow[]> {
  let q = db
    .selectFrom('demand_orders as o')
    .innerJoin('demand_order_versions as v', (join) =>
      join.onRef('v.demand_order_id', '=', 'o.id').onRef('v.version', '=', 'o.version'),
    )
    .innerJoin('employers as e', 'e.id', 'o.employer_id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('placements')
          .select(['demand_order_id', sql<number>`count(*)::int`.as('active')])
          .where(sql<boolean>`stage in (${ACTIVE_STAGES})`)
          .groupBy('demand_order_id')
          .as('p'),
      (join) => join.onRef('p.demand_order_id', '=', 'o.id'),
    )
    .where('o.status', '=', 'approved')
    .where('e.status', '=', 'approved');
  if (query.schemeId !== undefined) q = q.where('o.scheme_id', '=', query.schemeId);
  const rows = await q
    .select([
      'o.scheme_id',
      'v.sector',
      'v.gender',
      sql<string>`to_char(v.expected_start_date, 'YYYY-MM')`.as('month'),
      sql<string>`sum(o.workers_approved)`.as('approved'),
      sql<string>`sum(least(coalesce(p.active, 0), o.workers_approved))`.as('placed'),
    ])
    .groupBy(['o.scheme_id', 'v.sector', 'v.gender', sql`to_char(v.expected_start_date, 'YYYY-MM')`])
    .orderBy('o.scheme_id')
    .orderBy('v.sector')
    .orderBy('v.gender')
    .orderBy('month')
    .execute();
  return rows.map((r) => {
    const workersApproved = Number(r.approved);
    const workersPlaced = Number(r.placed);
    return {
      schemeId: r.scheme_id,
      sector: r.sector,
      gender: r.gender as Gender,
      month: r.month,
      workersApproved,
      workersPlaced,
      openVacancies: workersApproved - workersPlaced,
    };
  });
}
