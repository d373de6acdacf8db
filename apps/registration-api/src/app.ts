import { type ApiApp, type AppDeps, createApiApp, type Runtime } from '@g2g/http';
import { registerReadWindows } from '@g2g/window-routes';
import { type RegistrationApiDeps, registrationState } from './deps.ts';
import { registerListCentres } from './routes/centres/list-centres.ts';
import { registerFeeReports } from './routes/fee-reports/report-fee.ts';
import { registerNumberReservations } from './routes/number-reservations/reserve-numbers.ts';
import { registerSyncBatch } from './routes/registration-batches/sync-batch.ts';
import { registerChangeRegistration } from './routes/registrations/change-registration.ts';
import { registerCreateRegistration } from './routes/registrations/create-registration.ts';
import { registerReadRegistrations } from './routes/registrations/read-registrations.ts';
import { registerGetStats } from './routes/stats/get-stats.ts';
import { registerCheckStatus } from './routes/status/check-status.ts';

export type { ApprovedDemandSource } from './demand.ts';
export type { RegistrationApiDeps } from './deps.ts';

/** The registration API used by union service centres and by workers checking their status. */
export function createApp(deps: RegistrationApiDeps): ApiApp {
  const app = createApiApp({
    title: 'G2G Registration API',
    version: '0.1.0',
    description:
      'For Union Information and Service Centre operators: register workers into an open window, sync offline batches, look up their own registrations; public centre list, windows, statistics and worker self-service status.',
    ...deps,
  });
  const state = registrationState(deps);
  registerListCentres(app, deps);
  registerReadWindows(app, deps);
  registerCreateRegistration(app, state);
  registerReadRegistrations(app, state);
  registerChangeRegistration(app, state);
  registerSyncBatch(app, state);
  registerNumberReservations(app, state);
  registerCheckStatus(app, state);
  registerGetStats(app, state);
  registerFeeReports(app, state);
  return app;
}

/** The `ServedApp.create` hook: the runtime supplies the identity hash secret and the trusted proxies. */
export function createAppFromRuntime(deps: AppDeps, runtime: Runtime): ApiApp {
  return createApp({
    ...deps,
    idHashSecret: runtime.idHashSecret,
    trustedProxies: runtime.config.TRUSTED_PROXY,
  });
}
