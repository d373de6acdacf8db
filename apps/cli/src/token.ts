import { parseArgs } from 'node:util';
import { ensureDevKeyPair, mintToken } from '@g2g/auth';
import { isRole, type Role, roles } from '@g2g/domain';
import { loadConfig } from './config.ts';

/**
 * `pnpm --silent token --role <role>[,<role>] [--centre U1414] [--employer <id>] [--sub <name>] [--ttl <seconds>]`
 * prints a token signed with the local dev key (generated under DATA_DIR on first use), valid 12 h.
 */
const usage = `usage: pnpm --silent token --role <${roles.join('|')}>[,...] [--centre <U1234>] [--employer <id>] [--sub <name>] [--ttl <seconds>]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    centre: { type: 'string' },
    employer: { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string' },
  },
  strict: true,
});

const requested = (values.role ?? [])
  .flatMap((r) => r.split(','))
  .map((r) => r.trim())
  .filter(Boolean);
if (requested.length === 0) fail('--role is required');
const bad = requested.filter((r) => !isRole(r));
if (bad.length > 0) fail(`unknown role(s): ${bad.join(', ')}`);
const granted = requested as Role[];
if (granted.includes('centre_operator') && !/^U[0-9]{4}$/.test(values.centre ?? '')) {
  fail('a centre_operator token needs --centre with a centre code such as U1414 (see GET /v1/centres)');
}
if (granted.includes('employer') && !values.employer)
  fail('an employer token needs --employer <employer id>');
const ttl = values.ttl === undefined ? 12 * 3600 : Number.parseInt(values.ttl, 10);
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');

const config = loadConfig();
if (config.JWKS_URL || config.JWKS_FILE) {
  process.stderr.write(
    'warning: JWKS_URL/JWKS_FILE is set, so the apps will not accept dev tokens signed with the local key.\n',
  );
}
const { privateJwk } = await ensureDevKeyPair(config.DATA_DIR);
const token = await mintToken({
  privateJwk,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  sub: values.sub ?? `dev-${granted[0]}`,
  roles: granted,
  centre: values.centre,
  employer: values.employer,
  ttlSeconds: ttl,
});
process.stdout.write(`${token}\n`);
