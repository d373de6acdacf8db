import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevKeyPair, mintToken } from '@g2g/auth';
import type { Role } from '@g2g/domain';
import { createApp as createEmployerApi } from '@g2g/employer-api/app';
import { type PlatformConfig, servePlatform } from '@g2g/http';
import { createApp as createMinistryApi } from '@g2g/ministry-api/app';
import { createAppFromRuntime as createRegistrationApi } from '@g2g/registration-api/app';
import { loadConfig } from '../config.ts';
import { newRunId, runDemo, summaryLines, writeReport } from './run.ts';

/**
 * `pnpm demo [--registrants 50000] [--out ./demo-output] [--seed 2013] [--concurrency 4] [--keep-data | --attach]`
 *
 * Starts the three apps in this process on free ports of 127.0.0.1 (embedded PGlite under a fresh
 * data directory; PostgreSQL with DATABASE_URL), then replays a scheme like January 2013 through
 * their public HTTP APIs only, with dev tokens minted as `pnpm token` mints them. Prints a summary and
 * writes the report (markdown, SVG charts, summary.json) to --out. With --attach it uses the apps
 * already running (`pnpm start`) on their configured ports instead, with the dev key in their DATA_DIR.
 */
const usage =
  'usage: pnpm demo [--registrants <n>] [--out <dir>] [--seed <text>] [--concurrency <n>] [--keep-data | --attach]';
let values: ReturnType<typeof parse>['values'];
function parse() {
  return parseArgs({
    options: {
      registrants: { type: 'string', default: '50000' },
      out: { type: 'string', default: './demo-output' },
      seed: { type: 'string', default: '2013' },
      concurrency: { type: 'string', default: '4' },
      'keep-data': { type: 'boolean', default: false },
      attach: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
}
try {
  values = parse().values;
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const registrants = Number(values.registrants);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(registrants) || registrants < 50 || registrants > 2_000_000) {
  process.stderr.write(`--registrants must be a whole number from 50 to 2,000,000\n${usage}\n`);
  process.exit(2);
}
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  process.stderr.write(`--concurrency must be a whole number from 1 to 64\n${usage}\n`);
  process.exit(2);
}

const attach = values.attach;
// Attached: the running apps' own settings (their ports, and DATA_DIR for the dev key they trust).
// Otherwise a fresh data directory of the demo's own.
const dataDir = attach ? undefined : mkdtempSync(join(tmpdir(), 'g2g-demo-'));
const config: PlatformConfig = loadConfig({
  LOG_LEVEL: 'error',
  SMS_TRANSPORT: 'off',
  ...process.env,
  ...(dataDir ? { DATA_DIR: dataDir, HOST: '127.0.0.1' } : {}),
});
if (config.JWKS_URL || config.JWKS_FILE) {
  process.stderr.write('pnpm demo mints dev tokens; unset JWKS_URL/JWKS_FILE to run it.\n');
  process.exit(2);
}
const database = attach
  ? 'the running apps'
  : config.DATABASE_URL
    ? 'PostgreSQL (DATABASE_URL)'
    : 'embedded PGlite';
const started = performance.now();
const startedAt = new Date().toISOString();
const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
const attachedUrls: Record<string, string> = {
  'registration-api': `http://${host}:${config.REGISTRATION_API_PORT}`,
  'employer-api': `http://${host}:${config.EMPLOYER_API_PORT}`,
  'ministry-api': `http://${host}:${config.MINISTRY_API_PORT}`,
};
process.stderr.write(
  attach
    ? `Using the running apps at ${Object.values(attachedUrls).join(', ')} (dev key from ${config.DATA_DIR})\n`
    : `Starting the three apps (${database}, data in ${dataDir})\n`,
);
const platform = attach
  ? undefined
  : await servePlatform(
      config,
      [
        { name: 'registration-api', port: 0, create: createRegistrationApi },
        { name: 'employer-api', port: 0, create: createEmployerApi },
        { name: 'ministry-api', port: 0, create: createMinistryApi },
      ],
      'g2g-demo',
    );
const url = (name: string) =>
  platform ? platform.servers.find((s) => s.name === name)!.url : attachedUrls[name]!;
const { privateJwk } = await ensureDevKeyPair(config.DATA_DIR);
let exitCode = 0;
try {
  const state = await runDemo(
    {
      urls: {
        registration: url('registration-api'),
        employer: url('employer-api'),
        ministry: url('ministry-api'),
      },
      token: (roles, scope = {}) => {
        const list = (Array.isArray(roles) ? roles : [roles]) as Role[];
        return mintToken({
          privateJwk,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          sub: scope.sub ?? `demo-${list[0]}`,
          roles: list,
          centre: scope.centre,
          employer: scope.employer,
        });
      },
    },
    { registrants, seed: values.seed, concurrency, runId: newRunId() },
  );
  const meta = {
    registrants,
    seed: values.seed,
    database,
    seconds: (performance.now() - started) / 1000,
    startedAt,
  };
  const out = resolve(values.out);
  const files = writeReport(out, state, meta);
  process.stdout.write(
    `\n${summaryLines(state, meta).join('\n')}\n\nReport: ${out}/ (${files.join(', ')})\n`,
  );
} catch (err) {
  process.stderr.write(`\ndemo failed: ${(err as Error).stack ?? err}\n`);
  exitCode = 1;
} finally {
  await platform?.close();
  if (dataDir && values['keep-data']) process.stderr.write(`data kept in ${dataDir}\n`);
  else if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
