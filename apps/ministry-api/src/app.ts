import { type ApiApp, type AppDeps, createApiApp, type Runtime } from '@g2g/http';
import { registerReadWindows } from '@g2g/window-routes';
import { configuredDrawKeys, type DrawKeys, ephemeralDrawKeys } from './draw-keys.ts';
import { registerListAuditEvents } from './routes/audit/list-audit-events.ts';
import { registerVerifyAuditChain } from './routes/audit/verify-audit-chain.ts';
import { registerDrawCeremony } from './routes/draws/ceremony.ts';
import { registerDrawReads } from './routes/draws/public.ts';
import { registerFeeEntries } from './routes/fees/entries.ts';
import { registerFeeFindingsAndReports } from './routes/fees/findings-reports.ts';
import { registerFeePolicies } from './routes/fees/policies.ts';
import { registerFeeReference } from './routes/fees/reference.ts';
import { registerChangeSchemeRules } from './routes/schemes/change-scheme-rules.ts';
import { registerCreateScheme } from './routes/schemes/create-scheme.ts';
import { registerReadSchemes } from './routes/schemes/read-schemes.ts';
import { registerAmendWindow } from './routes/windows/amend-window.ts';
import { registerCreateWindow } from './routes/windows/create-window.ts';

export interface MinistryApiDeps extends AppDeps {
  /** The draw-signing key; a process-local key when absent (tests). */
  readonly drawKeys?: DrawKeys;
}

/** The ministry API: registration windows, draws, fee-cap tracking, and the audit log. */
export function createApp(deps: MinistryApiDeps): ApiApp {
  const app = createApiApp({
    title: 'G2G Ministry API',
    version: '0.1.0',
    description:
      'For the ministry of the country of origin: registration windows, audited lottery draws, fee-cap tracking, and the hash-chained audit log for auditors.',
    ...deps,
  });
  registerCreateScheme(app, deps);
  registerReadSchemes(app, deps);
  registerChangeSchemeRules(app, deps);
  registerCreateWindow(app, deps);
  registerReadWindows(app, deps);
  registerAmendWindow(app, deps);
  registerListAuditEvents(app, deps);
  registerVerifyAuditChain(app, deps);
  const drawDeps = { ...deps, drawKeys: deps.drawKeys ?? ephemeralDrawKeys() };
  registerDrawCeremony(app, drawDeps);
  registerDrawReads(app, drawDeps);
  registerFeePolicies(app, deps);
  registerFeeReference(app, deps);
  registerFeeEntries(app, deps);
  registerFeeFindingsAndReports(app, deps);
  return app;
}

/** The `ServedApp.create` hook: the draw-signing key from DRAW_SIGNING_KEY_FILE or the dev key in DATA_DIR. */
export function createAppFromRuntime(deps: AppDeps, runtime: Runtime): ApiApp {
  return createApp({
    ...deps,
    drawKeys: configuredDrawKeys({
      keyFile: runtime.config.DRAW_SIGNING_KEY_FILE,
      dataDir: runtime.config.DATA_DIR,
    }),
  });
}
