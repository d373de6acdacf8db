import { AppError, type Role, type Scheme } from '@g2g/domain';
import { actsFor, type DemandActor, demandNotFound, roleNotAllowed } from './actor.ts';
import type { EmployerStatus } from './employer.ts';
import {
  type AgeRange,
  assertNoViolations,
  assertTermsConsistent,
  type DemandTerms,
  eligibilityChanged,
  sameTerms,
  schemeRuleViolations,
  worsenedTermsViolations,
} from './terms.ts';

/**
 * The demand order state machine, in the decider style: `decide(command, state, ctx)` returns the
 * events a command produces (or throws an AppError), `evolve(state, event)` applies one. Pure: the
 * clock (`today`), the scheme and the employer's account status come in through the context.
 *
 *   draft --submit--> submitted --approve--> approved --close(filled|cancelled)--> closed
 *                               \--reject--> rejected
 *   draft, submitted --close(cancelled)--> closed
 *   draft, approved --amend--> same status, next version
 */
export const demandStatuses = ['draft', 'submitted', 'approved', 'rejected', 'closed'] as const;
export type DemandStatus = (typeof demandStatuses)[number];

export const closeOutcomes = ['filled', 'cancelled'] as const;
export type CloseOutcome = (typeof closeOutcomes)[number];

export interface DemandOrderState {
  readonly id: string;
  readonly employerId: string;
  readonly schemeId: string;
  readonly status: DemandStatus;
  /** The current version of the terms (1 on creation, one more per amendment). */
  readonly version: number;
  readonly terms: DemandTerms;
  /** Set by approval (at most workersRequested); the committee may change it by amendment. */
  readonly workersApproved: number | null;
  /** True once approved, also after closing: ministry officers and auditors read such orders. */
  readonly everApproved: boolean;
  readonly rejectReason: string | null;
  readonly closeOutcome: CloseOutcome | null;
  readonly closeReason: string | null;
  /** Placements that count toward the order: allocated, not failed at medical, not dropped out. */
  readonly activePlacements: number;
}

export type DemandCommand =
  | { readonly type: 'create'; readonly id: string; readonly schemeId: string; readonly terms: DemandTerms }
  | {
      readonly type: 'amend';
      /** The terms to change (top-level fields replace the current ones; nested objects whole). */
      readonly changes: Partial<DemandTerms>;
      /** Committee only, on an approved order. */
      readonly workersApproved?: number | undefined;
      /** Required when amending an approved order. */
      readonly reason?: string | undefined;
      /** Refuse (409) unless the order is still at this version: no lost updates. */
      readonly expectedVersion?: number | undefined;
    }
  | { readonly type: 'submit' }
  | { readonly type: 'approve'; readonly workersApproved: number; readonly note?: string | undefined }
  | { readonly type: 'reject'; readonly reason: string }
  | { readonly type: 'close'; readonly outcome: CloseOutcome; readonly reason: string };

export type DemandCommandType = DemandCommand['type'];
export type TransitionCommandType = Exclude<DemandCommandType, 'create'>;

export type DemandEvent =
  | {
      readonly type: 'created';
      readonly id: string;
      readonly employerId: string;
      readonly schemeId: string;
      readonly terms: DemandTerms;
    }
  | {
      readonly type: 'amended';
      readonly version: number;
      readonly terms: DemandTerms;
      readonly workersApproved: number | null;
      readonly reason: string | null;
    }
  | { readonly type: 'submitted' }
  | { readonly type: 'approved'; readonly workersApproved: number; readonly note: string | null }
  | { readonly type: 'rejected'; readonly reason: string }
  | { readonly type: 'closed'; readonly outcome: CloseOutcome; readonly reason: string };

export interface DemandContext {
  readonly actor: DemandActor;
  /** The order's scheme, with the rules in force now. */
  readonly scheme: Scheme;
  /** HOOK for the registration window's age range (see effectiveAgeLimits); undefined until windows exist. */
  readonly windowAgeLimits?: AgeRange | undefined;
  /** The status of the account of the employer that owns (or, on create, files) the order. */
  readonly employerStatus: EmployerStatus;
  /** Today, 'YYYY-MM-DD', from the caller's clock. */
  readonly today: string;
}

/**
 * Which role may perform which transition, from which statuses. A role absent for a command is
 * refused with 403; a listed role from another status gets 409 naming the current status.
 */
const transitions: Readonly<
  Record<TransitionCommandType, Readonly<Partial<Record<Role, readonly DemandStatus[]>>>>
> = {
  amend: { employer: ['draft', 'approved'], committee: ['approved'] },
  submit: { employer: ['draft'] },
  approve: { committee: ['submitted'] },
  reject: { committee: ['submitted'] },
  close: { employer: ['draft', 'submitted', 'approved'], committee: ['approved'] },
};

/** The roles that may perform a transition at all (the route's access list). */
export function rolesFor(command: TransitionCommandType): Role[] {
  return Object.keys(transitions[command]) as Role[];
}

export function decide(
  command: DemandCommand,
  state: DemandOrderState | undefined,
  ctx: DemandContext,
): DemandEvent[] {
  if (command.type === 'create') return decideCreate(command, state, ctx);
  if (!state) throw new AppError('not-found', 'There is no such demand order.');
  const { actor } = ctx;
  const allowed =
    actor.role === 'public' || actor.role === 'system' ? undefined : transitions[command.type][actor.role];
  if (!allowed) throw roleNotAllowed(`${command.type} a demand order`, rolesFor(command.type));
  if (actor.role === 'employer' && !actsFor(actor, state.employerId)) throw demandNotFound(state.id);
  if (!allowed.includes(state.status)) {
    throw new AppError(
      'conflict',
      `The demand order is ${state.status}; ${actor.role === 'committee' ? 'the committee' : 'its employer'} may ${command.type} it only when it is ${allowed.join(' or ')}.`,
      { extensions: { currentState: state.status } },
    );
  }
  if (actor.role === 'employer' || command.type === 'approve') assertEmployerUsable(ctx.employerStatus);
  switch (command.type) {
    case 'amend':
      return decideAmend(command, state, ctx);
    case 'submit':
      assertTermsConsistent(state.terms, '/order');
      assertNoViolations(schemeRuleViolations(state.terms, { ...ctx, checkStartDate: true }, '/order'));
      return [{ type: 'submitted' }];
    case 'approve': {
      assertApprovable(command.workersApproved, state.terms.workersRequested);
      assertNoViolations(schemeRuleViolations(state.terms, { ...ctx, checkStartDate: false }, '/order'));
      return [{ type: 'approved', workersApproved: command.workersApproved, note: command.note ?? null }];
    }
    case 'reject':
      return [{ type: 'rejected', reason: command.reason }];
    case 'close': {
      if (command.outcome === 'filled') {
        const open = openVacancies(state);
        if (state.status !== 'approved' || open > 0) {
          throw new AppError(
            'conflict',
            state.status !== 'approved'
              ? `The demand order is ${state.status}: only an approved order can be filled; close it as cancelled.`
              : `The demand order still has ${open} open vacancies; close it as cancelled, with a reason, or wait until it is filled.`,
            { extensions: { currentState: state.status, openVacancies: open } },
          );
        }
      }
      return [{ type: 'closed', outcome: command.outcome, reason: command.reason }];
    }
    default:
      return assertNever(command);
  }
}

function decideCreate(
  command: Extract<DemandCommand, { type: 'create' }>,
  state: DemandOrderState | undefined,
  ctx: DemandContext,
): DemandEvent[] {
  const { actor } = ctx;
  if (actor.role !== 'employer') throw roleNotAllowed('file a demand order', ['employer']);
  if (!actor.employerId) throw new AppError('forbidden', 'The token names no employer account.');
  if (state) throw new AppError('conflict', `The demand order ${command.id} already exists.`);
  if (ctx.scheme.id !== command.schemeId) throw new Error('decide: the context holds another scheme');
  assertEmployerUsable(ctx.employerStatus);
  assertTermsConsistent(command.terms);
  assertNoViolations(schemeRuleViolations(command.terms, { ...ctx, checkStartDate: true }));
  return [
    {
      type: 'created',
      id: command.id,
      employerId: actor.employerId,
      schemeId: command.schemeId,
      terms: command.terms,
    },
  ];
}

function decideAmend(
  command: Extract<DemandCommand, { type: 'amend' }>,
  state: DemandOrderState,
  ctx: DemandContext,
): DemandEvent[] {
  const { actor } = ctx;
  if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
    throw new AppError(
      'conflict',
      `The demand order is at version ${state.version}, not ${command.expectedVersion}; read it again and reapply your change.`,
      { extensions: { currentState: state.status, currentVersion: state.version } },
    );
  }
  if (command.workersApproved !== undefined && actor.role !== 'committee') {
    throw new AppError('forbidden', 'Only the committee sets the approved number of workers.', {
      errors: [{ pointer: '/body/workersApproved', detail: 'set by the committee only' }],
    });
  }
  const approved = state.status === 'approved';
  if (approved && !command.reason) {
    throw new AppError('validation-failed', 'Amending an approved order needs a reason.', {
      errors: [{ pointer: '/body/reason', detail: 'required for an approved order' }],
    });
  }
  const terms: DemandTerms = { ...state.terms, ...definedOnly(command.changes) };
  assertTermsConsistent(terms);
  const violations = schemeRuleViolations(terms, {
    ...ctx,
    checkStartDate: terms.expectedStartDate !== state.terms.expectedStartDate,
  });
  if (approved && actor.role === 'employer') violations.push(...worsenedTermsViolations(state.terms, terms));
  assertNoViolations(violations);

  let workersApproved = state.workersApproved;
  if (approved) {
    const asked = command.workersApproved ?? state.workersApproved ?? 0;
    // An employer asking for fewer workers than were approved lowers the approval with it, so that the
    // published vacancies never exceed what the employer still wants.
    if (command.workersApproved !== undefined)
      assertApprovable(command.workersApproved, terms.workersRequested);
    workersApproved = Math.min(asked, terms.workersRequested);
    if (workersApproved < state.activePlacements) {
      throw new AppError(
        'conflict',
        `${state.activePlacements} workers are already allocated to this order; it cannot be approved for fewer (${workersApproved}).`,
        { extensions: { currentState: state.status, activePlacements: state.activePlacements } },
      );
    }
    const changed = eligibilityChanged(state.terms, terms);
    if (state.activePlacements > 0 && changed.length > 0) {
      throw new AppError(
        'conflict',
        `Workers were already allocated to this order by its ${changed.join(', ')}; those cannot change now. Close the order and file a new one.`,
        {
          extensions: { currentState: state.status, activePlacements: state.activePlacements },
          errors: changed.map((f) => ({ pointer: `/body/${f}`, detail: 'fixed once workers are allocated' })),
        },
      );
    }
  }
  if (sameTerms(state.terms, terms) && workersApproved === state.workersApproved) return [];
  return [
    {
      type: 'amended',
      version: state.version + 1,
      terms,
      workersApproved,
      reason: command.reason ?? null,
    },
  ];
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** An order is approved for at least one worker and at most as many as it requests. */
function assertApprovable(workersApproved: number, workersRequested: number): void {
  if (Number.isInteger(workersApproved) && workersApproved >= 1 && workersApproved <= workersRequested)
    return;
  throw new AppError('validation-failed', 'The approved number of workers is out of range.', {
    errors: [{ pointer: '/body/workersApproved', detail: `between 1 and the ${workersRequested} requested` }],
  });
}

function assertEmployerUsable(status: EmployerStatus): void {
  if (status === 'approved') return;
  throw new AppError(
    'conflict',
    status === 'pending'
      ? 'The employer account is waiting for the committee to approve it; demand can be filed once it is approved.'
      : 'The employer account is suspended; its demand is on hold until the committee reinstates it.',
    { extensions: { employerStatus: status } },
  );
}

export function evolve(state: DemandOrderState | undefined, event: DemandEvent): DemandOrderState {
  if (event.type === 'created') {
    return {
      id: event.id,
      employerId: event.employerId,
      schemeId: event.schemeId,
      status: 'draft',
      version: 1,
      terms: event.terms,
      workersApproved: null,
      everApproved: false,
      rejectReason: null,
      closeOutcome: null,
      closeReason: null,
      activePlacements: 0,
    };
  }
  if (!state) throw new Error(`evolve: ${event.type} needs an existing order`);
  switch (event.type) {
    case 'amended':
      return { ...state, version: event.version, terms: event.terms, workersApproved: event.workersApproved };
    case 'submitted':
      return { ...state, status: 'submitted' };
    case 'approved':
      return { ...state, status: 'approved', workersApproved: event.workersApproved, everApproved: true };
    case 'rejected':
      return { ...state, status: 'rejected', rejectReason: event.reason };
    case 'closed':
      return { ...state, status: 'closed', closeOutcome: event.outcome, closeReason: event.reason };
    default:
      return assertNever(event);
  }
}

/** Approved workers not yet matched by an active placement (0 for an order that is not approved). */
export function openVacancies(
  state: Pick<DemandOrderState, 'status' | 'workersApproved' | 'activePlacements'>,
): number {
  if (state.status !== 'approved' || state.workersApproved === null) return 0;
  return Math.max(0, state.workersApproved - state.activePlacements);
}

/**
 * Who may read an order: its employer, the committee, and — once it has been approved — ministry
 * officers and auditors. Everyone else is answered as if the order did not exist.
 */
export function demandVisibleTo(
  actor: DemandActor,
  order: Pick<DemandOrderState, 'employerId' | 'everApproved'>,
): boolean {
  switch (actor.role) {
    case 'committee':
      return true;
    case 'employer':
      return actsFor(actor, order.employerId);
    case 'ministry_officer':
    case 'auditor':
      return order.everApproved;
    default:
      return false;
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
