import { type ApiApp, type AppDeps, createApiApp } from '@g2g/http';
import { registerAmendDemand } from './routes/demands/amend-demand.ts';
import { registerCreateDemand } from './routes/demands/create-demand.ts';
import { registerReadDemands } from './routes/demands/read-demands.ts';
import { registerReadVersions } from './routes/demands/read-versions.ts';
import { registerTransitionDemand } from './routes/demands/transition-demand.ts';
import { registerChangeEmployerStatus } from './routes/employers/change-employer-status.ts';
import { registerCreateEmployer } from './routes/employers/create-employer.ts';
import { registerReadEmployers } from './routes/employers/read-employers.ts';
import { registerUpdateEmployer } from './routes/employers/update-employer.ts';
import { registerFeeDeclarations } from './routes/fees/fee-declarations.ts';
import { registerReadFill } from './routes/placements/read-fill.ts';
import { registerRecordStage } from './routes/placements/record-stage.ts';
import { registerDemandSummary } from './routes/summary/demand-summary.ts';

export type EmployerApiDeps = AppDeps;

/** The employer-demand API: destination employers file demand; the destination committee approves it. */
export function createApp(deps: EmployerApiDeps): ApiApp {
  const app = createApiApp({
    title: 'G2G Employer-Demand API',
    version: '0.1.0',
    description:
      'For destination employers and the destination committee: employer accounts, demand orders and their approval, and how each approved order is being filled.',
    ...deps,
  });
  registerCreateEmployer(app, deps);
  registerReadEmployers(app, deps);
  registerUpdateEmployer(app, deps);
  registerChangeEmployerStatus(app, deps);
  registerCreateDemand(app, deps);
  registerReadDemands(app, deps);
  registerAmendDemand(app, deps);
  registerTransitionDemand(app, deps);
  registerReadVersions(app, deps);
  registerReadFill(app, deps);
  registerRecordStage(app, deps);
  registerDemandSummary(app, deps);
  registerFeeDeclarations(app, deps);
  return app;
}
