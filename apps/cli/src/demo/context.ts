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
  // Extension points: the draw step (issue 5) sets `draws` (published draws, selections by district),
  // the dropout step `promotions`, the fee step (issue 6) `fees` (cost per worker against the cap).
  draws?: unknown;
  promotions?: unknown;
  fees?: unknown;
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
