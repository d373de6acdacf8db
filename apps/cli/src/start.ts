import { createApp as createEmployerApi } from '@g2g/employer-api/app';
import { closeOnSignals, servePlatform } from '@g2g/http';
import { createAppFromRuntime as createMinistryApi } from '@g2g/ministry-api/app';
import { createAppFromRuntime as createRegistrationApi } from '@g2g/registration-api/app';
import { loadConfig } from './config.ts';

/**
 * `pnpm start`: migrates the database (embedded PGlite under DATA_DIR unless DATABASE_URL is set),
 * then serves the three APIs from one process, sharing one database handle.
 */
const started = performance.now();
const config = loadConfig();
const platform = await servePlatform(config, [
  { name: 'registration-api', port: config.REGISTRATION_API_PORT, create: createRegistrationApi },
  { name: 'employer-api', port: config.EMPLOYER_API_PORT, create: createEmployerApi },
  { name: 'ministry-api', port: config.MINISTRY_API_PORT, create: createMinistryApi },
]);
closeOnSignals(platform);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const database = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.DATA_DIR}`;
const lines = [
  '',
  `G2G migration platform ready in ${seconds} s — database: ${database}`,
  '',
  ...platform.servers.map(
    (s) => `  ${s.name.padEnd(18)} ${s.url}   docs ${s.url}/docs   openapi ${s.url}/openapi.json`,
  ),
  '',
  config.JWKS_URL || config.JWKS_FILE
    ? '  Tokens come from the configured identity provider (JWKS).'
    : '  Mint a dev token (12 h):  pnpm --silent token --role ministry_officer --sub officer-1\n' +
      '                           pnpm --silent token --role centre_operator --centre U1414',
  '  Then: curl -H "Authorization: Bearer $TOKEN" <url>/v1/whoami',
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
