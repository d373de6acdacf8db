import type { DemoStep } from '../context.ts';
import { verifyAuditChain } from './audit-chain.ts';
import { drawStep } from './draw.ts';
import { dropoutStep } from './dropouts.ts';
import { employerDemand } from './employer-demand.ts';
import { feeStep } from './fees.ts';
import { loadCentres } from './load-centres.ts';
import { publishOdds } from './odds.ts';
import { openWindow } from './open-window.ts';
import { registerWorkers } from './register-workers.ts';
import { workerStatus } from './worker-status.ts';

export { drawStep } from './draw.ts';
export { dropoutStep } from './dropouts.ts';
export { feeStep } from './fees.ts';
export { pendingStep } from './pending.ts';

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
