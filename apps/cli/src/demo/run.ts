import { randomBytes } from 'node:crypto';
import { ApiClient } from './client.ts';
import type { DemoContext, DemoOptions, DemoState, DemoStep, MintToken } from './context.ts';
import { progress } from './progress.ts';
import { seededRandom } from './random.ts';
import { demoSteps } from './steps/index.ts';

export { ApiClient, ApiError, inParallel } from './client.ts';
export type * from './context.ts';
export { CHART_SLOTS, type ReportMeta, summaryLines, writeReport } from './report.ts';
export { demoSteps, drawStep, dropoutStep, feeStep, pendingStep } from './steps/index.ts';
export { registrationPlan } from './steps/register-workers.ts';

export interface DemoTarget {
  readonly urls: { readonly registration: string; readonly employer: string; readonly ministry: string };
  readonly token: MintToken;
}

export interface RunDemoOptions extends Partial<DemoOptions> {
  readonly registrants: number;
  readonly steps?: readonly DemoStep[];
  /** Where step lines and progress go (default stderr). */
  readonly stream?: NodeJS.WriteStream;
}

export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

/** The context the steps share: clients for the three apps, token minting, options, state. */
export function demoContext(target: DemoTarget, options: RunDemoOptions): DemoContext {
  const stream = options.stream ?? process.stderr;
  const demoOptions: DemoOptions = {
    registrants: options.registrants,
    seed: options.seed ?? '2013',
    runId: options.runId ?? newRunId(),
    concurrency: options.concurrency ?? 4,
  };
  return {
    apis: {
      registration: new ApiClient(target.urls.registration),
      employer: new ApiClient(target.urls.employer),
      ministry: new ApiClient(target.urls.ministry),
    },
    token: target.token,
    options: demoOptions,
    random: seededRandom(demoOptions.seed),
    state: { summary: new Map(), sections: [], charts: new Map() },
    log: (line) => stream.write(`  ${line}\n`),
    progress: (label, total) => progress(`  ${label}`, total, stream),
  };
}

/** Runs one step, timed, announcing it on the context's stream. */
export async function runStep(ctx: DemoContext, step: DemoStep): Promise<void> {
  const started = performance.now();
  ctx.log(`[${step.id}] ${step.title}`);
  await step.run(ctx);
  ctx.log(`[${step.id}] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Runs the demo's steps in order against running apps and returns what they left in the state (the
 * report is written from it). Throws at the first step whose expectations do not hold.
 */
export async function runDemo(target: DemoTarget, options: RunDemoOptions): Promise<DemoState> {
  const ctx = demoContext(target, options);
  for (const step of options.steps ?? demoSteps) await runStep(ctx, step);
  return ctx.state;
}
