import { isCurrency } from '@g2g/domain';
import { assertInstant, assertLocalDate } from './dates.ts';
import { negate } from './decimal.ts';
import {
  type EntryInput,
  entrySources,
  type PaymentInput,
  type PostedEntry,
  type PostedPayment,
  type PostedReversal,
  payers,
  type ReversalInput,
  sourceRoles,
} from './entries.ts';
import { assertIdentifier, assertText, feeError, unreachable } from './errors.ts';
import { type Finding, type FindingResolution, findingId } from './findings.ts';
import { assertPayeeRef, checkPayee, type PayeeRegistry } from './payees.ts';
import { isCostCategory, policyVersionOn } from './policy.ts';
import { assess, type CapContext, findingConditions } from './position.ts';
import { convert } from './rates.ts';

/** One worker's fee ledger, folded from its events. Build with `emptyLedger` and `evolve`. */
export interface LedgerState {
  readonly registrationNumber: string;
  /** Every posted entry, payments and reversals, in posting order. */
  readonly entries: ReadonlyMap<string, PostedEntry>;
  /** Reversed payment id -> the reversal's id. */
  readonly reversedBy: ReadonlyMap<string, string>;
  /** By finding key: how many occurrences were raised, and the open one if any. */
  readonly findings: ReadonlyMap<string, FindingSlot>;
}

export interface FindingSlot {
  readonly occurrences: number;
  readonly open: Finding | null;
}

/** Append-only events: the database stores them as rows; `evolve` folds them into the state. */
export type FeeLedgerEvent =
  | { readonly type: 'entry_posted'; readonly entry: PostedEntry }
  | { readonly type: 'finding_raised'; readonly finding: Finding }
  | { readonly type: 'finding_resolved'; readonly resolution: FindingResolution };

/** What `post` needs besides the state; all of it plain data the caller loads. */
export interface PostContext extends CapContext {
  /** Must contain at least the payee of the entry, if it is a registered one. */
  readonly payees: PayeeRegistry;
  /** RFC 3339 UTC time of posting (the core reads no clock). */
  readonly recordedAt: string;
}

export function emptyLedger(registrationNumber: string): LedgerState {
  assertIdentifier(registrationNumber, 'registrationNumber');
  return { registrationNumber, entries: new Map(), reversedBy: new Map(), findings: new Map() };
}

/**
 * Decides one posting: validates it against the worker's state, fixes its scheme-currency amount,
 * rate, policy version and payee check, then re-runs the cap check over the worker's ledger.
 * Returns `entry_posted`, then `finding_resolved` for open findings that no longer hold, then
 * `finding_raised` for conditions that hold and had no open finding (each group ordered by key).
 * Going over the cap is never refused: the payment happened, so it is recorded and becomes a finding.
 * Cost: O(entries of the worker). Throws `AppError` (see `FeeErrorReason`) and posts nothing on error.
 */
export function post(state: LedgerState, input: EntryInput, ctx: PostContext): FeeLedgerEvent[] {
  assertInstant(ctx.recordedAt, 'recordedAt');
  assertIdentifier(input.id, 'id');
  if (input.registrationNumber !== state.registrationNumber) {
    throw feeError('worker-mismatch', `Entry ${input.id} is for another worker than this ledger.`);
  }
  if (state.entries.has(input.id)) throw feeError('duplicate-entry', `Entry ${input.id} is already posted.`);
  assertText(input.recordedBy?.sub, 'recordedBy.sub', 200);

  let entry: PostedEntry;
  switch (input.kind) {
    case 'payment':
      entry = postedPayment(input, ctx);
      break;
    case 'reversal':
      entry = postedReversal(state, input, ctx.recordedAt);
      break;
    default:
      return unreachable(input);
  }

  const next = evolve(state, { type: 'entry_posted', entry });
  const holding = findingConditions(assess(next, ctx.policy), ctx);
  const events: FeeLedgerEvent[] = [{ type: 'entry_posted', entry }];
  const keys = [...new Set([...state.findings.keys(), ...holding.keys()])].sort();
  for (const key of keys) {
    const open = state.findings.get(key)?.open;
    if (open && !holding.has(key)) {
      events.push({
        type: 'finding_resolved',
        resolution: {
          findingId: open.id,
          key,
          occurrence: open.occurrence,
          registrationNumber: state.registrationNumber,
          resolvedBy: entry.id,
          resolvedAt: ctx.recordedAt,
        },
      });
    }
  }
  for (const key of keys) {
    const detail = holding.get(key);
    const slot = state.findings.get(key);
    if (detail && !slot?.open) {
      const occurrence = (slot?.occurrences ?? 0) + 1;
      events.push({
        type: 'finding_raised',
        finding: {
          ...detail,
          id: findingId(state.registrationNumber, key, occurrence),
          key,
          occurrence,
          registrationNumber: state.registrationNumber,
          raisedBy: entry.id,
          raisedAt: ctx.recordedAt,
        },
      });
    }
  }
  return events;
}

function postedPayment(input: PaymentInput, ctx: PostContext): PostedPayment {
  if (!isCostCategory(input.category)) throw feeError('invalid-input', 'category is not a cost category.');
  if (!(payers as readonly string[]).includes(input.payer))
    throw feeError('invalid-input', 'payer is unknown.');
  if (!(entrySources as readonly string[]).includes(input.source))
    throw feeError('invalid-input', 'source is unknown.');
  if (!isCurrency(input.amount?.currency) || typeof input.amount.amountMinor !== 'bigint') {
    throw feeError('invalid-input', 'amount must be a Money with bigint minor units.');
  }
  if (input.amount.amountMinor <= 0n) {
    throw feeError('invalid-input', 'amount must be positive; corrections are reversals.');
  }
  assertLocalDate(input.valueDate, 'valueDate');
  assertPayeeRef(input.payee, 'payee');
  if (input.source === 'official_receipt' || input.receiptRef !== null)
    assertText(input.receiptRef, 'receiptRef', 100);
  if (input.source === 'worker_report' && input.payer !== 'worker') {
    throw feeError('invalid-input', 'A worker report is about a payment by the worker.');
  }
  if (!sourceRoles[input.source].includes(input.recordedBy.role)) {
    throw feeError('role-not-allowed', `Role ${input.recordedBy.role} cannot record a ${input.source}.`);
  }
  const version = policyVersionOn(ctx.policy, input.valueDate);
  const converted = convert(input.amount, ctx.policy.currency, ctx.rates, input.valueDate);
  return {
    kind: 'payment',
    id: input.id,
    registrationNumber: input.registrationNumber,
    category: input.category,
    amount: input.amount,
    payer: input.payer,
    payee: input.payee,
    valueDate: input.valueDate,
    receiptRef: input.receiptRef,
    source: input.source,
    recordedBy: { sub: input.recordedBy.sub, role: input.recordedBy.role },
    recordedAt: ctx.recordedAt,
    schemeAmount: converted.amount,
    rate: converted.rate,
    policyVersionId: version.id,
    payeeCheck: checkPayee(input.payee, ctx.payees, input.valueDate),
  };
}

/**
 * A reversal copies the original and negates `amount` and `schemeAmount`; it reuses the original's
 * rate, so it cancels exactly even if rates were recorded or corrected since.
 */
function postedReversal(state: LedgerState, input: ReversalInput, recordedAt: string): PostedReversal {
  assertText(input.reason, 'reason');
  const original = state.entries.get(input.reverses);
  if (!original) throw feeError('entry-unknown', `No entry ${input.reverses} in this worker's ledger.`);
  if (original.kind === 'reversal') throw feeError('reversal-of-reversal', 'A reversal cannot be reversed.');
  const by = state.reversedBy.get(original.id);
  if (by) throw feeError('already-reversed', `Entry ${original.id} was already reversed by ${by}.`);
  const allowed = [...sourceRoles[original.source], 'ministry_officer'];
  if (!allowed.includes(input.recordedBy.role)) {
    throw feeError('role-not-allowed', `Role ${input.recordedBy.role} cannot reverse a ${original.source}.`);
  }
  return {
    ...original,
    kind: 'reversal',
    id: input.id,
    reverses: original.id,
    reason: input.reason,
    amount: negate(original.amount),
    schemeAmount: negate(original.schemeAmount),
    recordedBy: { sub: input.recordedBy.sub, role: input.recordedBy.role },
    recordedAt,
  };
}

/** Applies one event. Pure; trusts events made by `post` (the database is their only other source). */
export function evolve(state: LedgerState, event: FeeLedgerEvent): LedgerState {
  switch (event.type) {
    case 'entry_posted': {
      const { entry } = event;
      return {
        ...state,
        entries: new Map(state.entries).set(entry.id, entry),
        reversedBy:
          entry.kind === 'reversal'
            ? new Map(state.reversedBy).set(entry.reverses, entry.id)
            : state.reversedBy,
      };
    }
    case 'finding_raised': {
      const { finding } = event;
      return {
        ...state,
        findings: new Map(state.findings).set(finding.key, {
          occurrences: finding.occurrence,
          open: finding,
        }),
      };
    }
    case 'finding_resolved': {
      const { resolution } = event;
      const slot = state.findings.get(resolution.key);
      return {
        ...state,
        findings: new Map(state.findings).set(resolution.key, {
          occurrences: slot?.occurrences ?? 0,
          open: null,
        }),
      };
    }
    default:
      return unreachable(event);
  }
}

/** Folds events into a state (`emptyLedger(...)` to start). */
export function fold(state: LedgerState, events: readonly FeeLedgerEvent[]): LedgerState {
  return events.reduce(evolve, state);
}
