import type { DemoStep } from '../context.ts';
import { verifyAuditChain } from './audit-chain.ts';
import { drawStep } from './draw.ts';
import { dropoutStep } from './dropouts.ts';
import { employerDemand } from './employer-demand.ts';
import { loadCentres } from './load-centres.ts';
import { publishOdds } from './odds.ts';
import { openWindow } from './open-window.ts';
import { pendingStep } from './pending.ts';
import { registerWorkers } from './register-workers.ts';
import { workerStatus } from './worker-status.ts';

export { drawStep } from './draw.ts';
export { dropoutStep } from './dropouts.ts';
export { pendingStep } from './pending.ts';

/**
 * EXTENSION POINT (issue 6, fees): replace with the fee step. Fees are recorded for the selected
 * workers, a few over the cap and one paid to an unlicensed payee; the findings appear. Sets
 * `ctx.state.fees` and the chart slot `cost-vs-cap` (cost per worker with the cap as `reference`).
 */
export const feeStep: DemoStep = pendingStep(
  'fees',
  'Fees against the cap, and the findings',
  'The fee ledger API (issue 6) is built on another branch. Here fees will be recorded for the selected workers (a few over the cap, one paid to an unlicensed payee), the findings listed, and the cost-vs-cap chart drawn.',
);

/** The demo, in order. Cross-app tests run the same list (or a prefix of it) at small scale. */
export const demoSteps: readonly DemoStep[] = [
  loadCentres,
  openWindow,
  registerWorkers,
  employerDemand,
  publishOdds,
  workerStatus,
  drawStep,
  dropoutStep,
  feeStep,
  verifyAuditChain,
];
