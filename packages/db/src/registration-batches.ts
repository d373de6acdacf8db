import { type FieldError, sha256Hex } from '@g2g/domain';
import { CLOCK_SKEW_MS, OFFLINE_SYNC_GRACE_MS, type Worker, windowViolations } from '@g2g/registration';
import { sql, type Transaction } from 'kysely';
import { recordAuditEvent } from './audit.ts';
import { PREPARED } from './client.ts';
import { type AnyMessageInput, enqueueMessages } from './outbox.ts';
import { confirmationMessage } from './registrations.ts';
import type { AuditContext } from './schemes.ts';
import { allocateRegistrationNumbers } from './serials.ts';
import type { Database } from './types.ts';
import { findWindow, type StoredWindow } from './windows.ts';

/** One item of an offline batch after its format checks (done in memory, before any I/O). */
export interface BatchItem {
  readonly clientId: string;
  /** Digest of the item as sent: a replay with the same client id must carry the same item. */
  readonly itemDigest: string;
  /** JSON Pointer of the item in the request, e.g. `/body/items/7`. */
  readonly pointer: string;
  /** Absent when the item failed its format checks (`errors` says why). */
  readonly candidate?: {
    readonly windowId: string;
    readonly worker: Worker;
    /** Hex keyed hash of the identity number. */
    readonly idHash: string;
    /** A number this centre reserved and handed out offline. */
    readonly reservedNumber?: string | undefined;
    /** When the worker was registered offline (the centre's clock); required with a reserved number. */
    readonly registeredAt?: Date | undefined;
  };
  readonly errors?: readonly FieldError[];
}

export type BatchItemResult =
  | { readonly clientId: string; readonly outcome: 'created'; readonly registrationNumber: string }
  | {
      readonly clientId: string;
      readonly outcome: 'duplicate';
      /** The registration that stands (the earlier one). */
      readonly registrationNumber: string;
      /** The reserved number this item carried, now void. */
      readonly voidedNumber: string | null;
    }
  | { readonly clientId: string; readonly outcome: 'invalid'; readonly errors: readonly FieldError[] };

export interface BatchResult {
  readonly batchId: string;
  readonly items: readonly BatchItemResult[];
  readonly counts: { created: number; duplicate: number; invalid: number; replayed: number };
}

export interface BatchContext extends AuditContext {
  readonly batchId: string;
  readonly centreUnionId: number;
  /** The centre's division: its window times apply. */
  readonly divisionId: number;
}

interface Accepted {
  readonly index: number;
  readonly item: BatchItem;
  readonly candidate: NonNullable<BatchItem['candidate']>;
  readonly window: StoredWindow;
  readonly at: Date;
  number?: string;
}

/**
 * Syncs one offline batch in the caller's transaction: every item gets a result, one bad item never
 * sinks the others, and the writes are set-wise (a handful of statements per batch, whatever its
 * size). Batches of one centre are serialised by a transaction-scoped advisory lock on the centre,
 * so a retry racing its original waits and then replays; different centres never wait on each other.
 *
 * Per item, in order: a client id seen before replays its stored result (or is refused if the item
 * differs); a reserved number must be this centre's and unused, and the item is then judged at the
 * time it was made (between the reservation and now, within the grace after closing); otherwise now.
 * Window rules (open for the centre's division, eligibility, sectors) apply; an identity seen earlier
 * in the batch or already registered in the window is a duplicate of that registration. Created and
 * duplicate results are stored (append-only) by centre and client id; invalid ones are not, so a
 * corrected item can be sent again under the same client id. One audit event covers the batch; each
 * created registration gets its SMS confirmation, each duplicate a notice, through the outbox.
 */
export async function syncRegistrationBatch(
  trx: Transaction<Database>,
  items: readonly BatchItem[],
  ctx: BatchContext,
): Promise<BatchResult> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`registration-batch:${ctx.centreUnionId}`}, 7))`.execute(
    trx,
  );
  const results: (BatchItemResult | undefined)[] = items.map(() => undefined);
  const invalid = (i: number, errors: readonly FieldError[]) => {
    results[i] = { clientId: items[i]!.clientId, outcome: 'invalid', errors };
  };

  // Replays: results already stored under these client ids.
  const stored = await trx
    .selectFrom('registration_batch_items')
    .select(['client_id', 'item_digest', 'outcome', 'registration_number', 'void_number'])
    .where('centre_union_id', '=', ctx.centreUnionId)
    .where(
      'client_id',
      'in',
      items.map((i) => i.clientId),
    )
    .execute();
  const storedById = new Map(stored.map((s) => [s.client_id, s]));
  let replayed = 0;
  const seenClientIds = new Set<string>();
  const fresh: number[] = [];
  for (const [i, item] of items.entries()) {
    if (seenClientIds.has(item.clientId)) {
      invalid(i, [{ pointer: `${item.pointer}/clientId`, detail: 'repeats an earlier item of this batch' }]);
      continue;
    }
    seenClientIds.add(item.clientId);
    const previous = storedById.get(item.clientId);
    if (previous) {
      if (previous.item_digest !== item.itemDigest) {
        invalid(i, [
          {
            pointer: `${item.pointer}/clientId`,
            detail: 'this client id was already synced with different data',
          },
        ]);
        continue;
      }
      replayed++;
      results[i] =
        previous.outcome === 'created'
          ? { clientId: item.clientId, outcome: 'created', registrationNumber: previous.registration_number }
          : {
              clientId: item.clientId,
              outcome: 'duplicate',
              registrationNumber: previous.registration_number,
              voidedNumber: previous.void_number,
            };
      continue;
    }
    if (!item.candidate) {
      invalid(i, item.errors ?? []);
      continue;
    }
    fresh.push(i);
  }

  // Reserved numbers: this centre's and unused.
  const reservedWanted = fresh
    .map((i) => items[i]!.candidate!.reservedNumber)
    .filter((n): n is string => !!n);
  const reservations = new Map<string, Date>();
  if (reservedWanted.length > 0) {
    const rows = await trx
      .selectFrom('number_reservations')
      .select(['registration_number', 'reserved_at'])
      .where('centre_union_id', '=', ctx.centreUnionId)
      .where('used_at', 'is', null)
      .where('registration_number', 'in', reservedWanted)
      .execute();
    for (const r of rows) reservations.set(r.registration_number, r.reserved_at);
  }

  // Window rules, at the time each registration was made.
  const windows = new Map<string, StoredWindow | undefined>();
  for (const id of new Set(fresh.map((i) => items[i]!.candidate!.windowId))) {
    windows.set(id, await findWindow(trx, id));
  }
  const accepted: Accepted[] = [];
  const numbersInBatch = new Set<string>();
  for (const i of fresh) {
    const item = items[i]!;
    const candidate = item.candidate!;
    const window = windows.get(candidate.windowId);
    if (!window) {
      invalid(i, [{ pointer: `${item.pointer}/windowId`, detail: 'no window has this id' }]);
      continue;
    }
    let at = ctx.at;
    if (candidate.reservedNumber !== undefined) {
      const reservedAt = reservations.get(candidate.reservedNumber);
      const pointer = `${item.pointer}/registrationNumber`;
      if (!reservedAt || numbersInBatch.has(candidate.reservedNumber)) {
        invalid(i, [{ pointer, detail: 'not a number reserved by this centre and still unused' }]);
        continue;
      }
      const madeAt = candidate.registeredAt;
      if (!madeAt || madeAt < reservedAt || madeAt.getTime() > ctx.at.getTime() + CLOCK_SKEW_MS) {
        invalid(i, [
          {
            pointer: `${item.pointer}/registeredAt`,
            detail: 'the time of an offline registration lies between its number’s reservation and now',
          },
        ]);
        continue;
      }
      const schedule = window.schedule.find((s) => s.divisionId === ctx.divisionId);
      if (schedule && ctx.at.getTime() > schedule.closesAt.getTime() + OFFLINE_SYNC_GRACE_MS) {
        invalid(i, [
          {
            pointer: `${item.pointer}/registeredAt`,
            detail: `offline registrations had to be synced within ${OFFLINE_SYNC_GRACE_MS / 3600_000} hours of the window closing`,
          },
        ]);
        continue;
      }
      numbersInBatch.add(candidate.reservedNumber);
      at = madeAt;
    }
    const violations = windowViolations(window, ctx.divisionId, candidate.worker, at, item.pointer);
    if (violations.length > 0) {
      invalid(i, violations);
      continue;
    }
    accepted.push({ index: i, item, candidate, window, at, number: candidate.reservedNumber });
  }

  // Duplicates within the batch: the first item of an identity stands.
  const firstOfIdentity = new Map<string, Accepted>();
  const toInsert: Accepted[] = [];
  const duplicatesInBatch: { entry: Accepted; of: Accepted }[] = [];
  for (const entry of accepted) {
    const key = `${entry.candidate.windowId}\u0000${entry.candidate.idHash}`;
    const first = firstOfIdentity.get(key);
    if (first) duplicatesInBatch.push({ entry, of: first });
    else {
      firstOfIdentity.set(key, entry);
      toInsert.push(entry);
    }
  }
  const allocated = await allocateRegistrationNumbers(trx, toInsert.filter((e) => !e.number).length);
  for (const entry of toInsert) entry.number ??= allocated.pop();

  const inserted = new Set<string>();
  if (toInsert.length > 0) {
    const payload = JSON.stringify(
      toInsert.map((e) => {
        const w = e.candidate.worker;
        return {
          n: e.number,
          w: e.candidate.windowId,
          pu: w.permanentUnionId,
          k: w.identity.kind,
          h: e.candidate.idHash,
          l4: w.identity.last4,
          ne: w.nameEn,
          nb: w.nameBn,
          g: w.gender,
          dob: w.dateOfBirth,
          m: w.mobile,
          ps: w.preferredSectors,
          e: w.education,
          t: w.trade,
          sk: w.skills,
          y: w.experienceYears,
          pp: w.passportNumber,
          at: e.at.toISOString(),
        };
      }),
    );
    const { rows } = await sql<{ registration_number: string }>`${sql.raw(PREPARED)}
      insert into registrations (
        registration_number, window_id, centre_union_id, permanent_union_id, id_kind, id_hash, id_last4,
        name_en, name_bn, gender, date_of_birth, mobile, preferred_sectors, education, trade, skills,
        experience_years, passport_number, channel, registered_at, registered_by
      )
      select x.n, x.w, ${ctx.centreUnionId}, x.pu, x.k, decode(x.h, 'hex'), x.l4, x.ne, x.nb, x.g, x.dob, x.m,
        x.ps, x.e, x.t, x.sk, x.y, x.pp, 'offline', x.at, ${ctx.actor.sub}
      from jsonb_to_recordset(${payload}::jsonb) as x(
        n text, w text, pu smallint, k text, h text, l4 text, ne text, nb text, g text, dob date, m text,
        ps text[], e text, t text, sk text[], y smallint, pp text, at timestamptz
      )
      on conflict (window_id, id_hash) where active do nothing
      returning registration_number
    `.execute(trx);
    for (const r of rows) inserted.add(r.registration_number);
  }

  // Items whose identity was already registered in the window: find the standing registrations.
  const clashing = toInsert.filter((e) => !inserted.has(e.number!));
  const standing = new Map<string, string>();
  if (clashing.length > 0) {
    const { rows } = await sql<{ window_id: string; h: string; registration_number: string }>`
      select r.window_id, encode(r.id_hash, 'hex') as h, r.registration_number
      from registrations r
      join (select unnest(${clashing.map((e) => e.candidate.windowId)}::text[]) as w,
                   decode(unnest(${clashing.map((e) => e.candidate.idHash)}::text[]), 'hex') as h) as c
        on r.window_id = c.w and r.id_hash = c.h
      where r.active
    `.execute(trx);
    for (const r of rows) standing.set(`${r.window_id}\u0000${r.h}`, r.registration_number);
  }

  const messages: AnyMessageInput[] = [];
  const stores: {
    clientId: string;
    digest: string;
    outcome: string;
    number: string;
    voided: string | null;
  }[] = [];
  const usedAs = new Map<string, 'registered' | 'duplicate'>();
  const duplicate = (entry: Accepted, existing: string) => {
    const voided = entry.candidate.reservedNumber ?? null;
    results[entry.index] = {
      clientId: entry.item.clientId,
      outcome: 'duplicate',
      registrationNumber: existing,
      voidedNumber: voided,
    };
    stores.push({
      clientId: entry.item.clientId,
      digest: entry.item.itemDigest,
      outcome: 'duplicate',
      number: existing,
      voided,
    });
    if (voided) usedAs.set(voided, 'duplicate');
    const dedupe = `${entry.item.clientId}:${ctx.centreUnionId}`;
    messages.push(
      voided
        ? {
            channel: 'sms',
            recipient: entry.candidate.worker.mobile,
            template: 'registration.duplicate-offline',
            params: { registrationNumber: voided, existingNumber: existing },
            dedupeKey: `registration.duplicate-offline:${voided}`,
          }
        : {
            channel: 'sms',
            recipient: entry.candidate.worker.mobile,
            template: 'registration.duplicate',
            params: { existingNumber: existing },
            dedupeKey: `registration.duplicate:${dedupe}`,
          },
    );
  };
  for (const entry of toInsert) {
    const number = entry.number!;
    if (inserted.has(number)) {
      results[entry.index] = {
        clientId: entry.item.clientId,
        outcome: 'created',
        registrationNumber: number,
      };
      stores.push({
        clientId: entry.item.clientId,
        digest: entry.item.itemDigest,
        outcome: 'created',
        number,
        voided: null,
      });
      if (entry.candidate.reservedNumber) usedAs.set(number, 'registered');
      messages.push(confirmationMessage(number, entry.window.name, entry.candidate.worker.mobile));
      continue;
    }
    const existing = standing.get(`${entry.candidate.windowId}\u0000${entry.candidate.idHash}`);
    if (existing) duplicate(entry, existing);
    else {
      // Withdrawn between the insert and the read: nothing stored, the centre sends it again.
      invalid(entry.index, [
        { pointer: entry.item.pointer, detail: 'changed while syncing; send this item again' },
      ]);
    }
  }
  for (const { entry, of } of duplicatesInBatch) {
    const result = results[of.index];
    if (result && result.outcome !== 'invalid') duplicate(entry, result.registrationNumber);
    else
      invalid(entry.index, [
        { pointer: entry.item.pointer, detail: 'changed while syncing; send this item again' },
      ]);
  }

  if (usedAs.size > 0) {
    await sql`
      update number_reservations as r set used_at = ${ctx.at}, used_as = u.used_as
      from (select unnest(${[...usedAs.keys()]}::text[]) as n, unnest(${[...usedAs.values()]}::text[]) as used_as) as u
      where r.registration_number = u.n and r.centre_union_id = ${ctx.centreUnionId} and r.used_at is null
    `.execute(trx);
  }
  if (stores.length > 0) {
    await sql`
      insert into registration_batch_items
        (centre_union_id, client_id, item_digest, batch_id, outcome, registration_number, void_number)
      select ${ctx.centreUnionId}, c, d, ${ctx.batchId}, o, n, v
      from unnest(${stores.map((s) => s.clientId)}::text[], ${stores.map((s) => s.digest)}::text[],
                  ${stores.map((s) => s.outcome)}::text[], ${stores.map((s) => s.number)}::text[],
                  ${stores.map((s) => s.voided)}::text[]) as x(c, d, o, n, v)
    `.execute(trx);
  }
  await enqueueMessages(trx, messages);

  const final = results.map(
    (r, i) => r ?? { clientId: items[i]!.clientId, outcome: 'invalid' as const, errors: [] },
  );
  const counts = {
    created:
      final.filter((r) => r.outcome === 'created').length - countReplayed(final, storedById, 'created'),
    duplicate:
      final.filter((r) => r.outcome === 'duplicate').length - countReplayed(final, storedById, 'duplicate'),
    invalid: final.filter((r) => r.outcome === 'invalid').length,
    replayed,
  };
  if (stores.length > 0) {
    const numbers = stores.filter((s) => s.outcome === 'created').map((s) => s.number);
    await recordAuditEvent(trx, {
      actor: ctx.actor,
      action: 'registration.batch-sync',
      entityType: 'registration-batch',
      entityId: ctx.batchId,
      // The payload commits to every stored item (client id, outcome, number, item digest) through one
      // digest of their lines, which is as binding as listing them and far cheaper to hash.
      payload: {
        batchId: ctx.batchId,
        centreUnionId: ctx.centreUnionId,
        items: stores.length,
        itemsDigest: sha256Hex(
          stores.map((s) => `${s.clientId}\t${s.outcome}\t${s.number}\t${s.digest}`).join('\n'),
        ),
      },
      details: {
        centreUnionId: ctx.centreUnionId,
        ...counts,
        numbersDigest: sha256Hex(numbers.join(',')),
        firstNumber: numbers[0] ?? null,
        lastNumber: numbers.at(-1) ?? null,
      },
      occurredAt: ctx.at,
      requestId: ctx.requestId,
    });
  }
  return { batchId: ctx.batchId, items: final, counts };
}

function countReplayed(
  results: readonly BatchItemResult[],
  stored: ReadonlyMap<string, { outcome: string; item_digest: string }>,
  outcome: 'created' | 'duplicate',
): number {
  return results.filter((r) => r.outcome === outcome && stored.get(r.clientId)?.outcome === outcome).length;
}
