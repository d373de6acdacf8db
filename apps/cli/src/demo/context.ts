import type { Role } from '@g2g/domain';
import type { ApiClient } from './client.ts';
import type { Progress } from './progress.ts';
import type { Random } from './random.ts';

/**
 * What every demo step gets: one client per app (public HTTP APIs only), a way to mint tokens as the
 * apps' operators would get them, the options, a seeded random source, and the shared state where
 * each step leaves its results for the steps after it and for the report.
 */
export interface DemoApis {
  readonly registration: ApiClient;
  readonly employer: ApiClient;
  readonly ministry: ApiClient;
}

export type MintToken = (
  roles: Role | readonly Role[],
  scope?: { readonly sub?: string; readonly centre?: string; readonly employer?: string },
) => Promise<string>;

export interface DemoOptions {
  /** Registrants to attempt (valid, unique ones; duplicates and invalid records come on top). */
  readonly registrants: number;
  /** Seed of the synthetic data. */
  readonly seed: string;
  /** Suffix that makes this run's scheme, window and employer ids unique (a database may hold many runs). */
  readonly runId: string;
  /** Requests in flight on the long steps. */
  readonly concurrency: number;
}

export interface Centre {
  readonly code: string;
  readonly unionId: number;
  readonly district: { readonly id: number; readonly name: string };
  readonly division: { readonly id: number; readonly name: string };
}

/** A chart of the report: an SVG file and where it belongs. */
export interface ReportChart {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

/** A section of the report, in the order the steps ran. */
export interface ReportSection {
  readonly stepId: string;
  readonly title: string;
  readonly markdown: string;
  /** A step that is not built yet (an extension point) says so here. */
  readonly pending?: boolean;
}

export interface RegistrationTally {
  readonly planned: { valid: number; batched: number; single: number; duplicates: number; invalid: number };
  readonly outcome: {
    created: number;
    duplicate: number;
    invalid: number;
    singleCreated: number;
    singleDuplicate: number;
    singleRefused: number;
  };
  readonly batches: number;
  readonly seconds: number;
  /** Registered workers (number and date of birth), for the steps that follow (draw, status checks). */
  readonly registered: ReadonlyArray<{
    readonly registrationNumber: string;
    readonly dateOfBirth: string;
    readonly centre: string;
    readonly gender: string;
    readonly sectors: readonly string[];
  }>;
}

export interface ApprovedOrder {
  readonly id: string;
  readonly employerId: string;
  readonly sector: string;
  readonly gender: string;
  readonly workersRequested: number;
  readonly workersApproved: number;
  readonly ageRange: { readonly min: number; readonly max: number };
}

/** A published draw as the demo saw it, checked by the verifier from its public files. */
export interface PublishedDraw {
  readonly id: string;
  readonly name: string;
  readonly sourceDrawId: string | null;
  readonly policy: unknown;
  readonly poolHash: string;
  readonly poolSize: number;
  readonly seed: string;
  readonly resultHash: string;
  readonly counts: { readonly selected: number; readonly waitlisted: number; readonly notSelected: number };
  readonly fairness: {
    readonly blocking: boolean;
    readonly overrideReason: string | null;
    readonly tests: ReadonlyArray<{ dimension: string; cells: number; statistic: number; pValue: number }>;
  };
  readonly witnesses: readonly string[];
  /** Paths on the ministry API (public, unauthenticated). */
  readonly links: {
    readonly self: string;
    readonly manifest: string;
    readonly pool: string;
    readonly results: string;
  };
  readonly verified: { readonly ok: boolean; readonly resultLines: number; readonly seconds: number };
}

/** One line of a published result file (docs/lottery-spec.md section 7). */
export interface DrawRow {
  readonly registrationNumber: string;
  readonly outcome: 'selected' | 'waitlisted' | 'not-selected';
  readonly rank: number | null;
  readonly stratum: number;
  readonly waitlistPosition: number | null;
  readonly order: string | null;
}

export interface DrawsState {
  /** Stage 1: union-quota shortlist from the window. */
  readonly shortlist: PublishedDraw;
  /** Stage 2: medical call-up from the shortlist, allocated to the approved orders. */
  readonly medical: PublishedDraw;
  /** Stage 2's result rows (selected and waitlisted only). */
  readonly medicalRows: readonly DrawRow[];
  /** Selections per district: registered, shortlisted (stage 1), called for medical checks (stage 2). */
  readonly byDistrict: ReadonlyArray<{
    id: number;
    name: string;
    registered: number;
    shortlisted: number;
    medical: number;
  }>;
}

export interface PromotionsState {
  readonly drawId: string;
  readonly records: ReadonlyArray<{
    readonly seq: number;
    readonly dropped: string;
    readonly reason: string;
    readonly orderId: string | null;
    readonly promoted: string | null;
    readonly waitlistPosition: number | null;
  }>;
  /** The workers selected once the dropouts are replaced: stage 2's selected, less dropouts, plus promotions. */
  readonly selected: ReadonlyArray<{ readonly registrationNumber: string; readonly order: string | null }>;
  /** Per order, as `GET /v1/demands/{id}/fill` reported it after the dropouts. */
  readonly fill: ReadonlyArray<{
    readonly orderId: string;
    readonly workersApproved: number;
    readonly allocated: number;
    readonly active: number;
    readonly openVacancies: number;
    readonly medicalFailed: number;
    readonly droppedOut: number;
  }>;
}

export interface FeesState {
  readonly policyVersionId: string;
  /** The cap, in the scheme currency's minor unit (BDT poisha). */
  readonly capMinor: number;
  readonly entries: number;
  /** Seconds the officers' receipts took to post. */
  readonly seconds: number;
  /** What each selected worker paid (scheme currency, minor units), lowest first, as the ledger reported it. */
  readonly workers: ReadonlyArray<{
    readonly registrationNumber: string;
    readonly paidMinor: number;
    readonly status: 'within_cap' | 'near_cap' | 'over_cap';
  }>;
  readonly findings: ReadonlyArray<{
    readonly kind: string;
    readonly registrationNumber: string;
    readonly summary: string;
  }>;
  readonly declaration: {
    readonly employerId: string;
    readonly registrationNumber: string;
    readonly entryId: string;
    readonly paidByWorkerAfter: number;
  } | null;
  /** A worker's own report, started with number and date of birth; unconfirmed (the code is in the SMS outbox). */
  readonly workerReport: {
    readonly registrationNumber: string;
    readonly sentTo: string;
    readonly expiresAt: string;
  } | null;
  readonly distribution: unknown;
  readonly byPayee: unknown;
}

export interface DemoState {
  centres?: readonly Centre[];
  schemeId?: string;
  window?: {
    readonly id: string;
    readonly schedule: ReadonlyArray<{ divisionId: number; opensAt: string; closesAt: string }>;
  };
  registration?: RegistrationTally;
  demand?: {
    readonly employers: readonly string[];
    readonly orders: readonly ApprovedOrder[];
    readonly rejected: number;
    readonly approvedForFewer: number;
  };
  stats?: {
    readonly total: number;
    readonly byDistrict: ReadonlyArray<{ id: number; name: string; count: number }>;
    readonly odds: ReadonlyArray<{ sector: string; registrants: number; approvedVacancies: number }>;
  };
  // The draw step (issue 5) sets `draws` (published draws, selections by district), the dropout
  // step `promotions` (records, who is selected now, fill), the fee step (issue 6) `fees`.
  draws?: DrawsState;
  promotions?: PromotionsState;
  fees?: FeesState;
  /** Free-form figures for the summary line (key: label). */
  readonly summary: Map<string, string>;
  readonly sections: ReportSection[];
  readonly charts: Map<string, ReportChart>;
}

export interface DemoContext {
  readonly apis: DemoApis;
  readonly token: MintToken;
  readonly options: DemoOptions;
  readonly random: Random;
  readonly state: DemoState;
  log(line: string): void;
  progress(label: string, total: number): Progress;
}

/** One step of the demo. Steps run in order; each reads what earlier ones left in `ctx.state`. */
export interface DemoStep {
  readonly id: string;
  readonly title: string;
  run(ctx: DemoContext): Promise<void>;
}

/** Fails the step with a message when an expectation about the APIs' answers does not hold. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`demo check failed: ${message}`);
}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`demo: ${what} is missing (did an earlier step run?)`);
  return value;
}
