import {
  assertEmployerUpdate,
  type DemandActor,
  decideEmployerStatus,
  type EmployerCommand,
  type EmployerStatus,
  employerNotFound,
  employerVisibleTo,
} from '@g2g/demand';
import { AppError, type CanonicalValue } from '@g2g/domain';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { recordAuditEvent } from './audit.ts';
import { isUniqueViolation } from './errors.ts';
import type { AuditContext } from './schemes.ts';
import type { Database, EmployerTable } from './types.ts';

/** The contact person of an employer: personal data, never written to audit details. */
export interface EmployerContact {
  readonly name: string;
  readonly email: string | null;
  /** E.164, e.g. +60312345678. */
  readonly phone: string;
}

export interface EmployerProfile {
  readonly legalName: string;
  /** ISO 3166-1 alpha-2 of the country the company is registered in (the destination). */
  readonly country: string;
  readonly companyRegistrationNumber: string;
  readonly sector: string;
  readonly address: string;
  readonly contact: EmployerContact;
}

export interface EmployerAccount extends EmployerProfile {
  readonly id: string;
  readonly status: EmployerStatus;
  readonly statusReason: string | null;
  readonly createdAt: Date;
  readonly approvedAt: Date | null;
  readonly updatedAt: Date;
}

/** The context a write on behalf of a caller takes: who, in which request, when, and for which employer. */
export interface ActingContext extends AuditContext {
  /** The employer the caller acts for (its token's claim), when it acts as an employer. */
  readonly employerId?: string | undefined;
}

export function demandActorOf(ctx: ActingContext): DemandActor {
  return { role: ctx.actor.role, employerId: ctx.employerId };
}

function toEmployer(row: Selectable<EmployerTable>): EmployerAccount {
  return {
    id: row.id,
    legalName: row.legal_name,
    country: row.country,
    companyRegistrationNumber: row.company_registration_number,
    sector: row.sector,
    address: row.address,
    contact: { name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
    status: row.status as EmployerStatus,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    approvedAt: row.approved_at,
    updatedAt: row.updated_at,
  };
}

function profileColumns(p: Partial<EmployerProfile>) {
  return {
    ...(p.legalName !== undefined ? { legal_name: p.legalName } : {}),
    ...(p.country !== undefined ? { country: p.country } : {}),
    ...(p.companyRegistrationNumber !== undefined
      ? { company_registration_number: p.companyRegistrationNumber }
      : {}),
    ...(p.sector !== undefined ? { sector: p.sector } : {}),
    ...(p.address !== undefined ? { address: p.address } : {}),
    ...(p.contact !== undefined
      ? { contact_name: p.contact.name, contact_email: p.contact.email, contact_phone: p.contact.phone }
      : {}),
  };
}

/** Facts about an account fit for audit details: its legal identity, never its contact person. */
function auditDetails(
  a: Pick<EmployerProfile, 'legalName' | 'country' | 'companyRegistrationNumber' | 'sector'>,
) {
  return {
    legalName: a.legalName,
    country: a.country,
    companyRegistrationNumber: a.companyRegistrationNumber,
    sector: a.sector,
  };
}

function profilePayload(p: Partial<EmployerProfile>): { readonly [key: string]: CanonicalValue } {
  const { contact, ...rest } = p;
  return {
    ...rest,
    contact: contact ? { name: contact.name, email: contact.email, phone: contact.phone } : undefined,
  };
}

/** Creates a pending account (the committee approves it before it can file demand). */
export async function createEmployer(
  trx: Transaction<Database>,
  id: string,
  profile: EmployerProfile,
  ctx: AuditContext,
): Promise<EmployerAccount> {
  let row: Selectable<EmployerTable>;
  try {
    row = await trx
      .insertInto('employers')
      .values({
        id,
        legal_name: profile.legalName,
        country: profile.country,
        company_registration_number: profile.companyRegistrationNumber,
        sector: profile.sector,
        address: profile.address,
        contact_name: profile.contact.name,
        contact_email: profile.contact.email,
        contact_phone: profile.contact.phone,
        status: 'pending',
        created_at: ctx.at,
        created_by: ctx.actor.sub,
        updated_at: ctx.at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'conflict',
        `An employer account ${id}, or one for company ${profile.companyRegistrationNumber} in ${profile.country}, already exists.`,
      );
    }
    throw err;
  }
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'employer.create',
    entityType: 'employer',
    entityId: id,
    payload: { id, ...profilePayload(profile) },
    details: auditDetails(profile),
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return toEmployer(row);
}

export async function findEmployer(db: Kysely<Database>, id: string): Promise<EmployerAccount | undefined> {
  const row = await db.selectFrom('employers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEmployer(row) : undefined;
}

/** Reads an account the caller may see (its own, or any for the committee); 404 otherwise. */
export async function getEmployerFor(
  db: Kysely<Database>,
  id: string,
  actor: DemandActor,
): Promise<EmployerAccount> {
  const account = employerVisibleTo(actor, id) ? await findEmployer(db, id) : undefined;
  if (!account) throw employerNotFound(id);
  return account;
}

export async function listEmployers(
  db: Kysely<Database>,
  query: {
    readonly status?: EmployerStatus | undefined;
    /** Keyset cursor: the last (created_at, id) of the previous page. */
    readonly after?: { readonly at: Date; readonly id: string } | undefined;
    readonly limit: number;
  },
): Promise<EmployerAccount[]> {
  let q = db.selectFrom('employers').selectAll();
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.after !== undefined) {
    q = q.where(sql<boolean>`(created_at, id) > (${query.after.at}, ${query.after.id})`);
  }
  const rows = await q.orderBy('created_at').orderBy('id').limit(query.limit).execute();
  return rows.map(toEmployer);
}

async function lockEmployer(trx: Transaction<Database>, id: string): Promise<Selectable<EmployerTable>> {
  const row = await trx
    .selectFrom('employers')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw employerNotFound(id);
  return row;
}

/** Changes an account's profile: the employer its address and contact, the committee anything. */
export async function updateEmployer(
  trx: Transaction<Database>,
  id: string,
  patch: Partial<EmployerProfile>,
  ctx: ActingContext,
): Promise<EmployerAccount> {
  const fields = Object.keys(patch).filter((k) => patch[k as keyof EmployerProfile] !== undefined);
  assertEmployerUpdate(demandActorOf(ctx), id, fields);
  const current = toEmployer(await lockEmployer(trx, id));
  if (fields.length === 0) return current;
  let row: Selectable<EmployerTable>;
  try {
    row = await trx
      .updateTable('employers')
      .set({ ...profileColumns(patch), updated_at: ctx.at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('conflict', 'Another employer account holds that company registration number.');
    }
    throw err;
  }
  const updated = toEmployer(row);
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'employer.update',
    entityType: 'employer',
    entityId: id,
    payload: { id, ...profilePayload(patch) },
    details: { fields: fields.sort(), ...auditDetails(updated) },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return updated;
}

/** Approves, suspends or reinstates an account (the committee), audited with the reason. */
export async function changeEmployerStatus(
  trx: Transaction<Database>,
  id: string,
  command: EmployerCommand,
  ctx: ActingContext,
): Promise<EmployerAccount> {
  const current = toEmployer(await lockEmployer(trx, id));
  const next = decideEmployerStatus(command, current.status, demandActorOf(ctx));
  const reason = command.type === 'approve' ? null : command.reason;
  const row = await trx
    .updateTable('employers')
    .set({
      status: next,
      status_reason: reason,
      ...(command.type === 'approve' ? { approved_at: ctx.at } : {}),
      updated_at: ctx.at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: `employer.${command.type}`,
    entityType: 'employer',
    entityId: id,
    payload: { id, from: current.status, to: next, reason },
    details: { from: current.status, to: next, ...(reason ? { reason } : {}) },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return toEmployer(row);
}
