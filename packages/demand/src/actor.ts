import { AppError, type Role } from '@g2g/domain';

/** Who acts on demand: the role the request acts in, and for an employer the account it acts for. */
export interface DemandActor {
  readonly role: Role | 'public' | 'system';
  /** The token's `employer` claim; meaningful only with the `employer` role. */
  readonly employerId?: string | undefined;
}

/** Whether the actor acts as the employer that owns a record. */
export function actsFor(actor: DemandActor, employerId: string): boolean {
  return actor.role === 'employer' && actor.employerId === employerId;
}

/**
 * The one answer for a demand order that does not exist and for one the caller may not see: the same
 * words, so that guessing ids tells nothing.
 */
export function demandNotFound(id: string): AppError {
  return new AppError('not-found', `There is no demand order ${id}.`);
}

export function employerNotFound(id: string): AppError {
  return new AppError('not-found', `There is no employer account ${id}.`);
}

export function placementNotFound(id: string): AppError {
  return new AppError('not-found', `There is no placement ${id} on this demand order.`);
}

export function roleNotAllowed(what: string, roles: readonly string[]): AppError {
  return new AppError('forbidden', `Only ${roles.join(' or ')} may ${what}.`);
}
