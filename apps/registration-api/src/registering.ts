import {
  type AuditContext,
  type BatchItem,
  createRegistration,
  type Database,
  findWindow,
  type IdempotencyClaim,
  type Kysely,
  type NewRegistration,
  newRegistrationRecord,
  runIdempotent,
  type StoredWindow,
  type Transaction,
} from '@g2g/db';
import { AppError, type FieldError, sha256Hex } from '@g2g/domain';
import { fieldErrorsFrom } from '@g2g/http';
import {
  checkWorker,
  dhakaDate,
  formatRegistrationNumber,
  identityHash,
  parseRegistrationNumber,
  registrationDigest,
  registrationNumberProblem,
  type Worker,
  windowRuleError,
  windowViolations,
} from '@g2g/registration';
import { z } from '@hono/zod-openapi';
import type { OperatorCentre, RegistrationState } from './deps.ts';
import { type RegistrationBody, registrationBody } from './routes/registrations/schema.ts';
import { type RegistrationView, registrationView } from './views.ts';

async function checkedWorker(state: RegistrationState, body: RegistrationBody, at: Date, prefix: string) {
  const geo = await state.geography();
  return checkWorker(body, { today: dhakaDate(at), unionExists: (id) => geo.unions.has(id) }, prefix);
}

function unknownWindow(prefix: string): AppError {
  return new AppError('validation-failed', 'There is no such registration window.', {
    errors: [{ pointer: `${prefix}/windowId`, detail: 'no window has this id (see GET /v1/windows)' }],
  });
}

/**
 * Registers one worker at the operator's centre. Format checks and window rules run in memory
 * against a cached window; the registration, its audit event and its SMS are then written in one
 * statement that re-checks the window (a window amended meanwhile is read again and the rules
 * re-applied). One active registration per identity per window: a second is 409 with the number of
 * the first. With an Idempotency-Key the write runs inside the key's transaction; without one it is a
 * single atomic statement.
 */
export async function registerWorker(
  state: RegistrationState,
  body: RegistrationBody,
  centre: OperatorCentre,
  ctx: AuditContext,
  claim: IdempotencyClaim | undefined,
): Promise<RegistrationView> {
  const checked = await checkedWorker(state, body, ctx.at, '/body');
  if (!checked.ok) {
    throw new AppError('validation-failed', 'The registration has invalid fields; see errors.', {
      errors: checked.errors,
    });
  }
  const worker = checked.value;
  const idHash = identityHash(state.idHashSecret, worker.identity);
  const geo = await state.geography();
  // Everything read through the process's caches is read before the transaction: inside it, only its
  // own connection may be used (PGlite has a single one).
  const registrationNumber = await state.numbers.next();
  const cached = await state.windows.get(body.windowId);

  const attempt = async (db: Kysely<Database> | Transaction<Database>) => {
    let window: StoredWindow | undefined = cached;
    for (let round = 0; ; round++) {
      if (!window) throw unknownWindow('/body');
      const violations = windowViolations(window, centre.divisionId, worker, ctx.at);
      if (violations.length > 0) throw windowRuleError(violations);
      const reg: NewRegistration = {
        registrationNumber,
        windowId: window.id,
        windowVersion: window.version,
        windowName: window.name,
        centreUnionId: centre.unionId,
        divisionId: centre.divisionId,
        worker,
        idHash,
        channel: 'online',
        registeredAt: ctx.at,
      };
      const outcome = await createRegistration(db, reg, ctx);
      if (outcome.kind === 'created') {
        return {
          status: 201 as const,
          body: registrationView(newRegistrationRecord(reg, ctx.actor.sub), window, geo),
        };
      }
      if (outcome.kind === 'duplicate') {
        throw new AppError(
          'conflict',
          `This person is already registered in window ${window.id} as ${formatRegistrationNumber(outcome.existingNumber)}.`,
          { extensions: { registrationNumber: outcome.existingNumber } },
        );
      }
      if (round >= 2)
        throw new AppError('service-unavailable', 'The window is changing; retry shortly.', {
          retryAfter: 1,
        });
      state.windows.forget(body.windowId);
      window = await findWindow(db, body.windowId);
    }
  };
  const outcome = claim ? await runIdempotent(state.db, claim, attempt) : await attempt(state.db);
  return outcome.body;
}

/** An offline batch item: a registration plus the client's id and, if made offline, its reserved number and time. */
export const batchItemSchema = registrationBody.extend({
  clientId: z.string().min(1).max(64),
  registrationNumber: z.string().max(30).optional(),
  registeredAt: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The digest a replay is recognised by: the item as understood (`registrationDigest`), or, for an item
 * that could not be understood, its JSON as sent.
 */
export function itemDigest(
  raw: unknown,
  understood?: {
    windowId: string;
    worker: Worker;
    reservedNumber?: string | undefined;
    registeredAt?: Date | undefined;
  },
): string {
  return understood
    ? registrationDigest(understood.windowId, understood.worker, understood)
    : sha256Hex(JSON.stringify(raw));
}

/**
 * Format checks for every item of a batch, in memory: each item's errors carry pointers to it
 * (`/body/items/7/mobile`); window rules and duplicates are judged in the database transaction.
 */
export async function prepareBatchItems(
  state: RegistrationState,
  rawItems: readonly Record<string, unknown>[],
  at: Date,
): Promise<BatchItem[]> {
  const geo = await state.geography();
  const ctx = { today: dhakaDate(at), unionExists: (id: number) => geo.unions.has(id) };
  return rawItems.map((raw, i) => {
    const pointer = `/body/items/${i}`;
    const clientId = String(raw.clientId);
    const digest = itemDigest(raw);
    const parsed = batchItemSchema.safeParse(raw);
    if (!parsed.success) {
      return {
        clientId,
        itemDigest: digest,
        pointer,
        errors: fieldErrorsFrom(parsed.error, 'body', ['items', i]),
      };
    }
    const item = parsed.data;
    const errors: FieldError[] = [];
    const checked = checkWorker(item, ctx, pointer);
    if (!checked.ok) errors.push(...checked.errors);
    let reservedNumber: string | undefined;
    if (item.registrationNumber !== undefined) {
      const number = parseRegistrationNumber(item.registrationNumber);
      if (number.ok) reservedNumber = number.number;
      else
        errors.push({
          pointer: `${pointer}/registrationNumber`,
          detail: registrationNumberProblem(number.reason),
        });
      if (item.registeredAt === undefined) {
        errors.push({ pointer: `${pointer}/registeredAt`, detail: 'when the worker was registered offline' });
      }
    }
    if (errors.length > 0 || !checked.ok) return { clientId, itemDigest: itemDigest(raw), pointer, errors };
    const worker: Worker = checked.value;
    const understood = {
      windowId: item.windowId,
      worker,
      reservedNumber,
      registeredAt: item.registeredAt === undefined ? undefined : new Date(item.registeredAt),
    };
    return {
      clientId,
      itemDigest: itemDigest(raw, understood),
      pointer,
      candidate: { ...understood, idHash: identityHash(state.idHashSecret, worker.identity) },
    };
  });
}
