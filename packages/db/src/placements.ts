import {
  assertCapacity,
  assertReplaceable,
  type DemandActor,
  type DemandStatus,
  type DropoutReason,
  decidePlacement,
  demandNotFound,
  type EmployerStatus,
  type Fill,
  fillFrom,
  inFlightPlacementStages,
  type PlacementCommand,
  type PlacementStage,
  placementNotFound,
  REGISTRATION_NUMBER,
} from '@g2g/demand';
import { AppError, type FieldError } from '@g2g/domain';
import {
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import { recordAuditEvent, recordAuditEvents } from './audit.ts';
import { ACTIVE_STAGES, type DemandOrderRecord, getDemandOrderFor, isUuid } from './demand-orders.ts';
import { type ActingContext, demandActorOf } from './employers.ts';
import { isUniqueViolation } from './errors.ts';
import type { AuditContext } from './schemes.ts';
import type { Database, PlacementTable } from './types.ts';

/** One worker allocated to a demand order. Holds the registration number only, never a name. */
export interface PlacementRecord {
  readonly id: string;
  readonly demandOrderId: string;
  readonly registrationNumber: string;
  readonly drawId: string | null;
  readonly stage: PlacementStage;
  readonly dropoutReason: DropoutReason | null;
  /** The failed or dropped-out placement this one replaces. */
  readonly replaces: string | null;
  readonly replacedBy: string | null;
  readonly selectedAt: Date;
  readonly medicalAt: Date | null;
  readonly visaIssuedAt: Date | null;
  readonly departedAt: Date | null;
  readonly arrivedAt: Date | null;
  readonly droppedOutAt: Date | null;
  readonly updatedAt: Date;
}

export interface NewPlacement {
  readonly demandOrderId: string;
  /** The worker's 11-digit registration number. */
  readonly registrationNumber: string;
  /** The draw that selected the worker (null until draws exist). */
  readonly drawId: string | null;
}

function toPlacement(row: Selectable<PlacementTable>): PlacementRecord {
  return {
    id: row.id,
    demandOrderId: row.demand_order_id,
    registrationNumber: row.registration_number,
    drawId: row.draw_id,
    stage: row.stage as PlacementStage,
    dropoutReason: row.dropout_reason as DropoutReason | null,
    replaces: row.replaces,
    replacedBy: row.replaced_by,
    selectedAt: row.selected_at,
    medicalAt: row.medical_at,
    visaIssuedAt: row.visa_issued_at,
    departedAt: row.departed_at,
    arrivedAt: row.arrived_at,
    droppedOutAt: row.dropped_out_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Locks an order for allocation and reads what decides its capacity. The active count is read after
 * the lock is held, so it includes whatever a concurrent allocation committed before us.
 */
async function lockCapacity(trx: Transaction<Database>, demandOrderId: string) {
  const order = isUuid(demandOrderId)
    ? await trx
        .selectFrom('demand_orders')
        .select(['id', 'status', 'workers_approved', 'employer_id'])
        .where('id', '=', demandOrderId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!order) throw demandNotFound(demandOrderId);
  const employer = await trx
    .selectFrom('employers')
    .select('status')
    .where('id', '=', order.employer_id)
    .forShare()
    .executeTakeFirstOrThrow();
  const { active } = await trx
    .selectFrom('placements')
    .select(sql<number>`count(*)::int`.as('active'))
    .where('demand_order_id', '=', demandOrderId)
    .where(sql<boolean>`stage in (${ACTIVE_STAGES})`)
    .executeTakeFirstOrThrow();
  return {
    id: order.id,
    status: order.status as DemandStatus,
    employerStatus: employer.status as EmployerStatus,
    workersApproved: order.workers_approved,
    activePlacements: Number(active),
  };
}

function assertNewPlacements(rows: readonly NewPlacement[]): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (!REGISTRATION_NUMBER.test(r.registrationNumber)) {
      errors.push({
        pointer: `/placements/${i}/registrationNumber`,
        detail: 'an 11-digit registration number',
      });
    } else if (seen.has(r.registrationNumber)) {
      errors.push({ pointer: `/placements/${i}/registrationNumber`, detail: 'the worker is listed twice' });
    }
    seen.add(r.registrationNumber);
    if (r.drawId !== null && (r.drawId.length < 1 || r.drawId.length > 100)) {
      errors.push({ pointer: `/placements/${i}/drawId`, detail: '1-100 characters' });
    }
  });
  if (errors.length > 0) throw new AppError('validation-failed', 'The placements are not valid.', { errors });
}

/** Refuses (409) workers already in flight on any order, or already allocated to the same order. */
async function assertWorkersFree(trx: Transaction<Database>, rows: readonly NewPlacement[]): Promise<void> {
  const taken = new Set<string>();
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const found = await trx
      .selectFrom('placements')
      .select(['registration_number'])
      .where(
        'registration_number',
        'in',
        chunk.map((r) => r.registrationNumber),
      )
      .where((eb) =>
        eb.or([
          eb('stage', 'in', [...inFlightPlacementStages]),
          eb('demand_order_id', 'in', [...new Set(chunk.map((r) => r.demandOrderId))]),
        ]),
      )
      .execute();
    for (const f of found) taken.add(f.registration_number);
  }
  if (taken.size > 0) {
    const list = [...taken].sort();
    throw new AppError(
      'conflict',
      `${list.length} of these workers are already placed (on their way to an order, or on this order): ${list.slice(0, 20).join(', ')}${list.length > 20 ? ', ...' : ''}.`,
      { extensions: { registrationNumbers: list.slice(0, 1000) } },
    );
  }
}

async function insertPlacements(trx: Transaction<Database>, values: readonly Insertable<PlacementTable>[]) {
  const out: Selectable<PlacementTable>[] = [];
  try {
    for (let i = 0; i < values.length; i += 1000) {
      out.push(
        ...(await trx
          .insertInto('placements')
          .values(values.slice(i, i + 1000))
          .returningAll()
          .execute()),
      );
    }
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'conflict',
        'A worker in this allocation was placed by a concurrent request; retry.',
      );
    }
    throw err;
  }
  return out.map(toPlacement);
}

/**
 * Allocates selected workers to approved demand orders, inside the caller's transaction (the draw's).
 * Locks each order (in id order), refuses an order that is not approved, whose employer is not in
 * good standing, or that would get more active placements than approved workers, and refuses a
 * worker already on the way to an order. One audit event per order. All or nothing.
 */
export async function allocatePlacements(
  trx: Transaction<Database>,
  rows: readonly NewPlacement[],
  ctx: AuditContext,
): Promise<PlacementRecord[]> {
  if (rows.length === 0) return [];
  assertNewPlacements(rows);
  const byOrder = new Map<string, NewPlacement[]>();
  for (const r of rows) byOrder.set(r.demandOrderId, [...(byOrder.get(r.demandOrderId) ?? []), r]);
  const orderIds = [...byOrder.keys()].sort();
  for (const id of orderIds) assertCapacity(await lockCapacity(trx, id), byOrder.get(id)!.length);
  await assertWorkersFree(trx, rows);
  const created = await insertPlacements(
    trx,
    rows.map((r) => ({
      demand_order_id: r.demandOrderId,
      registration_number: r.registrationNumber,
      draw_id: r.drawId,
      stage: 'selected',
      selected_at: ctx.at,
      updated_at: ctx.at,
    })),
  );
  await recordAuditEvents(
    trx,
    orderIds.map((id) => {
      const mine = created.filter((p) => p.demandOrderId === id);
      return {
        actor: ctx.actor,
        action: 'placement.allocate',
        entityType: 'demand_order',
        entityId: id,
        payload: {
          demandOrderId: id,
          placements: mine.map((p) => ({
            id: p.id,
            registrationNumber: p.registrationNumber,
            drawId: p.drawId,
          })),
        },
        details: { count: mine.length, drawIds: [...new Set(mine.map((p) => p.drawId ?? 'none'))].sort() },
        occurredAt: ctx.at,
        requestId: ctx.requestId,
      };
    }),
  );
  return created;
}

/**
 * Fills the vacancy of a failed or dropped-out placement with a worker from the draw's waitlist:
 * a new placement on the same order, linked both ways (`replaces` / `replacedBy`). Inside the
 * caller's transaction; refuses a placement that is active or already replaced.
 */
export async function recordReplacement(
  trx: Transaction<Database>,
  input: {
    readonly dropped: string;
    readonly replacement: { readonly registrationNumber: string; readonly drawId: string | null };
  },
  ctx: AuditContext,
): Promise<{ readonly dropped: PlacementRecord; readonly replacement: PlacementRecord }> {
  const orderOf = isUuid(input.dropped)
    ? await trx
        .selectFrom('placements')
        .select('demand_order_id')
        .where('id', '=', input.dropped)
        .executeTakeFirst()
    : undefined;
  if (!orderOf) throw new AppError('not-found', `There is no placement ${input.dropped}.`);
  const newRow: NewPlacement = { demandOrderId: orderOf.demand_order_id, ...input.replacement };
  assertNewPlacements([newRow]);
  const capacity = await lockCapacity(trx, orderOf.demand_order_id);
  const dropped = toPlacement(
    await trx
      .selectFrom('placements')
      .selectAll()
      .where('id', '=', input.dropped)
      .forUpdate()
      .executeTakeFirstOrThrow(),
  );
  assertReplaceable(dropped);
  assertCapacity(capacity, 1);
  await assertWorkersFree(trx, [newRow]);
  const [replacement] = await insertPlacements(trx, [
    {
      demand_order_id: newRow.demandOrderId,
      registration_number: newRow.registrationNumber,
      draw_id: newRow.drawId,
      stage: 'selected',
      replaces: dropped.id,
      selected_at: ctx.at,
      updated_at: ctx.at,
    },
  ]);
  const updated = await trx
    .updateTable('placements')
    .set({ replaced_by: replacement!.id, updated_at: ctx.at })
    .where('id', '=', dropped.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'placement.replace',
    entityType: 'placement',
    entityId: replacement!.id,
    payload: { replacement: replacement!.id, replaces: dropped.id, ...newRow },
    details: {
      demandOrderId: newRow.demandOrderId,
      replaces: dropped.id,
      replacedRegistrationNumber: dropped.registrationNumber,
      registrationNumber: newRow.registrationNumber,
      drawId: newRow.drawId,
    },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return { dropped: toPlacement(updated), replacement: replacement! };
}

const stageTimestamp: Readonly<Record<PlacementCommand['type'], keyof PlacementTable>> = {
  medical: 'medical_at',
  visa: 'visa_issued_at',
  departure: 'departed_at',
  arrival: 'arrived_at',
  dropout: 'dropped_out_at',
};

/**
 * Records a placement's next stage (medical result, visa, departure, arrival, dropout) by the role
 * that may: 403 for others, 404 for another employer's placement or one not on this order, 409 from
 * the wrong stage. Audited.
 */
export async function recordPlacementStage(
  trx: Transaction<Database>,
  demandOrderId: string,
  placementId: string,
  command: PlacementCommand,
  ctx: ActingContext,
): Promise<PlacementRecord> {
  const row =
    isUuid(placementId) && isUuid(demandOrderId)
      ? await trx
          .selectFrom('placements')
          .selectAll()
          .where('id', '=', placementId)
          .where('demand_order_id', '=', demandOrderId)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
  if (!row) throw placementNotFound(placementId);
  const { employer_id } = await trx
    .selectFrom('demand_orders')
    .select('employer_id')
    .where('id', '=', demandOrderId)
    .executeTakeFirstOrThrow();
  const change = decidePlacement(
    command,
    { id: row.id, employerId: employer_id, stage: row.stage as PlacementStage },
    demandActorOf(ctx),
  );
  const set: Updateable<PlacementTable> = {
    stage: change.to,
    [stageTimestamp[command.type]]: ctx.at,
    ...(change.dropoutReason ? { dropout_reason: change.dropoutReason } : {}),
    updated_at: ctx.at,
  };
  const updated = await trx
    .updateTable('placements')
    .set(set)
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: `placement.${command.type}`,
    entityType: 'placement',
    entityId: row.id,
    payload: { id: row.id, demandOrderId, ...change },
    details: {
      demandOrderId,
      registrationNumber: row.registration_number,
      from: change.from,
      to: change.to,
      ...(change.dropoutReason ? { dropoutReason: change.dropoutReason } : {}),
    },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return toPlacement(updated);
}

export interface DemandFill {
  readonly order: DemandOrderRecord;
  readonly fill: Fill;
  /** A page of the order's placements, by registration number. */
  readonly placements: readonly PlacementRecord[];
}

/** How an order the actor may see is being filled: counts per stage, open vacancies, placements. */
export async function demandFillFor(
  db: Kysely<Database>,
  demandOrderId: string,
  actor: DemandActor,
  page: { readonly after?: string | undefined; readonly limit: number },
): Promise<DemandFill> {
  const order = await getDemandOrderFor(db, demandOrderId, actor);
  const counts = await db
    .selectFrom('placements')
    .select(['stage', sql<number>`count(*)::int`.as('n')])
    .where('demand_order_id', '=', demandOrderId)
    .groupBy('stage')
    .execute();
  let q = db.selectFrom('placements').selectAll().where('demand_order_id', '=', demandOrderId);
  if (page.after !== undefined) q = q.where('registration_number', '>', page.after);
  const rows = await q.orderBy('registration_number').limit(page.limit).execute();
  return {
    order,
    fill: fillFrom(order, Object.fromEntries(counts.map((c) => [c.stage, Number(c.n)]))),
    placements: rows.map(toPlacement),
  };
}
