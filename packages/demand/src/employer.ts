import { AppError } from '@g2g/domain';
import { actsFor, type DemandActor, employerNotFound, roleNotAllowed } from './actor.ts';

/**
 * An employer account: created by the employer itself or by the committee, usable for demand only
 * once the committee has approved it; the committee may suspend and reinstate it.
 *
 *   pending --approve--> approved --suspend--> suspended --reinstate--> approved
 */
export const employerStatuses = ['pending', 'approved', 'suspended'] as const;
export type EmployerStatus = (typeof employerStatuses)[number];

export type EmployerCommand =
  | { readonly type: 'approve' }
  | { readonly type: 'suspend'; readonly reason: string }
  | { readonly type: 'reinstate'; readonly reason: string };

const employerTransitions: Readonly<
  Record<EmployerCommand['type'], { from: EmployerStatus; to: EmployerStatus }>
> = {
  approve: { from: 'pending', to: 'approved' },
  suspend: { from: 'approved', to: 'suspended' },
  reinstate: { from: 'suspended', to: 'approved' },
};

/** The account's next status, or an error: 403 for anyone but the committee, 409 from the wrong status. */
export function decideEmployerStatus(
  command: EmployerCommand,
  current: EmployerStatus,
  actor: DemandActor,
): EmployerStatus {
  if (actor.role !== 'committee') throw roleNotAllowed(`${command.type} an employer account`, ['committee']);
  const { from, to } = employerTransitions[command.type];
  if (current !== from) {
    throw new AppError(
      'conflict',
      `The employer account is ${current}; ${command.type} is possible only when it is ${from}.`,
      { extensions: { currentState: current } },
    );
  }
  return to;
}

/**
 * The id a new account gets. An employer creates only the account its token names (the `employer`
 * claim; the id may be omitted); the committee names the id the identity provider will put in the
 * employer's tokens.
 */
export function newEmployerId(actor: DemandActor, requestedId: string | undefined): string {
  if (actor.role === 'employer') {
    if (!actor.employerId) throw new AppError('forbidden', 'The token names no employer account.');
    if (requestedId !== undefined && requestedId !== actor.employerId) {
      throw new AppError('forbidden', 'An employer may create only the account its token names.', {
        errors: [
          { pointer: '/body/id', detail: `must be ${actor.employerId} (your token's employer claim)` },
        ],
      });
    }
    return actor.employerId;
  }
  if (actor.role === 'committee') {
    if (requestedId === undefined) {
      throw new AppError('validation-failed', 'The committee names the id of the account it creates.', {
        errors: [{ pointer: '/body/id', detail: "required: the employer claim of the employer's tokens" }],
      });
    }
    return requestedId;
  }
  throw roleNotAllowed('create an employer account', ['employer', 'committee']);
}

/** Fields an employer may change in its own account; the rest (its legal identity) only the committee. */
export const employerSelfServiceFields = ['address', 'contact'] as const;

/** Who may see an employer account: the committee, and the employer itself. */
export function employerVisibleTo(actor: DemandActor, employerId: string): boolean {
  return actor.role === 'committee' || actsFor(actor, employerId);
}

/** Checks a change to an account: 404 for another employer's, 403 for identity fields by the employer. */
export function assertEmployerUpdate(
  actor: DemandActor,
  employerId: string,
  changed: readonly string[],
): void {
  if (!employerVisibleTo(actor, employerId)) {
    if (actor.role === 'employer') throw employerNotFound(employerId);
    throw roleNotAllowed('change an employer account', ['the employer', 'committee']);
  }
  if (actor.role === 'employer') {
    const identity = changed.filter((f) => !(employerSelfServiceFields as readonly string[]).includes(f));
    if (identity.length > 0) {
      throw new AppError(
        'forbidden',
        'Only the committee changes the legal identity of an employer account.',
        {
          errors: identity.map((f) => ({ pointer: `/body/${f}`, detail: 'changed by the committee only' })),
        },
      );
    }
  }
}
