import type { DemoStep } from '../context.ts';
import { verifyAuditChain } from './audit-chain.ts';
import { employerDemand } from './employer-demand.ts';
import { loadCentres } from './load-centres.ts';
import { publishOdds } from './odds.ts';
import { openWindow } from './open-window.ts';
import { pendingStep } from './pending.ts';
import { registerWorkers } from './register-workers.ts';
import { workerStatus } from './worker-status.ts';

export { pendingStep } from './pending.ts';

/**
 * EXTENSION POINT (issue 5, draws): replace with the two-stage draw. Reads `ctx.state.window`,
 * `ctx.state.registration.registered` and `ctx.state.demand.orders`; a ministry officer freezes the
 * pool, three witnesses commit and reveal, stage 1 (union-quota shortlist) and stage 2 (medical checks
 * from the shortlist, allocated to the approved orders) are published; the verifier re-checks each
 * published draw from the public URLs. Sets `ctx.state.draws` and adds the chart slot
 * `selections-by-district` (registered vs selected per district: `barChartSvg` with `inner`).
 */
export const drawStep: DemoStep = pendingStep(
  'draw',
  'Two-stage draw with three witnesses, verified from the public files',
  'The draw ceremony API (issue 5) is built on another branch. Here a ministry officer will freeze the pool, three witnesses commit and reveal, a union-quota shortlist and then a draw for medical checks allocated to the approved orders are published, and the verifier re-checks every published draw from its public URLs.',
);

/**
 * EXTENSION POINT (issue 5, promotions): replace with dropouts and promotion. Some selected workers
 * drop out (POST /v1/demands/{id}/placements/{pid}/dropout), the next on the waitlist is promoted.
 * Sets `ctx.state.promotions`.
 */
export const dropoutStep: DemoStep = pendingStep(
  'dropouts',
  'Dropouts replaced from the waitlist',
  'Needs the draw (issue 5): some selected workers drop out and the next on the waitlist is promoted into each vacancy.',
);

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
