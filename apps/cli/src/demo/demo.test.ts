import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@g2g/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrationPlan } from './steps/register-workers.ts';

// `pnpm demo` as a user runs it (apps/cli/src/demo/index.ts), at small scale: on the embedded
// database, or on a fresh PostgreSQL database (DATABASE_URL) in the PostgreSQL pass.
const root = resolve(import.meta.dirname, '../../../..');
const run = promisify(execFile);
const REGISTRANTS = 300;

let out: string;
let database: TestDatabase | undefined;
let stdout = '';

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'g2g-demo-test-'));
  if (process.env.TEST_DATABASE_URL) database = await createTestDatabase();
  const result = await run(
    process.execPath,
    ['--import', 'tsx', 'apps/cli/src/demo/index.ts', '--registrants', String(REGISTRANTS), '--out', out],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database?.url ?? '', LOG_LEVEL: 'warn' },
      timeout: 150_000,
    },
  );
  stdout = result.stdout;
}, 180_000);

afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await database?.close();
});

describe('pnpm demo', () => {
  it('prints a summary with every planned registration, refusal and approved vacancy', () => {
    const plan = registrationPlan(REGISTRANTS);
    expect(stdout).toContain(`G2G demo: ${REGISTRANTS} registrants`);
    expect(stdout).toMatch(new RegExp(`registered\\s+${REGISTRANTS}\\n`));
    expect(stdout).toMatch(new RegExp(`duplicates refused\\s+${plan.duplicates}\\n`));
    expect(stdout).toMatch(new RegExp(`invalid refused\\s+${plan.invalid}\\n`));
    expect(stdout).toMatch(/audit chain\s+verifies/);
    expect(stdout).toMatch(
      /draws\s+shortlist \d+, medical \d+ \(\d+ allocated of \d+ vacancies\); both verify\n/,
    );
    expect(stdout).toMatch(/dropouts\s+\d+ \(\d+ failed medical\), \d+ replaced from the waitlist\n/);
    expect(stdout).toMatch(/fees\s+\d+ receipts for \d+ workers; \d+ over the cap; \d+ findings\n/);
    expect(stdout).not.toContain('pending:');
  });

  it('writes the report: markdown, charts and the figures behind them', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const plan = registrationPlan(REGISTRANTS);
    expect(summary.registration.outcome).toEqual({
      created: plan.batched,
      duplicate: plan.duplicates - plan.duplicatesSingly,
      invalid: plan.invalid - plan.invalidSingly,
      singleCreated: plan.single,
      singleDuplicate: plan.duplicatesSingly,
      singleRefused: plan.invalidSingly,
    });
    expect(summary.stats.total).toBe(REGISTRANTS);
    const byDistrict = summary.stats.byDistrict as { count: number }[];
    expect(byDistrict.reduce((s, d) => s + d.count, 0)).toBe(REGISTRANTS);
    const approved = (summary.demand.orders as { workersApproved: number }[]).reduce(
      (s, o) => s + o.workersApproved,
      0,
    );
    expect(approved).toBeGreaterThan(0);
    expect(summary.demand.rejected).toBe(1);
    expect(summary.pending).toEqual([]);
    expect(summary.fees.findings.map((f: { kind: string }) => f.kind)).toEqual(
      expect.arrayContaining(['over_cap', 'unlicensed_payee', 'employer_only_cost_paid_by_worker']),
    );
    expect(summary.fees.workers.length).toBeGreaterThan(0);
    for (const stage of ['shortlist', 'medical']) {
      const draw = summary.draws[stage];
      expect(draw.verified.ok).toBe(true);
      expect(draw.witnesses).toHaveLength(3);
      expect(draw.poolHash).toMatch(/^[0-9a-f]{64}$/);
      expect(draw.seed).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(summary.draws.shortlist.poolSize).toBe(REGISTRANTS);
    expect(summary.draws.medical.poolSize).toBe(summary.draws.shortlist.counts.selected);
    // One in twenty of the workers the draw allocated, at least three where there are three (at this
    // scale the draw, whose witnesses' secrets are random, may allocate only a few).
    const { records, fill } = summary.promotions as {
      records: { promoted: string | null }[];
      fill: { allocated: number }[];
    };
    const allocated = fill.reduce((s, f) => s + f.allocated, 0) - records.filter((r) => r.promoted).length;
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBe(Math.min(allocated, Math.max(3, Math.round(allocated * 0.05))));

    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('![Registrants by district](registrants-by-district.svg)');
    expect(readme).toContain('![Odds per sector](odds-by-sector.svg)');
    expect(readme).toContain('![Worker cost against the fee cap](cost-vs-cap.svg)');
    expect(readme).not.toContain('Pending');
    expect(readme).toContain('2013-01-14 to 2013-01-16');
    expect(readme).toContain('![Registrants and selections by district](selections-by-district.svg)');
    for (const file of [
      'registrants-by-district.svg',
      'odds-by-sector.svg',
      'selections-by-district.svg',
      'cost-vs-cap.svg',
    ]) {
      const svg = readFileSync(join(out, file), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
    }
  });
});
