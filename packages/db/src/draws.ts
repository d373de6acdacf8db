import { createHash } from 'node:crypto';
import { AppError, type CanonicalValue, digestOf, HEX_DIGEST, sha256Hex } from '@g2g/domain';
import {
  ALGORITHM_ID,
  type CanonicalPool,
  commitmentOf,
  type DrawPolicy,
  type DrawResult,
  deriveSeed,
  entryAt,
  FAIRNESS_THRESHOLD,
  type FairnessReport,
  fairnessReport,
  nextPromotion,
  nextStagePool,
  PoolBuilder,
  poolFromLines,
  resultRowAt,
  runDraw,
  SELECTED,
  type StratumLevel,
  type Vacancy,
  validatePolicy,
  WAITLISTED,
  writePool,
  writeResult,
} from '@g2g/lottery';
import { ageOn, dhakaDate } from '@g2g/registration';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { recordAuditEvent } from './audit.ts';
import { isUniqueViolation } from './errors.ts';
import { type AnyMessageInput, enqueueMessages } from './outbox.ts';
import { allocatePlacements, recordPlacementStage, recordReplacement } from './placements.ts';
import { freezeDrawPoolEntries } from './registrations.ts';
import type { AuditContext } from './schemes.ts';
import type { Database, DrawTable } from './types.ts';
import { getWindow } from './windows.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The draw ceremony's storage (docs/lottery-spec.md). Each step is one transaction that locks the
 * draw's row, checks the state, does its work and records an audit event, so a process killed at
 * any point leaves the draw in the state of the last committed step and the next call resumes from
 * there. Everything a step computes is a pure function of what earlier steps stored (the frozen
 * pool file, the reveals, the beacon), so a repeated step yields the same bytes.
 */

export const DRAW_STATES = [
  'draft',
  'committing',
  'frozen',
  'revealed',
  'executed',
  'published',
  'voided',
] as const;
export type DrawState = (typeof DRAW_STATES)[number];

export const DRAW_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
export const DROPOUT_REASONS = ['withdrew', 'medical_failed', 'unreachable', 'other'] as const;
export type DrawDropoutReason = (typeof DROPOUT_REASONS)[number];

export interface StratumCount {
  readonly id: number;
  readonly registrants: number;
}

export interface DrawCommitmentView {
  readonly witnessId: string;
  readonly commitment: string;
  readonly committedAt: Date;
  /** Only once revealed. */
  readonly secret: string | null;
  readonly revealedAt: Date | null;
}

export interface DrawResultSummary {
  readonly selected: number;
  readonly waitlisted: number;
  readonly notSelected: number;
  readonly strata: readonly { id: number; registrants: number; quota: number; waitlisted: number }[];
  readonly orders: readonly { id: string; vacancies: number; allocated: number; waitlisted: number }[];
}

/** A draw as the API shows it: no names, no identity numbers, registration numbers only. */
export interface DrawRecord {
  readonly id: string;
  readonly name: string;
  readonly state: DrawState;
  readonly windowId: string;
  readonly sourceDrawId: string | null;
  readonly policy: DrawPolicy;
  readonly policyDigest: string;
  readonly algorithm: string;
  readonly beaconName: string | null;
  readonly beaconValue: string | null;
  readonly commitments: readonly DrawCommitmentView[];
  readonly pool: {
    readonly hash: string;
    readonly size: number;
    readonly bytes: number;
    readonly level: StratumLevel;
    readonly strata: readonly StratumCount[];
    readonly ageReferenceDate: string;
    readonly frozenAt: Date;
  } | null;
  readonly seed: string | null;
  readonly resultHash: string | null;
  readonly result: DrawResultSummary | null;
  readonly fairness: FairnessReport | null;
  readonly fairnessOverrideReason: string | null;
  readonly executedAt: Date | null;
  readonly publishedAt: Date | null;
  readonly voidReason: string | null;
  readonly voidedFrom: DrawState | null;
  readonly voidedAt: Date | null;
  readonly createdAt: Date;
  readonly createdBy: string;
}

/** The signed public record of a published draw: everything a verifier needs besides the files. */
export interface PublishedManifest {
  readonly algorithm: string;
  readonly drawId: string;
  readonly name: string;
  readonly windowId: string;
  readonly sourceDrawId: string | null;
  readonly policy: DrawPolicy;
  readonly policyDigest: string;
  readonly poolHash: string;
  readonly poolSize: number;
  readonly strata: readonly StratumCount[];
  readonly reveals: readonly { witnessId: string; commitment: string; secret: string }[];
  readonly beaconName: string | null;
  readonly beacon: string | null;
  readonly seed: string;
  readonly resultHash: string;
  readonly counts: { readonly selected: number; readonly waitlisted: number; readonly notSelected: number };
  readonly fairness: { readonly blocking: boolean; readonly overrideReason: string | null };
  readonly times: {
    readonly createdAt: string;
    readonly frozenAt: string;
    readonly executedAt: string;
    readonly publishedAt: string;
  };
}

/** Signs a canonical JSON payload as a compact JWS with the ministry's key. */
export type ManifestSigner = (payload: CanonicalValue) => Promise<string>;

export interface NewDraw {
  readonly id: string;
  readonly name: string;
  readonly source: { readonly windowId: string } | { readonly drawId: string };
  readonly policy: unknown;
}

function drawNotFound(id: string): AppError {
  return new AppError('not-found', `There is no draw "${id}".`);
}

function wrongState(draw: { id: string; state: string }, wanted: string): AppError {
  return new AppError('conflict', `Draw ${draw.id} is ${draw.state}; this step needs it ${wanted}.`, {
    extensions: { state: draw.state },
  });
}

function toRecord(row: Selectable<DrawTable>, commitments: readonly DrawCommitmentView[]): DrawRecord {
  const policy = row.policy as DrawPolicy;
  const strata = row.pool_strata as StratumCount[] | null;
  return {
    id: row.id,
    name: row.name,
    state: row.state as DrawState,
    windowId: row.window_id,
    sourceDrawId: row.source_draw_id,
    policy,
    policyDigest: row.policy_digest,
    algorithm: ALGORITHM_ID,
    beaconName: row.beacon_name,
    beaconValue: row.beacon_value,
    commitments,
    pool:
      row.pool_hash === null
        ? null
        : {
            hash: row.pool_hash,
            size: row.pool_size ?? 0,
            bytes: Number(row.pool_bytes ?? 0),
            level: policy.quota.level,
            strata: strata ?? [],
            ageReferenceDate: String(row.age_reference_date),
            frozenAt: row.frozen_at!,
          },
    seed: row.seed,
    resultHash: row.result_hash,
    result: (row.result_summary as DrawResultSummary | null) ?? null,
    fairness: (row.fairness as FairnessReport | null) ?? null,
    fairnessOverrideReason: row.override_reason,
    executedAt: row.executed_at,
    publishedAt: row.published_at,
    voidReason: row.void_reason,
    voidedFrom: row.voided_from as DrawState | null,
    voidedAt: row.voided_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

async function commitmentsOf(db: Executor, drawId: string): Promise<DrawCommitmentView[]> {
  const rows = await db
    .selectFrom('draw_commitments as c')
    .leftJoin('draw_reveals as r', (j) =>
      j.onRef('r.draw_id', '=', 'c.draw_id').onRef('r.witness_id', '=', 'c.witness_id'),
    )
    .select(['c.witness_id', 'c.commitment', 'c.committed_at', 'r.secret', 'r.revealed_at'])
    .where('c.draw_id', '=', drawId)
    .orderBy('c.witness_id')
    .execute();
  return rows.map((r) => ({
    witnessId: r.witness_id,
    commitment: r.commitment,
    committedAt: r.committed_at,
    secret: r.secret,
    revealedAt: r.revealed_at,
  }));
}

/**
 * The heavy steps (freeze, execute, publish) touch every registration of a national pool in one
 * transaction; they lift the per-statement timeout (DB_STATEMENT_TIMEOUT_MS) for that transaction
 * only, so a large draw is not cancelled halfway (it would roll back cleanly, but never finish).
 */
async function allowLongStatements(trx: Transaction<Database>): Promise<void> {
  await sql`set local statement_timeout = '30min'`.execute(trx);
  // The freeze gathers a national pool in one statement (about 100 MB of text at 1.4 million):
  // sorts and aggregates in memory instead of temporary files.
  await sql`set local work_mem = '256MB'`.execute(trx);
}

async function lockDraw(trx: Transaction<Database>, id: string): Promise<Selectable<DrawTable>> {
  const row = DRAW_ID.test(id)
    ? await trx.selectFrom('draws').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    : undefined;
  if (!row) throw drawNotFound(id);
  return row;
}

async function audit(
  trx: Transaction<Database>,
  ctx: AuditContext,
  drawId: string,
  action: string,
  payload: CanonicalValue,
  details: Record<string, CanonicalValue> = {},
): Promise<void> {
  await recordAuditEvent(trx, {
    actor: ctx.actor,
    action: `draw.${action}`,
    entityType: 'draw',
    entityId: drawId,
    payload,
    details,
    occurredAt: ctx.at,
    requestId: ctx.requestId,
  });
}

/** The policy, checked by the engine and with every order naming an approved demand order. */
async function checkedPolicy(db: Executor, input: unknown): Promise<DrawPolicy> {
  let policy: DrawPolicy;
  try {
    policy = validatePolicy(input);
  } catch (err) {
    if (err instanceof AppError && err.errors) {
      throw new AppError('validation-failed', err.detail, {
        errors: err.errors.map((e) => ({ ...e, pointer: `/body${e.pointer}` })),
      });
    }
    throw err;
  }
  const ids = policy.orders.map((o) => o.id);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const approved = new Set(
    ids.length === 0 || !ids.every((id) => uuid.test(id))
      ? []
      : (
          await db
            .selectFrom('demand_orders')
            .select('id')
            .where('id', 'in', ids)
            .where('status', '=', 'approved')
            .execute()
        ).map((r) => r.id),
  );
  const errors = policy.orders.flatMap((o, i) =>
    approved.has(o.id)
      ? []
      : [{ pointer: `/body/policy/orders/${i}/id`, detail: 'must be the id of an approved demand order' }],
  );
  if (errors.length > 0) {
    throw new AppError('rule-violated', 'Draws allocate only to approved demand orders.', { errors });
  }
  return policy;
}

export async function createDraw(
  trx: Transaction<Database>,
  input: NewDraw,
  ctx: AuditContext,
): Promise<DrawRecord> {
  const policy = await checkedPolicy(trx, input.policy);
  let windowId: string;
  let sourceDrawId: string | null = null;
  if ('windowId' in input.source) {
    windowId = (await getWindow(trx, input.source.windowId)).id;
  } else {
    const source = DRAW_ID.test(input.source.drawId)
      ? await trx
          .selectFrom('draws')
          .select(['id', 'state', 'window_id'])
          .where('id', '=', input.source.drawId)
          .executeTakeFirst()
      : undefined;
    if (!source) throw drawNotFound(input.source.drawId);
    if (source.state !== 'published') {
      throw new AppError(
        'rule-violated',
        `A next stage draws from a published draw; ${source.id} is ${source.state}.`,
        {
          errors: [{ pointer: '/body/source/drawId', detail: 'must be a published draw' }],
        },
      );
    }
    windowId = source.window_id;
    sourceDrawId = source.id;
  }
  try {
    await trx
      .insertInto('draws')
      .values({
        id: input.id,
        name: input.name,
        window_id: windowId,
        source_draw_id: sourceDrawId,
        policy: JSON.stringify(policy),
        policy_digest: digestOf(policy as unknown as CanonicalValue),
        state: 'draft',
        created_at: ctx.at,
        created_by: ctx.actor.sub,
        updated_at: ctx.at,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', `A draw with id "${input.id}" already exists.`);
    throw err;
  }
  await audit(
    trx,
    ctx,
    input.id,
    'create',
    { id: input.id, name: input.name, windowId, sourceDrawId, policy: policy as unknown as CanonicalValue },
    { windowId, sourceDrawId, total: policy.total, level: policy.quota.level },
  );
  return getDraw(trx, input.id);
}

/** Changes a draft's name or policy (audited). Refused once the first commitment is in. */
export async function updateDraftDraw(
  trx: Transaction<Database>,
  id: string,
  change: { readonly name?: string | undefined; readonly policy?: unknown },
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  if (row.state !== 'draft') throw wrongState(row, 'draft');
  const policy = change.policy === undefined ? undefined : await checkedPolicy(trx, change.policy);
  await trx
    .updateTable('draws')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(policy !== undefined
        ? { policy: JSON.stringify(policy), policy_digest: digestOf(policy as unknown as CanonicalValue) }
        : {}),
      updated_at: ctx.at,
    })
    .where('id', '=', id)
    .execute();
  await audit(
    trx,
    ctx,
    id,
    'edit',
    { id, name: change.name ?? null, policy: (policy ?? null) as unknown as CanonicalValue },
    { fields: [...(change.name !== undefined ? ['name'] : []), ...(policy ? ['policy'] : [])] },
  );
  return getDraw(trx, id);
}

/** A witness's commitment, H(secret). The first one fixes the policy (state `committing`). */
export async function commitWitness(
  trx: Transaction<Database>,
  id: string,
  witnessId: string,
  commitment: string,
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  if (row.state !== 'draft' && row.state !== 'committing') throw wrongState(row, 'draft or committing');
  if (!HEX_DIGEST.test(commitment)) {
    throw new AppError('validation-failed', 'A commitment is a lowercase hex SHA-256 digest.', {
      errors: [{ pointer: '/body/commitment', detail: '64 lowercase hexadecimal characters' }],
    });
  }
  try {
    await trx
      .insertInto('draw_commitments')
      .values({ draw_id: id, witness_id: witnessId, commitment, committed_at: ctx.at })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('conflict', `Witness ${witnessId} has already committed to draw ${id}.`);
    }
    throw err;
  }
  if (row.state === 'draft') {
    await trx
      .updateTable('draws')
      .set({ state: 'committing', updated_at: ctx.at })
      .where('id', '=', id)
      .execute();
  }
  await audit(trx, ctx, id, 'commit', { drawId: id, witnessId, commitment }, { witnessId, commitment });
  return getDraw(trx, id);
}

/** Per-stratum registrant counts at the policy's level. */
function strataCounts(pool: CanonicalPool, level: StratumLevel): StratumCount[] {
  const counts = new Map<number, number>();
  if (level === 'none') return pool.size > 0 ? [{ id: 0, registrants: pool.size }] : [];
  const ancestor = new Map<number, number>();
  for (const g of pool.geography) ancestor.set(g.union, g[level]);
  for (let i = 0; i < pool.size; i++) {
    const s = ancestor.get(pool.union[i]!)!;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([id, registrants]) => ({ id, registrants }));
}

/** Stores a file's chunks in order; returns its SHA-256 and length. */
async function storeFile(
  trx: Transaction<Database>,
  table: 'draw_pool_chunks' | 'draw_result_chunks',
  drawId: string,
  write: (sink: (chunk: Uint8Array) => void) => void,
): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  write((chunk) => {
    hash.update(chunk);
    chunks.push(Buffer.from(chunk));
    bytes += chunk.length;
  });
  // Up to 8 MiB per statement.
  for (let i = 0; i < chunks.length; i += 8) {
    await trx
      .insertInto(table)
      .values(chunks.slice(i, i + 8).map((b, k) => ({ draw_id: drawId, seq: i + k, bytes: b })))
      .execute();
  }
  return { hash: hash.digest('hex'), bytes };
}

/** A stored file's chunks in order, a page at a time (for streaming). */
export async function readDrawFileChunks(
  db: Executor,
  kind: 'pool' | 'result',
  drawId: string,
  fromSeq: number,
  limit = 4,
): Promise<{ seq: number; bytes: Uint8Array }[]> {
  return db
    .selectFrom(kind === 'pool' ? 'draw_pool_chunks' : 'draw_result_chunks')
    .select(['seq', 'bytes'])
    .where('draw_id', '=', drawId)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** A stored file's lines (without newlines). */
async function fileLines(db: Executor, kind: 'pool' | 'result', drawId: string): Promise<string[]> {
  const parts: string[] = [];
  for (let seq = 0; ; ) {
    const page = await readDrawFileChunks(db, kind, drawId, seq, 16);
    for (const c of page) parts.push(Buffer.from(c.bytes).toString('latin1'));
    if (page.length < 16) break;
    seq = page[page.length - 1]!.seq + 1;
  }
  const text = parts.join('');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

/** The frozen pool of a draw, re-read from its stored file and checked against its hash. */
async function frozenPool(db: Executor, row: Selectable<DrawTable>): Promise<CanonicalPool> {
  const pool = poolFromLines(await fileLines(db, 'pool', row.id));
  let hash = createHash('sha256');
  writePool(pool, (chunk) => {
    hash = hash.update(chunk);
  });
  if (hash.digest('hex') !== row.pool_hash) {
    throw new Error(`draw ${row.id}: the stored pool file does not match its pool hash`);
  }
  return pool;
}

async function revealsOf(db: Executor, drawId: string) {
  return db
    .selectFrom('draw_reveals')
    .select(['witness_id', 'secret'])
    .where('draw_id', '=', drawId)
    .orderBy('witness_id')
    .execute();
}

/** Recomputes a published draw's result from its stored pool, policy and seed (pure, deterministic). */
async function recomputedResult(db: Executor, row: Selectable<DrawTable>): Promise<DrawResult> {
  const result = runDraw(await frozenPool(db, row), row.policy as DrawPolicy, row.seed!);
  return result;
}

/**
 * Freezes a window's pool: moves its registered workers to `in_draw_pool` and builds the pool from
 * the same statement's rows: home union and its ancestors, age on the reference date, preferred
 * sectors, registration date. No names, no identity numbers.
 */
async function windowPool(
  trx: Transaction<Database>,
  windowId: string,
  ageReferenceDate: string,
  ctx: AuditContext,
): Promise<CanonicalPool> {
  const rows = await freezeDrawPoolEntries(trx, windowId, ctx);
  const places = await trx
    .selectFrom('unions as un')
    .innerJoin('upazilas as up', 'up.id', 'un.upazila_id')
    .innerJoin('districts as di', 'di.id', 'up.district_id')
    .select(['un.id as union', 'up.id as upazila', 'di.id as district', 'di.division_id as division'])
    .execute();
  const placeOf = new Map(places.map((p) => [p.union, p]));
  const builder = new PoolBuilder();
  const ages = new Map<string, number>();
  for (const r of rows) {
    const place = placeOf.get(r.permanentUnionId)!;
    let age = ages.get(r.dateOfBirth);
    if (age === undefined) {
      age = ageOn(r.dateOfBirth, ageReferenceDate);
      ages.set(r.dateOfBirth, age);
    }
    builder.add(
      {
        registrationNumber: r.registrationNumber,
        division: place.division,
        district: place.district,
        upazila: place.upazila,
        union: r.permanentUnionId,
        gender: r.gender,
        age,
        sectors: r.preferredSectors,
        registeredOn: r.registeredOn,
      },
      `/pool/${r.registrationNumber}`,
    );
  }
  return builder.build();
}

/** Dropouts and promotions recorded against a published draw. */
async function promotionsOf(db: Executor, drawId: string) {
  return db
    .selectFrom('draw_promotions')
    .select([
      'seq',
      'dropped_registration_number',
      'promoted_registration_number',
      'record',
      'jws',
      'reason',
      'recorded_at',
    ])
    .where('draw_id', '=', drawId)
    .orderBy('seq')
    .execute();
}

/**
 * Freezes the pool: snapshots the eligible registrations (a window's registered workers, or an
 * earlier draw's selected set less dropouts plus promotions), stores the canonical pool file, its
 * hash, size and per-stratum counts, and closes commitments (at least two needed). An optional
 * beacon is named now, before any reveal.
 */
export async function freezeDraw(
  trx: Transaction<Database>,
  id: string,
  options: { readonly beaconName?: string | undefined },
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  await allowLongStatements(trx);
  if (row.state !== 'committing') throw wrongState(row, 'committing (with witness commitments)');
  const { count } = await trx
    .selectFrom('draw_commitments')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('draw_id', '=', id)
    .executeTakeFirstOrThrow();
  if (Number(count) < 2) {
    throw new AppError(
      'rule-violated',
      `A draw needs at least two witness commitments; draw ${id} has ${count}.`,
    );
  }
  const policy = row.policy as DrawPolicy;
  const window = await getWindow(trx, row.window_id);
  const ageReferenceDate = window.eligibility.ageReferenceDate ?? dhakaDate(ctx.at);
  let pool: CanonicalPool;
  if (row.source_draw_id === null) {
    pool = await windowPool(trx, row.window_id, ageReferenceDate, ctx);
  } else {
    const source = await trx
      .selectFrom('draws')
      .selectAll()
      .where('id', '=', row.source_draw_id)
      .executeTakeFirstOrThrow();
    const result = await recomputedResult(trx, source);
    const promotions = await promotionsOf(trx, source.id);
    const promoted = new Set(promotions.flatMap((p) => p.promoted_registration_number ?? []));
    const dropped = new Set(promotions.map((p) => p.dropped_registration_number));
    pool = nextStagePool(result, {
      withdrawn: [...dropped].filter((n) => !promoted.has(n)),
      promoted: [...promoted].filter((n) => !dropped.has(n)),
    });
  }
  const stored = await storeFile(trx, 'draw_pool_chunks', id, (sink) => writePool(pool, sink));
  const strata = strataCounts(pool, policy.quota.level);
  await trx
    .updateTable('draws')
    .set({
      state: 'frozen',
      pool_hash: stored.hash,
      pool_size: pool.size,
      pool_bytes: stored.bytes,
      pool_strata: JSON.stringify(strata),
      age_reference_date: ageReferenceDate,
      beacon_name: options.beaconName ?? null,
      frozen_at: ctx.at,
      updated_at: ctx.at,
    })
    .where('id', '=', id)
    .execute();
  await audit(
    trx,
    ctx,
    id,
    'freeze',
    { drawId: id, poolHash: stored.hash, poolSize: pool.size, beaconName: options.beaconName ?? null },
    {
      poolHash: stored.hash,
      poolSize: pool.size,
      strata: strata.length,
      beaconName: options.beaconName ?? null,
    },
  );
  return getDraw(trx, id);
}

/** Moves a frozen draw to `revealed` once every committed witness has revealed and a named beacon is in. */
async function advanceIfRevealed(trx: Transaction<Database>, id: string, ctx: AuditContext): Promise<void> {
  const row = await trx.selectFrom('draws').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const views = await commitmentsOf(trx, id);
  const complete =
    views.every((v) => v.secret !== null) && (row.beacon_name === null || row.beacon_value !== null);
  if (complete && row.state === 'frozen') {
    await trx
      .updateTable('draws')
      .set({ state: 'revealed', updated_at: ctx.at })
      .where('id', '=', id)
      .execute();
  }
}

/** A witness reveals its secret; it must hash to the commitment (else 422, nothing stored). */
export async function revealWitnessSecret(
  trx: Transaction<Database>,
  id: string,
  witnessId: string,
  secret: string,
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  if (row.state !== 'frozen') throw wrongState(row, 'frozen');
  const commitment = await trx
    .selectFrom('draw_commitments')
    .select('commitment')
    .where('draw_id', '=', id)
    .where('witness_id', '=', witnessId)
    .executeTakeFirst();
  if (!commitment) {
    throw new AppError('rule-violated', `Witness ${witnessId} made no commitment to draw ${id}.`);
  }
  const already = await trx
    .selectFrom('draw_reveals')
    .select('secret')
    .where('draw_id', '=', id)
    .where('witness_id', '=', witnessId)
    .executeTakeFirst();
  if (already) throw new AppError('conflict', `Witness ${witnessId} has already revealed.`);
  if (commitmentOf(secret) !== commitment.commitment) {
    throw new AppError('rule-violated', 'The secret does not match the commitment this witness made.', {
      errors: [{ pointer: '/body/secret', detail: 'SHA-256 of the secret differs from the commitment' }],
    });
  }
  await trx
    .insertInto('draw_reveals')
    .values({ draw_id: id, witness_id: witnessId, secret, revealed_at: ctx.at })
    .execute();
  await advanceIfRevealed(trx, id, ctx);
  await audit(trx, ctx, id, 'reveal', { drawId: id, witnessId, secret }, { witnessId });
  return getDraw(trx, id);
}

/** Enters the value of the beacon named at freeze (once). */
export async function enterBeaconValue(
  trx: Transaction<Database>,
  id: string,
  value: string,
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  if (row.state !== 'frozen') throw wrongState(row, 'frozen');
  if (row.beacon_name === null) {
    throw new AppError('rule-violated', `No beacon was named when draw ${id} was frozen.`);
  }
  if (row.beacon_value !== null)
    throw new AppError('conflict', `The beacon of draw ${id} is already entered.`);
  await trx
    .updateTable('draws')
    .set({ beacon_value: value, updated_at: ctx.at })
    .where('id', '=', id)
    .execute();
  await advanceIfRevealed(trx, id, ctx);
  await audit(
    trx,
    ctx,
    id,
    'beacon',
    { drawId: id, beaconName: row.beacon_name, value },
    { beaconName: row.beacon_name },
  );
  return getDraw(trx, id);
}

/** The fairness report without floats that canonical JSON cannot hash: p-values as strings. */
function fairnessDigest(report: FairnessReport): string {
  return sha256Hex(JSON.stringify(report));
}

/**
 * Executes a revealed draw: seed = deriveSeed(draw id, pool hash, reveals, beacon); the engine runs
 * on the stored pool; the result file, its hash, the selected and waitlisted rows and the fairness
 * report are stored. Deterministic: re-running after a crash gives the same bytes.
 */
export async function executeDraw(
  trx: Transaction<Database>,
  id: string,
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  await allowLongStatements(trx);
  if (row.state === 'frozen') {
    const missing = (await commitmentsOf(trx, id)).filter((c) => c.secret === null).map((c) => c.witnessId);
    throw new AppError(
      'rule-violated',
      `Draw ${id} cannot be executed yet: ${[
        ...(missing.length > 0 ? [`witnesses ${missing.join(', ')} have not revealed`] : []),
        ...(row.beacon_name !== null && row.beacon_value === null ? ['the beacon value is not entered'] : []),
      ].join('; ')}.`,
    );
  }
  if (row.state !== 'revealed') throw wrongState(row, 'revealed');
  const reveals = await revealsOf(trx, id);
  const seed = deriveSeed({
    drawId: id,
    poolHash: row.pool_hash!,
    reveals: reveals.map((r) => ({ witnessId: r.witness_id, secret: r.secret })),
    beacon: row.beacon_value,
  });
  const pool = await frozenPool(trx, row);
  const result = runDraw(pool, row.policy as DrawPolicy, seed);
  const fairness = fairnessReport(result, FAIRNESS_THRESHOLD);
  const stored = await storeFile(trx, 'draw_result_chunks', id, (sink) => writeResult(result, sink));
  await insertResultRows(trx, id, result);
  let selected = 0;
  let waitlisted = 0;
  for (let i = 0; i < result.outcome.length; i++) {
    if (result.outcome[i] === SELECTED) selected++;
    else if (result.outcome[i] === WAITLISTED) waitlisted++;
  }
  const summary: DrawResultSummary = {
    selected,
    waitlisted,
    notSelected: pool.size - selected - waitlisted,
    strata: result.strata.map((s) => ({
      id: s.id,
      registrants: s.registrants,
      quota: s.quota,
      waitlisted: s.waitlisted,
    })),
    orders: result.orders.map((o) => ({ ...o })),
  };
  await trx
    .updateTable('draws')
    .set({
      state: 'executed',
      seed,
      result_hash: stored.hash,
      result_summary: JSON.stringify(summary),
      fairness: JSON.stringify(fairness),
      fairness_blocking: fairness.blocking,
      executed_at: ctx.at,
      updated_at: ctx.at,
    })
    .where('id', '=', id)
    .execute();
  await audit(
    trx,
    ctx,
    id,
    'execute',
    { drawId: id, seed, resultHash: stored.hash, fairnessDigest: fairnessDigest(fairness) },
    { seed, resultHash: stored.hash, selected, waitlisted, fairnessBlocking: fairness.blocking },
  );
  return getDraw(trx, id);
}

/** Stores the selected and waitlisted rows (with the pool attributes promotion needs), set-wise. */
async function insertResultRows(
  trx: Transaction<Database>,
  drawId: string,
  result: DrawResult,
): Promise<void> {
  const picked: number[] = [];
  for (let i = 0; i < result.outcome.length; i++) if (result.outcome[i] !== 0) picked.push(i);
  for (let k = 0; k < picked.length; k += 20_000) {
    const rows = picked
      .slice(k, k + 20_000)
      .map((i) => ({ row: resultRowAt(result, i), entry: entryAt(result.pool, i) }));
    await sql`
      insert into draw_results
        (draw_id, registration_number, outcome, rank, stratum, waitlist_position, order_id, gender, age, sectors)
      select ${drawId}, x.n, x.o, x.r, x.s, x.w, x.ord, x.g, x.a, array(select jsonb_array_elements_text(x.sec))
      from jsonb_to_recordset(${JSON.stringify(
        rows.map(({ row, entry }) => ({
          n: row.registrationNumber,
          o: row.outcome,
          r: row.rank,
          s: row.stratum,
          w: row.waitlistPosition,
          ord: row.order,
          g: entry.gender,
          a: entry.age,
          sec: entry.sectors,
        })),
      )}::jsonb) as x(n text, o text, r integer, s integer, w integer, ord text, g text, a smallint, sec jsonb)
    `.execute(trx);
  }
}

/** The SMS telling a worker they were selected (in the draw, or later from its waitlist). */
function selectedMessage(
  draw: { readonly id: string; readonly name: string },
  registrationNumber: string,
  mobile: string,
  fromWaitlist: boolean,
): AnyMessageInput {
  return {
    channel: 'sms',
    recipient: mobile,
    template: 'draw.result',
    params: {
      registrationNumber,
      outcomeEn: fromWaitlist
        ? `selected from the waiting list of draw ${draw.name}`
        : `selected in draw ${draw.name}`,
      outcomeBn: fromWaitlist
        ? `${draw.name} লটারির অপেক্ষমাণ তালিকা থেকে নির্বাচিত`
        : `${draw.name} লটারিতে নির্বাচিত`,
    },
    dedupeKey: `draw.result:${draw.id}:${registrationNumber}`,
  };
}

/**
 * Publishes an executed draw: refused while the fairness report blocks unless an officer overrides
 * with a reason (audited); registrations become selected / waitlisted / not selected; the selected
 * get an SMS (outbox); allocations become placements on their demand orders; the signed manifest
 * is stored. Nothing about the draw can change afterwards (trigger).
 */
export async function publishDraw(
  trx: Transaction<Database>,
  id: string,
  options: { readonly overrideReason?: string | undefined },
  sign: ManifestSigner,
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  await allowLongStatements(trx);
  if (row.state !== 'executed') throw wrongState(row, 'executed');
  if (row.fairness_blocking && !options.overrideReason) {
    throw new AppError(
      'rule-violated',
      `The fairness report of draw ${id} is beyond its threshold (p < ${FAIRNESS_THRESHOLD}); publication needs an officer's override with a reason.`,
      {
        errors: [
          { pointer: '/body/fairnessOverrideReason', detail: 'required while the fairness report blocks' },
        ],
      },
    );
  }
  const overrideReason = row.fairness_blocking ? (options.overrideReason ?? null) : null;
  const reveals = await commitmentsOf(trx, id);
  const summary = row.result_summary as DrawResultSummary;
  const policy = row.policy as DrawPolicy;
  const manifest: PublishedManifest = {
    algorithm: ALGORITHM_ID,
    drawId: id,
    name: row.name,
    windowId: row.window_id,
    sourceDrawId: row.source_draw_id,
    policy,
    policyDigest: row.policy_digest,
    poolHash: row.pool_hash!,
    poolSize: row.pool_size!,
    strata: row.pool_strata as StratumCount[],
    reveals: reveals.map((r) => ({ witnessId: r.witnessId, commitment: r.commitment, secret: r.secret! })),
    beaconName: row.beacon_name,
    beacon: row.beacon_value,
    seed: row.seed!,
    resultHash: row.result_hash!,
    counts: { selected: summary.selected, waitlisted: summary.waitlisted, notSelected: summary.notSelected },
    fairness: { blocking: row.fairness_blocking ?? false, overrideReason },
    times: {
      createdAt: row.created_at.toISOString(),
      frozenAt: row.frozen_at!.toISOString(),
      executedAt: row.executed_at!.toISOString(),
      publishedAt: ctx.at.toISOString(),
    },
  };
  const jws = await sign(manifest as unknown as CanonicalValue);

  // Registration statuses: the selected and waitlisted from the stored rows, everyone else in the pool not selected.
  await sql`
    update registrations as r
    set status = d.outcome, waitlist_position = d.waitlist_position
    from draw_results d
    where d.draw_id = ${id} and r.registration_number = d.registration_number and r.window_id = ${row.window_id}
  `.execute(trx);
  if (row.source_draw_id === null) {
    await sql`
      update registrations set status = 'not_selected', waitlist_position = null
      where window_id = ${row.window_id} and status = 'in_draw_pool'
    `.execute(trx);
  } else {
    const notSelected = (await fileLines(trx, 'result', id))
      .map((line) => line.split('\t'))
      .filter((f) => f[1] === 'not-selected')
      .map((f) => f[0]!);
    if (notSelected.length > 0) {
      await sql`
        update registrations set status = 'not_selected', waitlist_position = null
        where registration_number = any(${notSelected}::text[]) and window_id = ${row.window_id}
      `.execute(trx);
    }
  }
  // SMS to those selected.
  const selected = await trx
    .selectFrom('draw_results as d')
    .innerJoin('registrations as r', 'r.registration_number', 'd.registration_number')
    .select(['d.registration_number', 'r.mobile', 'd.order_id'])
    .where('d.draw_id', '=', id)
    .where('d.outcome', '=', 'selected')
    .orderBy('d.registration_number')
    .execute();
  for (let k = 0; k < selected.length; k += 10_000) {
    await enqueueMessages(
      trx,
      selected.slice(k, k + 10_000).map((s) => selectedMessage(row, s.registration_number, s.mobile, false)),
    );
  }
  // Allocations become placements on the approved demand orders (fill tracking).
  const allocations = selected.filter((s) => s.order_id !== null);
  if (allocations.length > 0) {
    await allocatePlacements(
      trx,
      allocations.map((s) => ({
        demandOrderId: s.order_id!,
        registrationNumber: s.registration_number,
        drawId: id,
      })),
      ctx,
    );
  }
  await trx
    .updateTable('draws')
    .set({
      state: 'published',
      manifest: JSON.stringify(manifest),
      manifest_jws: jws,
      override_reason: overrideReason,
      published_at: ctx.at,
      updated_at: ctx.at,
    })
    .where('id', '=', id)
    .execute();
  if (overrideReason !== null) {
    await audit(
      trx,
      ctx,
      id,
      'fairness-override',
      { drawId: id, reason: overrideReason },
      { reason: overrideReason },
    );
  }
  await audit(
    trx,
    ctx,
    id,
    'publish',
    { drawId: id, manifestDigest: digestOf(manifest as unknown as CanonicalValue) },
    { ...manifest.counts, resultHash: manifest.resultHash, placements: allocations.length },
  );
  return getDraw(trx, id);
}

/** Voids a draw that is not published, with a reason (audited). Its stored facts stay as they were. */
export async function voidDraw(
  trx: Transaction<Database>,
  id: string,
  reason: string,
  ctx: AuditContext,
): Promise<DrawRecord> {
  const row = await lockDraw(trx, id);
  if (row.state === 'published' || row.state === 'voided') throw wrongState(row, 'not yet published');
  await trx
    .updateTable('draws')
    .set({
      state: 'voided',
      void_reason: reason,
      voided_from: row.state,
      voided_at: ctx.at,
      updated_at: ctx.at,
    })
    .where('id', '=', id)
    .execute();
  await audit(trx, ctx, id, 'void', { drawId: id, reason, from: row.state }, { reason, from: row.state });
  return getDraw(trx, id);
}

export interface PromotionRecord {
  readonly drawId: string;
  readonly seq: number;
  readonly dropped: { readonly registrationNumber: string; readonly reason: DrawDropoutReason };
  readonly vacancy: { readonly stratum: number; readonly orderId: string | null };
  readonly promoted: { readonly registrationNumber: string; readonly waitlistPosition: number } | null;
  readonly resultHash: string;
  readonly recordedAt: string;
}

export interface StoredPromotion {
  readonly record: PromotionRecord;
  readonly jws: string;
}

/**
 * A selected (or earlier promoted) worker of a published draw drops out: the vacancy goes to the
 * next eligible waitlisted worker, as `nextPromotion` decides from the published result alone. The
 * signed record is appended; the worker's status becomes withdrawn, the promoted one's selected
 * (with an SMS); a placement on an order is marked and replaced. The published result never changes.
 */
export async function recordDrawDropout(
  trx: Transaction<Database>,
  id: string,
  input: { readonly registrationNumber: string; readonly reason: DrawDropoutReason },
  sign: ManifestSigner,
  ctx: AuditContext,
): Promise<StoredPromotion> {
  const row = await lockDraw(trx, id);
  if (row.state !== 'published') throw wrongState(row, 'published');
  const policy = row.policy as DrawPolicy;
  const previous = await promotionsOf(trx, id);
  const number = input.registrationNumber;
  if (previous.some((p) => p.dropped_registration_number === number)) {
    throw new AppError('conflict', `Registration ${number} has already dropped out of draw ${id}.`);
  }
  const resultRow = await trx
    .selectFrom('draw_results')
    .selectAll()
    .where('draw_id', '=', id)
    .where('registration_number', '=', number)
    .executeTakeFirst();
  let vacancy: Vacancy | undefined;
  if (resultRow?.outcome === 'selected') {
    vacancy = { stratum: resultRow.stratum, orderId: resultRow.order_id };
  } else {
    const promotedInto = previous.find((p) => p.promoted_registration_number === number);
    if (promotedInto) vacancy = (promotedInto.record as PromotionRecord).vacancy;
  }
  if (!vacancy) {
    throw new AppError('rule-violated', `Registration ${number} is not a selected worker of draw ${id}.`, {
      errors: [{ pointer: '/body/registrationNumber', detail: 'not selected (or promoted) in this draw' }],
    });
  }
  const waitlist = await trx
    .selectFrom('draw_results')
    .selectAll()
    .where('draw_id', '=', id)
    .where('outcome', '=', 'waitlisted')
    .where((eb) =>
      policy.waitlist.per === 'order'
        ? eb('order_id', '=', vacancy.orderId ?? '')
        : eb('stratum', '=', vacancy.stratum),
    )
    .execute();
  const unavailable = previous.flatMap((p) => [
    p.dropped_registration_number,
    ...(p.promoted_registration_number ? [p.promoted_registration_number] : []),
  ]);
  const promotion = nextPromotion(
    policy,
    vacancy,
    waitlist.map((w) => ({
      row: {
        registrationNumber: w.registration_number,
        outcome: 'waitlisted' as const,
        rank: null,
        stratum: w.stratum,
        waitlistPosition: w.waitlist_position,
        order: w.order_id,
      },
      entry: {
        registrationNumber: w.registration_number,
        division: 1,
        district: 1,
        upazila: 1,
        union: 1,
        gender: w.gender as 'male' | 'female' | 'other',
        age: w.age,
        sectors: w.sectors,
        registeredOn: '2000-01-01',
      },
    })),
    [...unavailable, number],
  );
  const record: PromotionRecord = {
    drawId: id,
    seq: previous.length + 1,
    dropped: { registrationNumber: number, reason: input.reason },
    vacancy: { stratum: vacancy.stratum, orderId: vacancy.orderId },
    promoted: promotion
      ? { registrationNumber: promotion.registrationNumber, waitlistPosition: promotion.waitlistPosition }
      : null,
    resultHash: row.result_hash!,
    recordedAt: ctx.at.toISOString(),
  };
  const jws = await sign(record as unknown as CanonicalValue);
  await trx
    .insertInto('draw_promotions')
    .values({
      draw_id: id,
      seq: record.seq,
      dropped_registration_number: number,
      reason: input.reason,
      promoted_registration_number: promotion?.registrationNumber ?? null,
      record: JSON.stringify(record),
      jws,
      recorded_at: ctx.at,
      recorded_by: ctx.actor.sub,
    })
    .execute();
  await trx
    .updateTable('registrations')
    .set({
      status: 'withdrawn',
      waitlist_position: null,
      withdrawn_at: ctx.at,
      withdrawal_reason: `dropped out of draw ${id}: ${input.reason}`,
    })
    .where('registration_number', '=', number)
    .where('window_id', '=', row.window_id)
    .execute();
  if (promotion) {
    await trx
      .updateTable('registrations')
      .set({ status: 'selected', waitlist_position: null })
      .where('registration_number', '=', promotion.registrationNumber)
      .where('window_id', '=', row.window_id)
      .execute();
    const contact = await trx
      .selectFrom('registrations')
      .select('mobile')
      .where('registration_number', '=', promotion.registrationNumber)
      .executeTakeFirst();
    if (contact) {
      await enqueueMessages(trx, [selectedMessage(row, promotion.registrationNumber, contact.mobile, true)]);
    }
  }
  // A placement on an order: mark it failed or dropped out, and hand its place to the promoted worker.
  if (vacancy.orderId !== null) {
    const placement = await trx
      .selectFrom('placements')
      .select(['id', 'demand_order_id', 'stage'])
      .where('registration_number', '=', number)
      .where('draw_id', '=', id)
      .executeTakeFirst();
    if (placement) {
      if (!['medical_failed', 'dropped_out'].includes(placement.stage)) {
        await recordPlacementStage(
          trx,
          placement.demand_order_id,
          placement.id,
          input.reason === 'medical_failed'
            ? { type: 'medical', result: 'failed' }
            : {
                type: 'dropout',
                reason:
                  input.reason === 'withdrew'
                    ? 'withdrew'
                    : input.reason === 'unreachable'
                      ? 'unreachable'
                      : 'other',
              },
          { ...ctx, employerId: undefined },
        );
      }
      if (promotion) {
        await recordReplacement(
          trx,
          {
            dropped: placement.id,
            replacement: { registrationNumber: promotion.registrationNumber, drawId: id },
          },
          ctx,
        );
      }
    }
  }
  await audit(trx, ctx, id, 'promotion', record as unknown as CanonicalValue, {
    seq: record.seq,
    dropped: number,
    reason: input.reason,
    promoted: promotion?.registrationNumber ?? null,
  });
  return { record, jws };
}

export async function listDrawPromotions(db: Executor, id: string): Promise<StoredPromotion[]> {
  return (await promotionsOf(db, id)).map((p) => ({ record: p.record as PromotionRecord, jws: p.jws }));
}

export async function findDraw(db: Executor, id: string): Promise<DrawRecord | undefined> {
  if (!DRAW_ID.test(id)) return undefined;
  const row = await db.selectFrom('draws').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row, await commitmentsOf(db, id)) : undefined;
}

export async function getDraw(db: Executor, id: string): Promise<DrawRecord> {
  const draw = await findDraw(db, id);
  if (!draw) throw drawNotFound(id);
  return draw;
}

/** Every draw, newest first (a few per window: the list is short). */
export async function listDraws(db: Executor): Promise<DrawRecord[]> {
  const rows = await db.selectFrom('draws').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  const out: DrawRecord[] = [];
  for (const row of rows) out.push(toRecord(row, await commitmentsOf(db, row.id)));
  return out;
}

/** The signed manifest of a published draw. */
export async function getDrawManifest(
  db: Executor,
  id: string,
): Promise<{ manifest: PublishedManifest; jws: string } | undefined> {
  if (!DRAW_ID.test(id)) return undefined;
  const row = await db
    .selectFrom('draws')
    .select(['manifest', 'manifest_jws', 'state'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || row.state !== 'published') return undefined;
  return { manifest: row.manifest as PublishedManifest, jws: row.manifest_jws! };
}
