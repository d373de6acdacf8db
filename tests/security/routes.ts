import { createApp as createEmployerApi } from '@g2g/employer-api';
import type { ApiApp, AppDeps } from '@g2g/http';
import { call } from '@g2g/http/testing';
import { createApp as createMinistryApi } from '@g2g/ministry-api';
import { createApp as createRegistrationApi } from '@g2g/registration-api';
import { TEST_ID_HASH_SECRET } from '@g2g/registration-api/testing';

export interface DeclaredOperation {
  readonly app: string;
  readonly method: string;
  /** OpenAPI path template, e.g. `/v1/schemes/{schemeId}`. */
  readonly path: string;
  readonly key: string;
  readonly access: 'public' | readonly string[];
  readonly hasBody: boolean;
  readonly queryParams: readonly string[];
}

export const appFactories: Record<string, (deps: AppDeps) => ApiApp> = {
  'registration-api': (deps) => createRegistrationApi({ ...deps, idHashSecret: TEST_ID_HASH_SECRET }),
  'employer-api': createEmployerApi,
  'ministry-api': createMinistryApi,
};

type OpenApiOperation = {
  'x-access'?: 'public' | string[];
  requestBody?: unknown;
  parameters?: { name: string; in: string }[];
};

/** Every operation every app declares, read from its own OpenAPI document. */
export async function declaredOperations(apps: Record<string, ApiApp>): Promise<DeclaredOperation[]> {
  const operations: DeclaredOperation[] = [];
  for (const [name, app] of Object.entries(apps)) {
    const doc = (await call(app, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const access = op['x-access'];
        if (access === undefined)
          throw new Error(`${name} ${method.toUpperCase()} ${path} declares no access`);
        operations.push({
          app: name,
          method: method.toUpperCase(),
          path,
          key: `${name} ${method.toUpperCase()} ${path}`,
          access,
          hasBody: op.requestBody !== undefined,
          queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        });
      }
    }
  }
  return operations;
}

/** Fills `{param}` placeholders from a map of concrete values. */
export function concretePath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no fixture value for path parameter {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

/**
 * Path values for routes whose ids need not exist for an access test (a 404 is "allowed"): the draw
 * and fee-ledger routes. Every test that walks all routes spreads these into its own values.
 */
export const placeholderPathValues: Record<string, string> = {
  drawId: 'matrix-draw',
  payeeId: 'matrix-payee',
  entryId: 'matrix-entry',
};
