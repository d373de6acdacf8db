import {
  type Database,
  type Geography,
  geography,
  type Kysely,
  RegistrationNumberPool,
  WindowCache,
} from '@g2g/db';
import { AppError } from '@g2g/domain';
import type { AppDeps, AppEnv } from '@g2g/http';
import type { Context } from 'hono';
import { type ApprovedDemandSource, approvedDemandOrders } from './demand.ts';

/** What the registration API needs beyond every app's deps. */
export type RegistrationApiDeps = AppDeps & {
  /** HMAC key for national identity numbers (ID_HASH_SECRET); never changes in a deployment. */
  readonly idHashSecret: Uint8Array;
  /** Reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXY). */
  readonly trustedProxies?: readonly string[];
  /** Where approved employer demand is read from (default: the demand orders; see demand.ts). */
  readonly approvedDemand?: ApprovedDemandSource;
  /** The clock; tests pass a fixed one. */
  readonly now?: () => Date;
};

/** Per-app state shared by the routes: caches for the hot path and the resolved deps. */
export interface RegistrationState {
  readonly db: Kysely<Database>;
  readonly idHashSecret: Uint8Array;
  readonly trustedProxies: readonly string[];
  readonly approvedDemand: ApprovedDemandSource;
  readonly now: () => Date;
  readonly windows: WindowCache;
  readonly numbers: RegistrationNumberPool;
  geography(): Promise<Geography>;
}

export function registrationState(deps: RegistrationApiDeps): RegistrationState {
  return {
    db: deps.db,
    idHashSecret: deps.idHashSecret,
    trustedProxies: deps.trustedProxies ?? [],
    approvedDemand: deps.approvedDemand ?? approvedDemandOrders,
    now: deps.now ?? (() => new Date()),
    windows: new WindowCache(deps.db),
    numbers: new RegistrationNumberPool(deps.db),
    geography: () => geography(deps.db),
  };
}

export interface OperatorCentre {
  readonly code: string;
  readonly unionId: number;
  readonly divisionId: number;
  readonly name: string;
  readonly nameBn: string;
}

/** The centre the operator's token acts for (never the body's say), which must be a real centre. */
export async function operatorCentre(c: Context<AppEnv>, state: RegistrationState): Promise<OperatorCentre> {
  const code = c.var.principal?.centre;
  const place = code ? (await state.geography()).unions.get(Number.parseInt(code.slice(1), 10)) : undefined;
  if (!code || !place || place.centreCode !== code) {
    throw new AppError('forbidden', 'This token does not name a union service centre this platform knows.');
  }
  return {
    code,
    unionId: place.unionId,
    divisionId: place.divisionId,
    name: place.name,
    nameBn: place.nameBn,
  };
}
