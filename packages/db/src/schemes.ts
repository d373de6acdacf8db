import { AppError, type Currency, type Scheme, type SchemeRules } from '@g2g/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { type AuditEventInput, recordAuditEvent } from './audit.ts';
import { isUniqueViolation } from './errors.ts';
import type { Database, SchemeTable } from './types.ts';

/** Who did something, from where, and when: what every audited write needs besides its data. */
export interface AuditContext {
  readonly actor: AuditEventInput['actor'];
  readonly requestId?: string | undefined;
  readonly at: Date;
}

function toScheme(row: Selectable<SchemeTable>): Scheme {
  return {
    id: row.id,
    name: row.name,
    originCountry: row.origin_country,
    destinationCountry: row.destination_country,
    wageCurrency: row.wage_currency as Currency,
    rules: {
      sectors: row.sectors,
      minMonthlyWageMinor: BigInt(row.min_monthly_wage_minor),
      maxContractMonths: row.max_contract_months,
      minAge: row.min_age,
      maxAge: row.max_age,
    },
  };
}

function rulesColumns(rules: SchemeRules) {
  return {
    sectors: [...rules.sectors],
    min_monthly_wage_minor: rules.minMonthlyWageMinor.toString(),
    max_contract_months: rules.maxContractMonths,
    min_age: rules.minAge,
    max_age: rules.maxAge,
  };
}

function auditPayload(scheme: Scheme) {
  return { ...scheme, rules: { ...scheme.rules, sectors: [...scheme.rules.sectors] } };
}

export async function createScheme(
  trx: Transaction<Database>,
  scheme: Scheme,
  ctx: AuditContext,
): Promise<Scheme> {
  try {
    await trx
      .insertInto('schemes')
      .values({
        id: scheme.id,
        name: scheme.name,
        origin_country: scheme.originCountry,
        destination_country: scheme.destinationCountry,
        wage_currency: scheme.wageCurrency,
        ...rulesColumns(scheme.rules),
        created_at: ctx.at,
        updated_at: ctx.at,
        created_by: ctx.actor.sub,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'conflict',
        `A scheme with id "${scheme.id}" or name "${scheme.name}" already exists.`,
      );
    }
    throw err;
  }
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'scheme.create',
    entityType: 'scheme',
    entityId: scheme.id,
    payload: auditPayload(scheme),
    details: { name: scheme.name, destination: scheme.destinationCountry },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return scheme;
}

export async function updateSchemeRules(
  trx: Transaction<Database>,
  id: string,
  rules: SchemeRules,
  reason: string,
  ctx: AuditContext,
): Promise<Scheme> {
  const row = await trx
    .updateTable('schemes')
    .set({ ...rulesColumns(rules), updated_at: ctx.at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('not-found', `There is no scheme "${id}".`);
  const scheme = toScheme(row);
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'scheme.rules-change',
    entityType: 'scheme',
    entityId: id,
    payload: { rules: auditPayload(scheme).rules, reason },
    details: { reason },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return scheme;
}

export async function findScheme(db: Kysely<Database>, id: string): Promise<Scheme | undefined> {
  const row = await db.selectFrom('schemes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toScheme(row) : undefined;
}

export async function getScheme(db: Kysely<Database>, id: string): Promise<Scheme> {
  const scheme = await findScheme(db, id);
  if (!scheme) throw new AppError('not-found', `There is no scheme "${id}".`);
  return scheme;
}

export async function listSchemes(db: Kysely<Database>): Promise<Scheme[]> {
  const rows = await db.selectFrom('schemes').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toScheme);
}
