import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';
import { parsePlatformEnv } from './platform-config.ts';
import { idHashSecretPath, resolveIdHashSecret } from './secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'g2g-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the identity hash secret', () => {
  it('comes from ID_HASH_SECRET when set, and must be 32+ bytes of hex', () => {
    const hex = 'ab'.repeat(32);
    expect(resolveIdHashSecret(parsePlatformEnv({ ID_HASH_SECRET: hex }), pino({ level: 'silent' }))).toEqual(
      Buffer.from(hex, 'hex'),
    );
    expect(() => parsePlatformEnv({ ID_HASH_SECRET: 'abcd' })).toThrow(/ID_HASH_SECRET/);
  });

  it('is generated once under DATA_DIR in development, kept 0600, reused, and said so in the log', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => lines.push(l) });
    const config = parsePlatformEnv({ DATA_DIR: dir });
    const first = resolveIdHashSecret(config, logger);
    const second = resolveIdHashSecret(config, logger);
    expect(first).toEqual(second);
    expect(first.length).toBe(32);
    expect(readFileSync(idHashSecretPath(dir), 'utf8').trim()).toBe(first.toString('hex'));
    expect(statSync(idHashSecretPath(dir)).mode & 0o777).toBe(0o600);
    expect(lines.join('')).toContain('ID_HASH_SECRET is not set');
  });

  it('must be set when a real identity provider is configured (production)', () => {
    const config = parsePlatformEnv({ DATA_DIR: dir, JWKS_URL: 'https://id.example.gov.bd/jwks.json' });
    expect(() => resolveIdHashSecret(config, pino({ level: 'silent' }))).toThrow(/ID_HASH_SECRET is not set/);
  });
});

describe('the client address', () => {
  const app = new Hono();
  app.get('/', (c) =>
    c.text(clientAddress(c, parsePlatformEnv({ TRUSTED_PROXY: '10.0.0.1, ::1' }).TRUSTED_PROXY)),
  );
  const from = async (peer: string, xff?: string) =>
    (
      await app.request(
        '/',
        { headers: xff ? { 'x-forwarded-for': xff } : {} },
        { incoming: { socket: { remoteAddress: peer } } },
      )
    ).text();

  it('is the socket peer, unless the peer is a trusted proxy', async () => {
    expect(await from('192.0.2.7', '198.51.100.1')).toBe('192.0.2.7');
    expect(await from('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(await from('10.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(await from('10.0.0.1', '203.0.113.5, 198.51.100.1, ::1')).toBe('198.51.100.1');
    expect(await from('10.0.0.1')).toBe('10.0.0.1');
    expect(() => parsePlatformEnv({ TRUSTED_PROXY: 'proxy.local' })).toThrow(/TRUSTED_PROXY/);
  });
});
