import { AppError, type Role } from '@g2g/domain';
import { actsFor, type DemandActor, placementNotFound, roleNotAllowed } from './actor.ts';
import type { EmployerStatus } from './employer.ts';
import { type DemandStatus, openVacancies } from './order.ts';

/**
 * A placement is one selected worker allocated by a draw to one approved demand order, followed
 * from selection to arrival:
 *
 *   selected --medical--> medical_passed --visa--> visa_issued --departure--> departed --arrival--> arrived
 *            \--medical--> medical_failed
 *   selected, medical_passed, visa_issued, departed --dropout(reason)--> dropped_out
 *
 * A failed or dropped-out placement frees its vacancy; the ministry may fill it with a replacement
 * from the draw's waitlist, which is a new placement linked to the one it replaces.
 */
export const placementStages = [
  'selected',
  'medical_passed',
  'medical_failed',
  'visa_issued',
  'departed',
  'arrived',
  'dropped_out',
] as const;
export type PlacementStage = (typeof placementStages)[number];

/** Stages that count toward filling an order. */
export const activePlacementStages: readonly PlacementStage[] = [
  'selected',
  'medical_passed',
  'visa_issued',
  'departed',
  'arrived',
];
/** Stages in which a worker is still on the way: a worker may be in one such placement at a time. */
export const inFlightPlacementStages: readonly PlacementStage[] = [
  'selected',
  'medical_passed',
  'visa_issued',
  'departed',
];
/** Stages after which the vacancy may be filled by a replacement. */
export const replaceablePlacementStages: readonly PlacementStage[] = ['medical_failed', 'dropped_out'];

/** Why a worker dropped out: a closed set, so that no personal detail ends up in free text. */
export const dropoutReasons = [
  'withdrew',
  'unreachable',
  'documents_incomplete',
  'visa_refused',
  'deceased',
  'other',
] as const;
export type DropoutReason = (typeof dropoutReasons)[number];

export type PlacementCommand =
  | { readonly type: 'medical'; readonly result: 'passed' | 'failed' }
  | { readonly type: 'visa' }
  | { readonly type: 'departure' }
  | { readonly type: 'arrival' }
  | { readonly type: 'dropout'; readonly reason: DropoutReason };
export type PlacementCommandType = PlacementCommand['type'];

export interface PlacementState {
  readonly id: string;
  /** The employer that owns the placement's demand order. */
  readonly employerId: string;
  readonly stage: PlacementStage;
}

export interface StageChange {
  readonly from: PlacementStage;
  readonly to: PlacementStage;
  readonly dropoutReason: DropoutReason | null;
}

const placementTransitions: Readonly<
  Record<PlacementCommandType, { readonly roles: readonly Role[]; readonly from: readonly PlacementStage[] }>
> = {
  medical: { roles: ['ministry_officer'], from: ['selected'] },
  visa: { roles: ['ministry_officer'], from: ['medical_passed'] },
  departure: { roles: ['ministry_officer'], from: ['visa_issued'] },
  arrival: { roles: ['employer', 'committee'], from: ['departed'] },
  dropout: { roles: ['ministry_officer'], from: inFlightPlacementStages },
};

export function placementRolesFor(command: PlacementCommandType): Role[] {
  return [...placementTransitions[command].roles];
}

/** Decides one stage change: 403 for a role that may not, 404 for another employer's, 409 from the wrong stage. */
export function decidePlacement(
  command: PlacementCommand,
  state: PlacementState,
  actor: DemandActor,
): StageChange {
  const rule = placementTransitions[command.type];
  if (!(rule.roles as readonly string[]).includes(actor.role)) {
    throw roleNotAllowed(`record ${command.type} for a placement`, rule.roles);
  }
  if (actor.role === 'employer' && !actsFor(actor, state.employerId)) throw placementNotFound(state.id);
  if (!rule.from.includes(state.stage)) {
    throw new AppError(
      'conflict',
      `The placement is ${state.stage}; ${command.type} can be recorded only when it is ${rule.from.join(' or ')}.`,
      { extensions: { currentState: state.stage } },
    );
  }
  const to: PlacementStage = (() => {
    switch (command.type) {
      case 'medical':
        return command.result === 'passed' ? 'medical_passed' : 'medical_failed';
      case 'visa':
        return 'visa_issued';
      case 'departure':
        return 'departed';
      case 'arrival':
        return 'arrived';
      case 'dropout':
        return 'dropped_out';
    }
  })();
  return { from: state.stage, to, dropoutReason: command.type === 'dropout' ? command.reason : null };
}

export interface OrderCapacity {
  readonly id: string;
  readonly status: DemandStatus;
  readonly employerStatus: EmployerStatus;
  readonly workersApproved: number | null;
  readonly activePlacements: number;
}

/**
 * Refuses (409) to allocate `adding` workers to an order that is not approved, whose employer is
 * not in good standing, or that has fewer open vacancies.
 */
export function assertCapacity(order: OrderCapacity, adding: number): void {
  if (order.status !== 'approved') {
    throw new AppError(
      'conflict',
      `The demand order ${order.id} is ${order.status}; workers go only to approved orders.`,
      {
        extensions: { demandId: order.id, currentState: order.status },
      },
    );
  }
  if (order.employerStatus !== 'approved') {
    throw new AppError(
      'conflict',
      `The employer of demand order ${order.id} is ${order.employerStatus}; its orders take no workers now.`,
      { extensions: { demandId: order.id, employerStatus: order.employerStatus } },
    );
  }
  const open = openVacancies(order);
  if (adding > open) {
    throw new AppError(
      'conflict',
      `The demand order ${order.id} has ${open} open vacancies; ${adding} workers cannot be allocated to it.`,
      { extensions: { demandId: order.id, openVacancies: open } },
    );
  }
}

/** A placement may be replaced once, and only after it failed the medical or dropped out. */
export function assertReplaceable(placement: {
  readonly id: string;
  readonly stage: PlacementStage;
  readonly replacedBy: string | null;
}): void {
  if (!replaceablePlacementStages.includes(placement.stage)) {
    throw new AppError(
      'conflict',
      `The placement ${placement.id} is ${placement.stage}; only a failed or dropped-out placement is replaced.`,
      { extensions: { currentState: placement.stage } },
    );
  }
  if (placement.replacedBy !== null) {
    throw new AppError(
      'conflict',
      `The placement ${placement.id} was already replaced by ${placement.replacedBy}.`,
      {
        extensions: { currentState: placement.stage, replacedBy: placement.replacedBy },
      },
    );
  }
}

export interface Fill {
  readonly workersApproved: number;
  /** Placements per stage (every stage present, zero when none). */
  readonly stages: Readonly<Record<PlacementStage, number>>;
  /** Every placement ever made on the order, replaced ones included. */
  readonly allocated: number;
  readonly active: number;
  readonly openVacancies: number;
}

/** The fill of an order from its placement counts per stage. */
export function fillFrom(
  order: { readonly status: DemandStatus; readonly workersApproved: number | null },
  counts: Partial<Record<PlacementStage, number>>,
): Fill {
  const stages = Object.fromEntries(placementStages.map((s) => [s, counts[s] ?? 0])) as Record<
    PlacementStage,
    number
  >;
  const active = activePlacementStages.reduce((sum, s) => sum + stages[s], 0);
  const workersApproved = order.workersApproved ?? 0;
  return {
    workersApproved,
    stages,
    allocated: placementStages.reduce((sum, s) => sum + stages[s], 0),
    active,
    openVacancies: openVacancies({ ...order, activePlacements: active }),
  };
}

export const REGISTRATION_NUMBER = /^[0-9]{11}$/;
