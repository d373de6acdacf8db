import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson } from '@g2g/domain';
import {
  commitmentOf,
  type DrawPolicy,
  deriveSeed,
  type PoolEntry,
  poolFromEntries,
  poolHash,
  poolLines,
  resultHash,
  resultLines,
  runDraw,
} from '@g2g/lottery';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalResultLines, verifyPublishedDraw } from './verify.ts';

// The verifier against a draw built with the pure engine and signed with a throwaway key, then
// tampered with one way at a time: each must be caught and named.

const dir = mkdtempSync(join(tmpdir(), 'verify-draw-'));
const path = (name: string) => join(dir, name);
let privateJwk: JWK;
let manifest: Record<string, unknown>;
let pool: string[];
let results: string[];

const policy: DrawPolicy = {
  total: 9,
  quota: { level: 'district', basis: 'registrants' },
  orders: [],
  waitlist: { per: 'stratum', length: 2 },
};

function entries(n: number): PoolEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    registrationNumber: String(10_000_000_000 + i * 7).padStart(11, '0'),
    division: 1 + (i % 2),
    district: 10 + (i % 4),
    upazila: 100 + (i % 4),
    union: 1000 + (i % 8),
    gender: i % 3 === 0 ? 'female' : 'male',
    age: 20 + (i % 20),
    sectors: ['plantation'],
    registeredOn: `2013-01-${String(1 + (i % 9)).padStart(2, '0')}`,
  }));
}

async function sign(payload: Record<string, unknown>, jwk = privateJwk): Promise<string> {
  return new CompactSign(new TextEncoder().encode(canonicalJson(payload as never)))
    .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid! })
    .sign(await importJWK(jwk, 'EdDSA'));
}

async function writeDraw(name: string, m: Record<string, unknown>, jws: string, p = pool, r = results) {
  writeFileSync(path(`${name}.manifest.json`), JSON.stringify({ manifest: m, jws }));
  writeFileSync(path(`${name}.pool.tsv`), `${p.join('\n')}\n`);
  writeFileSync(path(`${name}.results.tsv`), `${r.join('\n')}\n`);
  return {
    manifest: path(`${name}.manifest.json`),
    pool: path(`${name}.pool.tsv`),
    results: path(`${name}.results.tsv`),
    jwks: path('jwks.json'),
  };
}

beforeAll(async () => {
  const keys = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  privateJwk = { ...(await exportJWK(keys.privateKey)), kid: 'ministry-test', alg: 'EdDSA' };
  const publicJwk = { ...(await exportJWK(keys.publicKey)), kid: 'ministry-test', alg: 'EdDSA' };
  writeFileSync(path('jwks.json'), JSON.stringify({ keys: [publicJwk] }));
  const canonical = poolFromEntries(entries(60));
  pool = poolLines(canonical);
  const reveals = ['a', 'b'].map((w, k) => {
    const secret = String(k + 1).repeat(64);
    return { witnessId: `witness-${w}`, secret, commitment: commitmentOf(secret) };
  });
  const hash = poolHash(canonical);
  const seed = deriveSeed({ drawId: 'draw-test', poolHash: hash, reveals, beacon: 'beacon-1' });
  const result = runDraw(canonical, policy, seed);
  results = resultLines(result);
  manifest = {
    algorithm: result.algorithm,
    drawId: 'draw-test',
    policy: policy as never,
    poolHash: hash,
    reveals,
    beacon: 'beacon-1',
    seed,
    resultHash: resultHash(result),
  };
});

describe('verify-draw', () => {
  it('accepts an untouched draw', async () => {
    const outcome = await verifyPublishedDraw(await writeDraw('good', manifest, await sign(manifest)));
    expect(outcome).toMatchObject({ ok: true, problems: [] });
    expect(outcome.summary.poolEntries).toBe(60);
  });

  it('rejects a manifest edited after signing, naming the member', async () => {
    const edited = { ...manifest, seed: 'f'.repeat(64) };
    const outcome = await verifyPublishedDraw(await writeDraw('edited', edited, await sign(manifest)));
    expect(outcome.ok).toBe(false);
    expect(outcome.problems[0]).toMatch(/^manifest\.seed: /);
  });

  it('rejects a manifest signed by another key, or a broken signature', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const otherJwk = { ...(await exportJWK(other.privateKey)), kid: 'ministry-test', alg: 'EdDSA' };
    const forged = await verifyPublishedDraw(
      await writeDraw('forged', manifest, await sign(manifest, otherJwk)),
    );
    expect(forged.ok).toBe(false);
    expect(forged.problems[0]).toMatch(/^signature: /);
    const jws = await sign(manifest);
    const broken = `${jws.slice(0, -4)}${jws.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const outcome = await verifyPublishedDraw(await writeDraw('broken', manifest, broken));
    expect(outcome.problems[0]).toMatch(/^signature: /);
  });

  it('rejects a signed manifest whose seed or reveal was changed (the seed no longer derives)', async () => {
    const m = { ...manifest, beacon: 'beacon-2' };
    const outcome = await verifyPublishedDraw(await writeDraw('beacon', m, await sign(m)));
    expect(outcome.ok).toBe(false);
    expect(outcome.problems.join('\n')).toMatch(/^seed: manifest says [0-9a-f]{64}, recomputed/m);
  });

  it('rejects a tampered pool line and a tampered result line, saying which line', async () => {
    const tamperedPool = [...pool];
    tamperedPool[4] = tamperedPool[4]!.replace(
      /\t(male|female)\t/,
      (_, g) => `\t${g === 'male' ? 'female' : 'male'}\t`,
    );
    const badPool = await verifyPublishedDraw(
      await writeDraw('pool', manifest, await sign(manifest), tamperedPool),
    );
    expect(badPool.ok).toBe(false);
    expect(badPool.problems.join('\n')).toMatch(/pool-hash: manifest says/);

    const tamperedResults = [...results];
    const k = tamperedResults.findIndex((l) => l.includes('\tnot-selected\t'));
    tamperedResults[k] = tamperedResults[k]!.replace('\tnot-selected\t\t', '\tselected\t1');
    const badResults = await verifyPublishedDraw(
      await writeDraw('results', manifest, await sign(manifest), pool, tamperedResults),
    );
    expect(badResults.ok).toBe(false);
    expect(badResults.problems.join('\n')).toContain(`result file line ${k + 1}: file has`);
  });

  it('reads results as NDJSON or CSV as well as the canonical file', () => {
    const ndjson = results.map((l) => {
      const [registrationNumber, outcome, rank, stratum, waitlistPosition, order] = l.split('\t');
      return JSON.stringify({
        registrationNumber,
        outcome,
        rank: rank ? Number(rank) : null,
        stratum: Number(stratum),
        waitlistPosition: waitlistPosition ? Number(waitlistPosition) : null,
        order: order || null,
      });
    });
    expect(canonicalResultLines(`${ndjson.join('\n')}\n`)).toEqual(results);
    const csv = [
      'registrationNumber,outcome,rank,stratum,waitlistPosition,order',
      ...results.map((l) => l.replaceAll('\t', ',')),
    ];
    expect(canonicalResultLines(`${csv.join('\n')}\n`)).toEqual(results);
  });

  it('exits 0 when everything matches and 1 (printing the differences) otherwise', async () => {
    const run = promisify(execFile);
    const cli = join(import.meta.dirname, '..', 'verify-draw.ts');
    const good = await writeDraw('cli-good', manifest, await sign(manifest));
    const args = (f: typeof good) => [
      '--import',
      'tsx',
      cli,
      '--manifest',
      f.manifest,
      '--pool',
      f.pool,
      '--results',
      f.results,
      '--jwks',
      f.jwks,
    ];
    const ok = await run(process.execPath, args(good));
    expect(ok.stdout).toMatch(/^OK: draw draw-test verifies/);
    const bad = await writeDraw('cli-bad', { ...manifest, resultHash: '0'.repeat(64) }, await sign(manifest));
    const failed = await run(process.execPath, args(bad)).catch((err) => err);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/MISMATCH[\s\S]*manifest\.resultHash/);
  }, 60_000);
});
