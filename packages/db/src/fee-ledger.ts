import { randomUUID } from 'node:crypto';
import { type Actor, AppError, type Currency, type Money } from '@g2g/domain';
import {
  type AppliedRate,
  type CostCategory,
  emptyLedger,
  type FeeLedgerEvent,
  type FeePolicy,
  type Finding,
  type FindingResolution,
  type FindingSlot,
  fold,
  type LedgerState,
  type LocalDate,
  type PayeeCheck,
  type PayeeRef,
  type PaymentInput,
  type PostedEntry,
  positionOf,
  post,
  type ReversalInput,
  type WorkerPosition,
} from '@g2g/fees';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { type AuditEventInput, recordAuditEvents } from './audit.ts';
import { feeJson, reviveFeeJson } from './fee-json.ts';
import { loadFeePolicy, loadPayees, loadRatesOn } from './fee-reference.ts';
import { enqueueMessages } from './outbox.ts';
import type { AuditContext } from './schemes.ts';
import type { Database, FeeEntryTable, FeeFindingTable } from './types.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Where vigilance alerts about fee findings go (outbox channel `alert`). */
export const VIGILANCE_DESK = 'ministry-vigilance-desk';

/** Who records an entry: the audit context, plus the employer the caller acts for (employer role). */
export interface FeeWriteContext extends AuditContext {
  readonly employerId?: string | undefined;
}

/** The facts about a worker the ledger and the reports need. */
export interface FeeWorker {
  readonly registrationNumber: string;
  readonly status: string;
  readonly schemeId: string;
  readonly district: string;
  readonly mobile: string;
  readonly dateOfBirth: string;
  /** From the worker's most recent placement; null before the worker is allocated to an order. */
  readonly employerId: string | null;
  readonly monthlyContractWage: Money | null;
}

const notSelected = (w: FeeWorker) =>
  new AppError(
    'rule-violated',
    `Registration ${w.registrationNumber} is not a selected worker (its status is '${w.status}'): fee entries are recorded only for workers selected in a published draw or promoted from the waitlist.`,
    { extensions: { reason: 'worker-not-selected', registrationStatus: w.status } },
  );

export async function findFeeWorker(
  db: Executor,
  registrationNumber: string,
): Promise<FeeWorker | undefined> {
  const row = await db
    .selectFrom('registrations as r')
    .innerJoin('registration_windows as w', 'w.id', 'r.window_id')
    .innerJoin('unions as u', 'u.id', 'r.permanent_union_id')
    .innerJoin('upazilas as up', 'up.id', 'u.upazila_id')
    .innerJoin('districts as d', 'd.id', 'up.district_id')
    .select([
      'r.registration_number',
      'r.status',
      'r.mobile',
      'r.date_of_birth',
      'w.scheme_id',
      'd.name as district',
    ])
    .where('r.registration_number', '=', registrationNumber)
    .executeTakeFirst();
  if (!row) return undefined;
  const placement = await db
    .selectFrom('placements as p')
    .innerJoin('demand_orders as o', 'o.id', 'p.demand_order_id')
    .innerJoin('demand_order_versions as v', (j) =>
      j.onRef('v.demand_order_id', '=', 'o.id').onRef('v.version', '=', 'o.version'),
    )
    .select(['o.employer_id', 'v.monthly_wage_minor', 'v.wage_currency'])
    .where('p.registration_number', '=', registrationNumber)
    .orderBy('p.selected_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    registrationNumber: row.registration_number,
    status: row.status,
    schemeId: row.scheme_id,
    district: row.district,
    mobile: row.mobile,
    dateOfBirth: row.date_of_birth,
    employerId: placement?.employer_id ?? null,
    monthlyContractWage: placement
      ? { amountMinor: BigInt(placement.monthly_wage_minor), currency: placement.wage_currency as Currency }
      : null,
  };
}

/**
 * The selected worker an entry is for, as the caller may see it: unknown numbers are 404, and so is a
 * worker of another employer for an employer (it must not learn whether the number exists); a
 * registration that is not selected is 422 with its status.
 */
export async function getFeeWorker(
  db: Executor,
  registrationNumber: string,
  ctx: { readonly actor: Actor; readonly employerId?: string | undefined },
): Promise<FeeWorker> {
  const worker = await findFeeWorker(db, registrationNumber);
  const own =
    ctx.actor.role !== 'employer' || (worker?.employerId != null && worker.employerId === ctx.employerId);
  if (!worker || !own) {
    throw new AppError(
      'not-found',
      ctx.actor.role === 'employer'
        ? `None of your allocated workers has registration number ${registrationNumber}.`
        : `No registration ${registrationNumber}.`,
    );
  }
  if (worker.status !== 'selected') throw notSelected(worker);
  return worker;
}

// ------------------------------------------------------------------------------ rows <-> the core

/** The row a posted entry becomes (exported for set-wise loaders; every entry row is built here). */
export function feeEntryRow(e: PostedEntry, schemeId: string) {
  return {
    id: e.id,
    registration_number: e.registrationNumber,
    scheme_id: schemeId,
    kind: e.kind,
    reversal_of: e.kind === 'reversal' ? e.reverses : null,
    reason: e.kind === 'reversal' ? e.reason : null,
    category: e.category,
    amount_minor: e.amount.amountMinor.toString(),
    currency: e.amount.currency,
    payer: e.payer,
    payee_registry_id: e.payee.kind === 'registered' ? e.payee.registryId : null,
    payee_name: e.payee.kind === 'unlicensed_individual' ? e.payee.name : null,
    value_date: e.valueDate,
    receipt_ref: e.receiptRef,
    source: e.source,
    recorded_by_sub: e.recordedBy.sub,
    recorded_by_role: e.recordedBy.role,
    recorded_at: e.recordedAt,
    scheme_amount_minor: e.schemeAmount.amountMinor.toString(),
    scheme_currency: e.schemeAmount.currency,
    rate: e.rate === null ? null : feeJson(e.rate),
    policy_version_id: e.policyVersionId,
    payee_check: feeJson(e.payeeCheck),
  };
}

export function entryOf(r: Selectable<FeeEntryTable>): PostedEntry {
  const payee: PayeeRef =
    r.payee_registry_id !== null
      ? { kind: 'registered', registryId: r.payee_registry_id }
      : { kind: 'unlicensed_individual', name: r.payee_name ?? '' };
  const fields = {
    id: r.id,
    registrationNumber: r.registration_number,
    category: r.category as CostCategory,
    amount: { amountMinor: BigInt(r.amount_minor), currency: r.currency as Currency },
    payer: r.payer as PaymentInput['payer'],
    payee,
    valueDate: r.value_date,
    receiptRef: r.receipt_ref,
    source: r.source as PaymentInput['source'],
    recordedBy: { sub: r.recorded_by_sub, role: r.recorded_by_role as Actor['role'] },
    recordedAt: r.recorded_at.toISOString(),
    schemeAmount: { amountMinor: BigInt(r.scheme_amount_minor), currency: r.scheme_currency as Currency },
    rate: r.rate === null ? null : reviveFeeJson<AppliedRate>(r.rate),
    policyVersionId: r.policy_version_id,
    payeeCheck: reviveFeeJson<PayeeCheck>(r.payee_check),
  };
  return r.kind === 'reversal'
    ? { ...fields, kind: 'reversal', reverses: r.reversal_of ?? '', reason: r.reason ?? '' }
    : { ...fields, kind: 'payment' };
}

/** The row a raised finding becomes. */
export function feeFindingRow(f: Finding, schemeId: string) {
  return {
    id: f.id,
    registration_number: f.registrationNumber,
    scheme_id: schemeId,
    key: f.key,
    occurrence: f.occurrence,
    kind: f.kind,
    entry_id: 'entryId' in f ? f.entryId : null,
    detail: feeJson(f),
    raised_by: f.raisedBy,
    raised_at: f.raisedAt,
  };
}

export function findingOf(r: Selectable<FeeFindingTable>): Finding {
  return reviveFeeJson<Finding>(r.detail);
}

/**
 * Folds stored rows into a worker's ledger state: entries in posting order; per finding key, the
 * number of occurrences raised and the open one (the latest, if it has no resolution).
 */
export function ledgerStateOf(
  registrationNumber: string,
  entries: readonly Selectable<FeeEntryTable>[],
  findings: readonly Selectable<FeeFindingTable>[],
  resolved: ReadonlySet<string>,
): LedgerState {
  const state = emptyLedger(registrationNumber);
  const map = new Map<string, PostedEntry>();
  const reversedBy = new Map<string, string>();
  for (const row of entries) {
    const e = entryOf(row);
    map.set(e.id, e);
    if (e.kind === 'reversal') reversedBy.set(e.reverses, e.id);
  }
  const slots = new Map<string, FindingSlot>();
  for (const f of findings) {
    const slot = slots.get(f.key);
    if (slot && slot.occurrences > f.occurrence) continue;
    slots.set(f.key, { occurrences: f.occurrence, open: resolved.has(f.id) ? null : findingOf(f) });
  }
  return { ...state, entries: map, reversedBy, findings: slots };
}

/** Loads one worker's ledger state (call under the worker's lock to post). */
export async function loadLedgerState(db: Executor, registrationNumber: string): Promise<LedgerState> {
  const entries = await db
    .selectFrom('fee_entries')
    .selectAll()
    .where('registration_number', '=', registrationNumber)
    .orderBy('seq')
    .execute();
  const findings = await db
    .selectFrom('fee_findings')
    .selectAll()
    .where('registration_number', '=', registrationNumber)
    .execute();
  const resolved =
    findings.length === 0
      ? []
      : await db
          .selectFrom('fee_finding_resolutions')
          .select('finding_id')
          .where('registration_number', '=', registrationNumber)
          .execute();
  return ledgerStateOf(registrationNumber, entries, findings, new Set(resolved.map((r) => r.finding_id)));
}

// ----------------------------------------------------------------------------------------- posting

export type NewFeePayment = Omit<PaymentInput, 'kind' | 'id' | 'recordedBy'> & { readonly id?: string };
export type NewFeeReversal = Omit<ReversalInput, 'kind' | 'id' | 'recordedBy'> & { readonly id?: string };
export type NewFeeEntry =
  | (NewFeePayment & { readonly kind: 'payment' })
  | (NewFeeReversal & { readonly kind: 'reversal' });

export interface PostingResult {
  readonly schemeId: string;
  readonly entry: PostedEntry;
  readonly raised: readonly Finding[];
  readonly resolved: readonly FindingResolution[];
  readonly position: WorkerPosition;
}

/**
 * Takes the worker's lock for the rest of the transaction. Every posting for a worker holds it while
 * it reads the ledger, runs the cap check and writes, so concurrent postings for one worker are
 * serialised and each one's cap check sees every entry committed before it.
 */
export async function lockFeeWorker(trx: Transaction<Database>, registrationNumber: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`fee-worker:${registrationNumber}`}, 0))`.execute(
    trx,
  );
}

/**
 * Posts one entry (a payment or a reversal) for a selected worker, in the caller's transaction:
 * locks the worker, folds its ledger, lets the fee core decide (validation, conversion, the cap check
 * and every finding rule), then stores the entry and the findings raised and resolved, one audit event
 * for the entry and one per finding, and an outbox alert to the vigilance desk per new finding.
 * `recordedAt` is `ctx.at`.
 */
export async function postFeeEntry(
  trx: Transaction<Database>,
  input: NewFeeEntry,
  ctx: FeeWriteContext,
): Promise<PostingResult> {
  await lockFeeWorker(trx, input.registrationNumber);
  const { worker, state, events, capContext } = await decideFeeEntry(trx, input, ctx);
  const result = await storeEvents(trx, worker, events, ctx);
  const next = fold(state, events);
  return {
    ...result,
    schemeId: worker.schemeId,
    position: positionOf(next, { ...capContext, asOf: ctx.at.toISOString().slice(0, 10) }),
  };
}

/**
 * Runs every check a posting would (the worker, the policy, rates, payee, and the fee core's rules)
 * without writing: a worker report is checked this way before its one-time code is sent, so that a
 * confirmed code is not refused for something the worker could have been told at once.
 */
export async function checkFeeEntry(
  db: Executor,
  input: NewFeeEntry,
  ctx: FeeWriteContext,
): Promise<FeeWorker> {
  return (await decideFeeEntry(db, input, ctx)).worker;
}

async function decideFeeEntry(db: Executor, input: NewFeeEntry, ctx: FeeWriteContext) {
  const worker = await getFeeWorker(db, input.registrationNumber, ctx);
  const policy = await loadFeePolicy(db, worker.schemeId);
  if (!policy) {
    throw new AppError('rule-violated', `Scheme ${worker.schemeId} has no fee policy yet.`, {
      extensions: { reason: 'policy-missing' },
    });
  }
  const state = await loadLedgerState(db, worker.registrationNumber);
  const recordedBy: Actor = { sub: ctx.actor.sub, role: ctx.actor.role };
  const id = input.id ?? randomUUID();
  const entryInput =
    input.kind === 'payment'
      ? ({ ...input, kind: 'payment', id, recordedBy } satisfies PaymentInput)
      : ({ ...input, kind: 'reversal', id, recordedBy } satisfies ReversalInput);
  const dates = datesNeeded(state, input.kind === 'payment' ? input.valueDate : undefined);
  const rates = await loadRatesOn(db, dates);
  const payeeIds =
    input.kind === 'payment' && input.payee?.kind === 'registered' ? [input.payee.registryId] : [];
  const payees = await loadPayees(db, payeeIds);
  const capContext = { policy, rates, monthlyContractWage: worker.monthlyContractWage };
  const events = post(state, entryInput, { ...capContext, payees, recordedAt: ctx.at.toISOString() });
  return { worker, state, events, capContext };
}

/** The value dates whose rates a posting may need: the new entry's and the latest already counted. */
function datesNeeded(state: LedgerState, valueDate: LocalDate | undefined): LocalDate[] {
  const dates: LocalDate[] = [];
  if (valueDate) dates.push(valueDate);
  let latest: LocalDate | undefined;
  for (const e of state.entries.values())
    if (latest === undefined || e.valueDate > latest) latest = e.valueDate;
  if (latest) dates.push(latest);
  return dates;
}

async function storeEvents(
  trx: Transaction<Database>,
  worker: FeeWorker,
  events: readonly FeeLedgerEvent[],
  ctx: FeeWriteContext,
): Promise<Omit<PostingResult, 'position' | 'schemeId'>> {
  let entry: PostedEntry | undefined;
  const raised: Finding[] = [];
  const resolved: FindingResolution[] = [];
  for (const e of events) {
    if (e.type === 'entry_posted') entry = e.entry;
    else if (e.type === 'finding_raised') raised.push(e.finding);
    else resolved.push(e.resolution);
  }
  if (!entry) throw new Error('the fee core posted no entry');
  await trx.insertInto('fee_entries').values(feeEntryRow(entry, worker.schemeId)).execute();
  if (resolved.length > 0) {
    await trx
      .insertInto('fee_finding_resolutions')
      .values(
        resolved.map((r) => ({
          finding_id: r.findingId,
          registration_number: r.registrationNumber,
          resolved_by: r.resolvedBy,
          resolved_at: r.resolvedAt,
        })),
      )
      .execute();
  }
  if (raised.length > 0) {
    await trx
      .insertInto('fee_findings')
      .values(raised.map((f) => feeFindingRow(f, worker.schemeId)))
      .execute();
    await enqueueMessages(
      trx,
      raised.map((f) => ({
        channel: 'alert' as const,
        recipient: VIGILANCE_DESK,
        template: 'vigilance.alert' as const,
        params: {
          subject: `fee finding ${f.kind}, worker ${f.registrationNumber}, scheme ${worker.schemeId}`,
          reference: f.id,
        },
        dedupeKey: `fee-finding:${f.id}`,
      })),
    );
  }
  const audit: AuditEventInput[] = [
    {
      actor: ctx.actor,
      action: entry.kind === 'reversal' ? 'fee.entry.reverse' : 'fee.entry.record',
      entityType: 'fee_entry',
      entityId: entry.id,
      payload: JSON.parse(feeJson(entry)),
      details: {
        registrationNumber: entry.registrationNumber,
        source: entry.source,
        category: entry.category,
        amountMinor: entry.amount.amountMinor.toString(),
        currency: entry.amount.currency,
        ...(entry.kind === 'reversal' ? { reverses: entry.reverses } : {}),
        findingsRaised: raised.length,
        findingsResolved: resolved.length,
      },
      occurredAt: ctx.at,
      requestId: ctx.requestId,
    },
    ...raised.map(
      (f): AuditEventInput => ({
        actor: ctx.actor,
        action: 'fee.finding.raise',
        entityType: 'fee_finding',
        entityId: f.id,
        payload: JSON.parse(feeJson(f)),
        details: { kind: f.kind, registrationNumber: f.registrationNumber, raisedBy: f.raisedBy },
        occurredAt: ctx.at,
        requestId: ctx.requestId,
      }),
    ),
    ...resolved.map(
      (r): AuditEventInput => ({
        actor: ctx.actor,
        action: 'fee.finding.resolve',
        entityType: 'fee_finding',
        entityId: r.findingId,
        payload: { ...r },
        details: { registrationNumber: r.registrationNumber, resolvedBy: r.resolvedBy },
        occurredAt: ctx.at,
        requestId: ctx.requestId,
      }),
    ),
  ];
  await recordAuditEvents(trx, audit);
  return { entry, raised, resolved };
}

// ------------------------------------------------------------------------------------------- reads

/** A worker's position now (asOf = the viewing date): totals, cap, headroom, status, open findings. */
export async function feeWorkerPosition(
  db: Executor,
  registrationNumber: string,
  ctx: { readonly actor: Actor; readonly employerId?: string | undefined; readonly asOf: LocalDate },
): Promise<{ worker: FeeWorker; policy: FeePolicy; position: WorkerPosition; entries: PostedEntry[] }> {
  const worker = await getFeeWorker(db, registrationNumber, ctx);
  const policy = await loadFeePolicy(db, worker.schemeId);
  if (!policy) throw new AppError('rule-violated', `Scheme ${worker.schemeId} has no fee policy yet.`);
  const state = await loadLedgerState(db, registrationNumber);
  const rates = await loadRatesOn(db, [ctx.asOf, ...datesNeeded(state, undefined)]);
  const position = positionOf(state, {
    policy,
    rates,
    monthlyContractWage: worker.monthlyContractWage,
    asOf: ctx.asOf,
  });
  return { worker, policy, position, entries: [...state.entries.values()] };
}

export interface FeeEntryQuery {
  readonly registrationNumber?: string | undefined;
  readonly schemeId?: string | undefined;
  /** Only entries of workers whose most recent placement is with this employer. */
  readonly employerId?: string | undefined;
  /** Keyset: entries posted after this sequence number. */
  readonly afterSeq?: string | undefined;
  readonly limit: number;
}

export async function listFeeEntries(
  db: Executor,
  q: FeeEntryQuery,
): Promise<{ items: PostedEntry[]; seqs: string[] }> {
  let query = db.selectFrom('fee_entries as e').selectAll('e');
  if (q.registrationNumber) query = query.where('e.registration_number', '=', q.registrationNumber);
  if (q.schemeId) query = query.where('e.scheme_id', '=', q.schemeId);
  if (q.afterSeq) query = query.where('e.seq', '>', q.afterSeq);
  if (q.employerId !== undefined) {
    const employerId = q.employerId;
    query = query.where(
      (eb) =>
        eb
          .selectFrom('placements as p')
          .innerJoin('demand_orders as o', 'o.id', 'p.demand_order_id')
          .select('o.employer_id')
          .whereRef('p.registration_number', '=', 'e.registration_number')
          .orderBy('p.selected_at', 'desc')
          .limit(1),
      '=',
      employerId,
    );
  }
  const rows = await query.orderBy('e.seq').limit(q.limit).execute();
  return { items: rows.map(entryOf), seqs: rows.map((r) => r.seq) };
}

export interface StoredFinding {
  readonly finding: Finding;
  readonly schemeId: string;
  readonly resolution: { readonly resolvedBy: string; readonly resolvedAt: Date } | null;
}

export async function listFeeFindings(
  db: Executor,
  q: {
    readonly schemeId?: string | undefined;
    readonly registrationNumber?: string | undefined;
    readonly open?: boolean | undefined;
    readonly limit: number;
  },
): Promise<StoredFinding[]> {
  let query = db
    .selectFrom('fee_findings as f')
    .leftJoin('fee_finding_resolutions as r', 'r.finding_id', 'f.id')
    .selectAll('f')
    .select(['r.resolved_by', 'r.resolved_at']);
  if (q.schemeId) query = query.where('f.scheme_id', '=', q.schemeId);
  if (q.registrationNumber) query = query.where('f.registration_number', '=', q.registrationNumber);
  if (q.open === true) query = query.where('r.finding_id', 'is', null);
  if (q.open === false) query = query.where('r.finding_id', 'is not', null);
  const rows = await query.orderBy('f.raised_at', 'desc').orderBy('f.id').limit(q.limit).execute();
  return rows.map((r) => ({
    finding: findingOf(r),
    schemeId: r.scheme_id,
    resolution:
      r.resolved_by && r.resolved_at ? { resolvedBy: r.resolved_by, resolvedAt: r.resolved_at } : null,
  }));
}

/** Reverses entry `entryId` (whichever worker it belongs to); an unknown id is 404. */
export async function reverseFeeEntry(
  trx: Transaction<Database>,
  entryId: string,
  reason: string,
  ctx: FeeWriteContext,
): Promise<PostingResult> {
  const original = await trx
    .selectFrom('fee_entries')
    .select('registration_number')
    .where('id', '=', entryId)
    .executeTakeFirst();
  if (!original) throw new AppError('not-found', `No fee entry ${entryId}.`);
  return postFeeEntry(
    trx,
    { kind: 'reversal', registrationNumber: original.registration_number, reverses: entryId, reason },
    ctx,
  );
}
