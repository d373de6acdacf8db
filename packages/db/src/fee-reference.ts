import { AppError, type Currency } from '@g2g/domain';
import {
  type CapRule,
  type CategoryRule,
  type CostCategory,
  type ExchangeRate,
  type FeePolicy,
  feePolicy,
  type Licence,
  type LocalDate,
  type Payee,
  type PayeeKind,
  type PayeeRegistry,
  type PolicyVersion,
  payeeRegistry,
  type RateTable,
  rateTable,
} from '@g2g/fees';
import { type Kysely, sql, type Transaction } from 'kysely';
import { recordAuditEvent } from './audit.ts';
import { isUniqueViolation } from './errors.ts';
import { feeJson, reviveFeeJson } from './fee-json.ts';
import type { AuditContext } from './schemes.ts';
import type { Database } from './types.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Fee reference data: policy versions per scheme, exchange rates, and the payee registry. All of it is
 * append-only; the fee core (`@g2g/fees`) validates every addition against what is already stored.
 */

// ---------------------------------------------------------------------------------------- policies

/** A policy version as stored: the end date may be open, and is then closed by the next version. */
export interface StoredPolicyVersion extends PolicyVersion {
  readonly schemeId: string;
  readonly currency: Currency;
  readonly matchWindowDays: number;
  /** As recorded (null = until the next version starts). */
  readonly recordedEffectiveTo: LocalDate | null;
  readonly recordedAt: Date;
  readonly recordedBy: string;
}

export interface NewPolicyVersion {
  readonly id: string;
  readonly currency: Currency;
  readonly matchWindowDays: number;
  readonly effectiveFrom: LocalDate;
  readonly effectiveTo: LocalDate | null;
  readonly cap: CapRule;
  readonly categories: Readonly<Record<CostCategory, CategoryRule>>;
}

export async function listPolicyVersions(db: Executor, schemeId: string): Promise<StoredPolicyVersion[]> {
  const rows = await db
    .selectFrom('fee_policy_versions')
    .selectAll()
    .where('scheme_id', '=', schemeId)
    .orderBy('effective_from')
    .execute();
  return withDerivedEnds(
    rows.map((r) => ({
      id: r.id,
      schemeId: r.scheme_id,
      currency: r.currency as Currency,
      matchWindowDays: r.match_window_days,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      recordedEffectiveTo: r.effective_to,
      cap: reviveFeeJson<CapRule>(r.cap),
      categories: reviveFeeJson<Record<CostCategory, CategoryRule>>(r.categories),
      recordedAt: r.recorded_at,
      recordedBy: r.recorded_by,
    })),
  );
}

/** Versions in start order; one recorded without an end ends where the next one starts. */
function withDerivedEnds(versions: readonly StoredPolicyVersion[]): StoredPolicyVersion[] {
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  return sorted.map((v, i) => ({
    ...v,
    effectiveTo: v.recordedEffectiveTo ?? sorted[i + 1]?.effectiveFrom ?? null,
  }));
}

function policyOf(schemeId: string, versions: readonly StoredPolicyVersion[]): FeePolicy | undefined {
  const last = versions.at(-1);
  if (!last) return undefined;
  return feePolicy({
    schemeId,
    currency: last.currency,
    matchWindowDays: last.matchWindowDays,
    versions: versions.map((v) => ({
      id: v.id,
      effectiveFrom: v.effectiveFrom,
      effectiveTo: v.effectiveTo,
      cap: v.cap,
      categories: v.categories,
    })),
  });
}

/**
 * The scheme's fee policy: its versions in order, a version without an end date ending where the next
 * begins; the match window is the latest version's. Undefined when the scheme has no version yet.
 */
export async function loadFeePolicy(db: Executor, schemeId: string): Promise<FeePolicy | undefined> {
  return policyOf(schemeId, await listPolicyVersions(db, schemeId));
}

/**
 * Adds a policy version. Versions are forward-only: a new one starts after every existing one
 * (it may close an open-ended predecessor, whose recorded row is not edited: its end is derived),
 * keeps the scheme currency, and must not overlap; the fee core validates the whole policy.
 */
export async function createPolicyVersion(
  trx: Transaction<Database>,
  schemeId: string,
  input: NewPolicyVersion,
  ctx: AuditContext,
): Promise<StoredPolicyVersion> {
  const scheme = await trx
    .selectFrom('schemes')
    .select('id')
    .where('id', '=', schemeId)
    .forUpdate()
    .executeTakeFirst();
  if (!scheme) throw new AppError('not-found', `No scheme ${schemeId}.`);
  const existing = await listPolicyVersions(trx, schemeId);
  const last = existing.at(-1);
  if (last && last.currency !== input.currency) {
    throw new AppError('rule-violated', `Fees under ${schemeId} are held in ${last.currency}.`, {
      errors: [{ pointer: '/body/currency', detail: `must be ${last.currency}` }],
    });
  }
  if (last && input.effectiveFrom <= last.effectiveFrom) {
    throw new AppError(
      'rule-violated',
      `A new version must start after the latest one (${last.id}, from ${last.effectiveFrom}); versions are never inserted into the past.`,
      { errors: [{ pointer: '/body/effectiveFrom', detail: `must be after ${last.effectiveFrom}` }] },
    );
  }
  const stored: StoredPolicyVersion = {
    ...input,
    schemeId,
    recordedEffectiveTo: input.effectiveTo,
    recordedAt: ctx.at,
    recordedBy: ctx.actor.sub,
  };
  // Validates currency of amounts, categories, overlap (e.g. a recorded end after the new start).
  policyOf(schemeId, withDerivedEnds([...existing, stored]));
  try {
    await trx
      .insertInto('fee_policy_versions')
      .values({
        id: input.id,
        scheme_id: schemeId,
        currency: input.currency,
        match_window_days: input.matchWindowDays,
        effective_from: input.effectiveFrom,
        effective_to: input.effectiveTo,
        cap: feeJson(input.cap),
        categories: feeJson(input.categories),
        recorded_at: ctx.at,
        recorded_by: ctx.actor.sub,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', `A policy version '${input.id}' already exists.`);
    throw err;
  }
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'fee.policy-version.create',
    entityType: 'fee_policy_version',
    entityId: input.id,
    payload: JSON.parse(feeJson({ schemeId, ...input })),
    details: { schemeId, effectiveFrom: input.effectiveFrom, cap: input.cap.kind },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return stored;
}

// ------------------------------------------------------------------------------------------- rates

export interface StoredExchangeRate extends ExchangeRate {
  readonly id: string;
  readonly recordedAt: Date;
  readonly recordedBy: string;
}

export async function listExchangeRates(
  db: Executor,
  filter: { currency?: Currency | undefined; from?: LocalDate | undefined; to?: LocalDate | undefined } = {},
): Promise<StoredExchangeRate[]> {
  let q = db.selectFrom('fee_exchange_rates').selectAll();
  if (filter.currency) {
    const c = filter.currency;
    q = q.where((eb) => eb.or([eb('base', '=', c), eb('quote', '=', c)]));
  }
  if (filter.from) q = q.where('date', '>=', filter.from);
  if (filter.to) q = q.where('date', '<=', filter.to);
  const rows = await q.orderBy('date').orderBy('id').limit(5000).execute();
  return rows.map((r) => ({
    id: r.id,
    base: r.base as Currency,
    quote: r.quote as Currency,
    rate: r.rate,
    date: r.date,
    source: r.source,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
  }));
}

/** Records a rate; the fee core refuses a second orientation of a pair or a second rate for a date. */
export async function recordExchangeRate(
  trx: Transaction<Database>,
  rate: ExchangeRate,
  ctx: AuditContext,
): Promise<StoredExchangeRate> {
  // Serialises rate recording, so the orientation check sees every committed rate of the pair.
  await sql`select pg_advisory_xact_lock(hashtextextended('fee-exchange-rates', 0))`.execute(trx);
  const pair = await trx
    .selectFrom('fee_exchange_rates')
    .select(['base', 'quote', 'rate', 'date', 'source'])
    .where((eb) =>
      eb.or([
        eb.and([eb('base', '=', rate.base), eb('quote', '=', rate.quote)]),
        eb.and([eb('base', '=', rate.quote), eb('quote', '=', rate.base)]),
      ]),
    )
    .execute();
  rateTable([...pair.map((r) => ({ ...r, base: r.base as Currency, quote: r.quote as Currency })), rate]);
  const row = await trx
    .insertInto('fee_exchange_rates')
    .values({ ...rate, recorded_at: ctx.at, recorded_by: ctx.actor.sub })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'fee.exchange-rate.record',
    entityType: 'fee_exchange_rate',
    entityId: row.id,
    payload: { ...rate },
    details: { pair: `${rate.base}/${rate.quote}`, date: rate.date, rate: rate.rate },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return { ...rate, id: row.id, recordedAt: ctx.at, recordedBy: ctx.actor.sub };
}

/**
 * The rates a computation on the given dates needs: for every currency pair, the latest rate on or
 * before each date. `rateOn(table, a, b, d)` answers exactly as over all rates, for each such d.
 */
export async function loadRatesOn(db: Executor, dates: readonly LocalDate[]): Promise<RateTable> {
  const seen = new Map<string, ExchangeRate>();
  for (const date of new Set(dates)) {
    const { rows } = await sql<{
      id: string;
      base: Currency;
      quote: Currency;
      rate: string;
      date: string;
      source: string;
    }>`
      select distinct on (least(base, quote), greatest(base, quote)) id::text as id, base, quote, rate,
             to_char(date, 'YYYY-MM-DD') as date, source
      from fee_exchange_rates
      where date <= ${date}::date
      order by least(base, quote), greatest(base, quote), date desc
    `.execute(db);
    for (const r of rows) {
      seen.set(r.id, { base: r.base, quote: r.quote, rate: r.rate, date: r.date, source: r.source });
    }
  }
  return rateTable([...seen.values()]);
}

/** Every rate (reports convert the baseline and wage caps on several dates). */
export async function loadAllRates(db: Executor): Promise<RateTable> {
  return rateTable(await listExchangeRates(db));
}

// ------------------------------------------------------------------------------------------ payees

export interface StoredPayee extends Payee {
  readonly recordedAt: Date;
}

export async function createPayee(
  trx: Transaction<Database>,
  payee: Payee,
  ctx: AuditContext,
): Promise<Payee> {
  payeeRegistry([payee]);
  try {
    await trx
      .insertInto('fee_payees')
      .values({
        registry_id: payee.registryId,
        kind: payee.kind,
        name: payee.name,
        recorded_at: ctx.at,
        recorded_by: ctx.actor.sub,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', `Payee '${payee.registryId}' is already registered.`);
    throw err;
  }
  await insertLicences(trx, payee.registryId, payee.licences, ctx);
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'fee.payee.register',
    entityType: 'fee_payee',
    entityId: payee.registryId,
    payload: { ...payee, licences: payee.licences.map((l) => ({ ...l })) },
    details: { kind: payee.kind, licences: payee.licences.length },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return payee;
}

/** Records a further licence (a renewal) of a registered payee. */
export async function addPayeeLicence(
  trx: Transaction<Database>,
  registryId: string,
  licence: Licence,
  ctx: AuditContext,
): Promise<Payee> {
  const current = (await loadPayees(trx, [registryId])).get(registryId);
  if (!current) throw new AppError('not-found', `No payee '${registryId}' in the registry.`);
  const updated = payeeRegistry([{ ...current, licences: [...current.licences, licence] }]).get(registryId)!;
  await insertLicences(trx, registryId, [licence], ctx);
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: 'fee.payee.licence',
    entityType: 'fee_payee',
    entityId: registryId,
    payload: { ...licence },
    details: { number: licence.number, validFrom: licence.validFrom, validTo: licence.validTo },
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
  return updated;
}

async function insertLicences(
  trx: Transaction<Database>,
  registryId: string,
  licences: readonly Licence[],
  ctx: AuditContext,
): Promise<void> {
  if (licences.length === 0) return;
  try {
    await trx
      .insertInto('fee_payee_licences')
      .values(
        licences.map((l) => ({
          registry_id: registryId,
          number: l.number,
          valid_from: l.validFrom,
          valid_to: l.validTo,
          recorded_at: ctx.at,
          recorded_by: ctx.actor.sub,
        })),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'This licence is already recorded.');
    throw err;
  }
}

/** Payees by registry id with their licences; all of them when `ids` is omitted. */
export async function loadPayees(db: Executor, ids?: readonly string[]): Promise<PayeeRegistry> {
  if (ids && ids.length === 0) return new Map();
  let pq = db.selectFrom('fee_payees').select(['registry_id', 'kind', 'name']);
  let lq = db.selectFrom('fee_payee_licences').select(['registry_id', 'number', 'valid_from', 'valid_to']);
  if (ids) {
    pq = pq.where('registry_id', 'in', ids);
    lq = lq.where('registry_id', 'in', ids);
  }
  const payees = await pq.orderBy('registry_id').execute();
  const licences = await lq.orderBy('valid_from').execute();
  const byPayee = new Map<string, Licence[]>();
  for (const l of licences) {
    const list = byPayee.get(l.registry_id) ?? [];
    list.push({ number: l.number, validFrom: l.valid_from, validTo: l.valid_to });
    byPayee.set(l.registry_id, list);
  }
  return new Map(
    payees.map((p) => [
      p.registry_id,
      {
        registryId: p.registry_id,
        kind: p.kind as PayeeKind,
        name: p.name,
        licences: byPayee.get(p.registry_id) ?? [],
      },
    ]),
  );
}
