import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import {
  ApiClient,
  type DemoContext,
  type DemoStep,
  demoContext,
  demoSteps,
  registrationPlan,
  runStep,
} from '@g2g/cli/demo';
import { createTestDatabase, type TestDatabase } from '@g2g/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppProcess,
  freePort,
  type ProcessEnvironment,
  processEnvironment,
  repoRoot,
  startApp,
} from '../support/processes.ts';

const run = promisify(execFile);

// The scheme as one flow across the three apps, over real sockets, at small scale: the demo's own
// steps (apps/cli/src/demo/steps), each followed by checks made through the public APIs. On PGlite
// one process serves the three apps (the embedded database is single-process, as `pnpm start`); on
// PostgreSQL (TEST_DATABASE_URL) each app runs in its own process against one database.
//
// The draw and dropout steps are checked through the public draw files (and verify-draw in a
// process of its own) and the employer API's fill; the fee step through the fee ledger's positions,
// findings and reports, and the employer's own view of its workers' entries.

const REGISTRANTS = 200;
let database: TestDatabase | undefined;
let env: ProcessEnvironment;
const apps: AppProcess[] = [];
let ctx: DemoContext;
const api = { registration: '', employer: '', ministry: '' };

const step = (id: string): DemoStep => {
  const found = demoSteps.find((s) => s.id === id);
  if (!found) throw new Error(`no demo step ${id}`);
  return found;
};

beforeAll(async () => {
  database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : undefined;
  env = processEnvironment(database?.url);
  if (database) {
    const [registration, employer, ministry] = await Promise.all([
      startApp({
        script: 'apps/registration-api/src/server.ts',
        env: env.env,
        portVariable: 'REGISTRATION_API_PORT',
      }),
      startApp({
        script: 'apps/employer-api/src/server.ts',
        env: env.env,
        portVariable: 'EMPLOYER_API_PORT',
      }),
      startApp({
        script: 'apps/ministry-api/src/server.ts',
        env: env.env,
        portVariable: 'MINISTRY_API_PORT',
      }),
    ]);
    apps.push(registration, employer, ministry);
    Object.assign(api, { registration: registration.url, employer: employer.url, ministry: ministry.url });
  } else {
    const [employerPort, ministryPort] = [await freePort(), await freePort()];
    const all = await startApp({
      script: 'apps/cli/src/start.ts',
      env: { ...env.env, EMPLOYER_API_PORT: String(employerPort), MINISTRY_API_PORT: String(ministryPort) },
      portVariable: 'REGISTRATION_API_PORT',
    });
    apps.push(all);
    Object.assign(api, {
      registration: all.url,
      employer: `http://127.0.0.1:${employerPort}`,
      ministry: `http://127.0.0.1:${ministryPort}`,
    });
  }
  ctx = demoContext(
    { urls: api, token: (roles, scope) => env.token(roles, scope) },
    { registrants: REGISTRANTS, seed: 'flow-test', concurrency: 3, stream: quiet },
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  env?.cleanup();
  await database?.close();
});

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
const client = (base: string) => new ApiClient(base);

describe('the scheme end to end, across the three apps over HTTP', () => {
  it('centres: the registration API lists the real union centres', async () => {
    await runStep(ctx, step('centres'));
    expect(ctx.state.centres).toHaveLength(4540);
  });

  it('window: a ministry officer opens it division by division; the registration API serves it', async () => {
    await runStep(ctx, step('window'));
    const { id, schedule } = ctx.state.window!;
    const served = await client(api.registration).get<{ schedule: unknown[]; schemeId: string }>(
      `/v1/windows/${id}`,
    );
    expect(served.body.schemeId).toBe(ctx.state.schemeId);
    expect(served.body.schedule).toHaveLength(8);
    expect(new Set(schedule.map((s) => s.closesAt)).size).toBe(3);
  });

  it('registration: batches and singles at the centres; every duplicate and invalid record refused', async () => {
    await runStep(ctx, step('registration'));
    const plan = registrationPlan(REGISTRANTS);
    const tally = ctx.state.registration!;
    expect(tally.registered).toHaveLength(REGISTRANTS);
    expect(tally.outcome.duplicate + tally.outcome.singleDuplicate).toBe(plan.duplicates);
    expect(tally.outcome.invalid + tally.outcome.singleRefused).toBe(plan.invalid);
    expect(new Set(tally.registered.map((r) => r.registrationNumber)).size).toBe(REGISTRANTS);
    // A centre sees its own registrations, and only those.
    const one = tally.registered[0]!;
    const operator = await env.token('centre_operator', { centre: one.centre });
    const mine = await client(api.registration).all<{ registrationNumber: string; centre: { code: string } }>(
      `/v1/registrations?window=${ctx.state.window!.id}&limit=200`,
      { token: operator },
    );
    expect(mine.map((r) => r.registrationNumber)).toContain(one.registrationNumber);
    expect(mine.every((r) => r.centre.code === one.centre)).toBe(true);
    expect(mine).toHaveLength(tally.registered.filter((r) => r.centre === one.centre).length);
  });

  it('demand: employers registered and approved; orders approved (some for fewer), one rejected', async () => {
    await runStep(ctx, step('demand'));
    const demand = ctx.state.demand!;
    expect(demand.rejected).toBe(1);
    expect(demand.orders.length).toBeGreaterThanOrEqual(2);
    // Ministry officers (who will run the draw) see exactly the approved orders.
    const officer = await env.token('ministry_officer');
    const seen = await client(api.employer).all<{ id: string; status: string; workersApproved: number }>(
      `/v1/demands?schemeId=${ctx.state.schemeId}&limit=200`,
      { token: officer },
    );
    expect(seen.map((o) => o.id).sort()).toEqual(demand.orders.map((o) => o.id).sort());
    expect(seen.every((o) => o.status === 'approved')).toBe(true);
  });

  it('odds: the public statistics count every registrant against the approved demand', async () => {
    await runStep(ctx, step('odds'));
    const stats = ctx.state.stats!;
    expect(stats.total).toBe(REGISTRANTS);
    const approved = ctx.state.demand!.orders.reduce((s, o) => s + o.workersApproved, 0);
    expect(stats.odds.reduce((s, o) => s + o.approvedVacancies, 0)).toBe(approved);
    expect(ctx.state.charts.has('registrants-by-district')).toBe(true);
    expect(ctx.state.charts.has('odds-by-sector')).toBe(true);
  });

  it('status: a worker reads their own status with number and date of birth', async () => {
    await runStep(ctx, step('status'));
    const r = ctx.state.registration!.registered[1]!;
    const wrong = await client(api.registration).post(
      '/v1/status',
      {
        registrationNumber: r.registrationNumber,
        dateOfBirth: '1901-01-01',
      },
      { accept: [404] },
    );
    expect(wrong.status).toBe(404);
  });

  it('draw: two-stage draw with three witnesses; verify-draw re-checks it from the public files', async () => {
    await runStep(ctx, step('draw'));
    const { shortlist, medical, medicalRows, byDistrict } = ctx.state.draws!;
    const ministry = client(api.ministry);
    for (const d of [shortlist, medical]) {
      const served = await ministry.get<{
        state: string;
        commitments: { witnessId: string; secret: string | null }[];
        seed: string;
      }>(`/v1/draws/${d.id}`);
      expect(served.body.state).toBe('published');
      expect(served.body.seed).toBe(d.seed);
      // Three witnesses with distinct ids, each secret revealed and matching its commitment.
      expect(served.body.commitments.map((c) => c.witnessId).sort()).toEqual([
        'witness-civil-society',
        'witness-destination-committee',
        'witness-ministry',
      ]);
      expect(served.body.commitments.every((c) => c.secret !== null)).toBe(true);
      // The outsider's check, in a process of its own, from the public URL alone.
      const verified = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'apps/cli/src/verify-draw.ts',
          '--draw-url',
          `${api.ministry}/v1/draws/${d.id}`,
          '--quiet',
        ],
        { cwd: repoRoot },
      );
      expect(verified.stdout).toMatch(new RegExp(`^OK: draw ${d.id} verifies`));
      // The published result file is the one whose hash the manifest carries.
      const results = await ministry.get<string>(`/v1/draws/${d.id}/results?format=tsv`, {
        headers: { accept: '*/*' },
      });
      expect(createHash('sha256').update(results.body).digest('hex')).toBe(d.resultHash);
    }
    // Stage 1 shares its seats between unions in proportion to registrants; stage 2 draws from it.
    expect(shortlist.poolSize).toBe(REGISTRANTS);
    expect(medical.poolSize).toBe(shortlist.counts.selected);
    expect(medical.sourceDrawId).toBe(shortlist.id);
    expect(byDistrict.reduce((s, d) => s + d.registered, 0)).toBe(REGISTRANTS);
    expect(byDistrict.reduce((s, d) => s + d.shortlisted, 0)).toBe(shortlist.counts.selected);
    expect(byDistrict.reduce((s, d) => s + d.medical, 0)).toBe(medical.counts.selected);
    expect(ctx.state.charts.has('selections-by-district')).toBe(true);
    // Allocations are placements on the approved orders, as the employer API reports them.
    const officer = await env.token('ministry_officer');
    let allocated = 0;
    for (const order of ctx.state.demand!.orders) {
      const fill = await client(api.employer).get<{
        allocated: number;
        placements: { registrationNumber: string }[];
      }>(`/v1/demands/${order.id}/fill`, { token: officer });
      const mine = medicalRows.filter((r) => r.outcome === 'selected' && r.order === order.id);
      expect(fill.body.allocated).toBe(mine.length);
      expect(fill.body.placements.map((p) => p.registrationNumber).sort()).toEqual(
        mine.map((r) => r.registrationNumber).sort(),
      );
      expect(mine.length).toBeLessThanOrEqual(order.workersApproved);
      allocated += mine.length;
    }
    expect(allocated).toBeGreaterThan(0);
    // A selected worker reads "selected" with their number and date of birth.
    const chosen = medicalRows.find((r) => r.outcome === 'selected')!;
    const dob = ctx.state.registration!.registered.find(
      (r) => r.registrationNumber === chosen.registrationNumber,
    )!.dateOfBirth;
    const status = await client(api.registration).post<{ status: string }>('/v1/status', {
      registrationNumber: chosen.registrationNumber,
      dateOfBirth: dob,
    });
    expect(status.body.status).toBe('selected');
  }, 120_000);

  it('dropouts: selected workers drop out and are replaced from the waitlist', async () => {
    await runStep(ctx, step('dropouts'));
    const { records, fill, selected, drawId } = ctx.state.promotions!;
    const { medical, medicalRows } = ctx.state.draws!;
    // About one in twenty allocated workers drop out, at least three where there are three (at this
    // scale the draw, whose witnesses' secrets are random, may allocate only a few), alternately
    // failing the medical and withdrawing.
    const allocated = medicalRows.filter((r) => r.outcome === 'selected' && r.order !== null).length;
    expect(allocated).toBeGreaterThan(0);
    expect(records.length).toBe(Math.min(allocated, Math.max(3, Math.round(allocated * 0.05))));
    expect(new Set(records.map((r) => r.reason))).toEqual(
      new Set(['medical_failed', 'withdrew'].slice(0, Math.min(2, records.length))),
    );
    // Each promoted worker came off the waitlist of the order whose vacancy they fill, in position order.
    for (const r of records.filter((x) => x.promoted !== null)) {
      const row = medicalRows.find((m) => m.registrationNumber === r.promoted)!;
      expect(row.outcome).toBe('waitlisted');
      expect(row.order).toBe(r.orderId);
      expect(row.waitlistPosition).toBe(r.waitlistPosition);
    }
    // A vacancy stays open only when its order's waitlist (which holds only workers who fit the
    // order) has no one left: everyone on it was promoted by an earlier record.
    const promotedSoFar = new Set<string>();
    for (const r of records) {
      if (r.promoted !== null) promotedSoFar.add(r.promoted);
      else {
        const left = medicalRows.filter(
          (m) =>
            m.outcome === 'waitlisted' && m.order === r.orderId && !promotedSoFar.has(m.registrationNumber),
        );
        expect(left).toEqual([]);
      }
    }
    // The signed records are public; the published result did not change.
    const listed = await client(api.ministry).get<{ items: { record: { seq: number } }[] }>(
      `/v1/draws/${drawId}/promotions`,
    );
    expect(listed.body.items.map((i) => i.record.seq)).toEqual(records.map((r) => r.seq));
    const results = await client(api.ministry).get<string>(`/v1/draws/${drawId}/results?format=tsv`, {
      headers: { accept: '*/*' },
    });
    expect(createHash('sha256').update(results.body).digest('hex')).toBe(medical.resultHash);
    // The employer sees its own order's fill: failed and dropped-out placements, replacements active.
    const order = ctx.state.demand!.orders.find((o) => records.some((r) => r.orderId === o.id))!;
    const employerToken = await env.token('employer', { employer: order.employerId });
    const seen = await client(api.employer).get<{
      active: number;
      placements: { registrationNumber: string; stage: string; replacedBy: string | null }[];
    }>(`/v1/demands/${order.id}/fill`, { token: employerToken });
    const expected = fill.find((f) => f.orderId === order.id)!;
    expect(seen.body.active).toBe(expected.active);
    for (const r of records.filter((x) => x.orderId === order.id)) {
      const dropped = seen.body.placements.find((p) => p.registrationNumber === r.dropped)!;
      expect(dropped.stage).toBe(r.reason === 'medical_failed' ? 'medical_failed' : 'dropped_out');
      if (r.promoted) {
        expect(dropped.replacedBy).not.toBeNull();
        expect(seen.body.placements.find((p) => p.registrationNumber === r.promoted)?.stage).toBe('selected');
      }
    }
    // Who is selected now: stage 2's selected less dropouts plus promotions.
    const selectedNow = medical.counts.selected - records.length + records.filter((r) => r.promoted).length;
    expect(selected).toHaveLength(selectedNow);
  });

  it('fees: fees recorded against the cap; over-cap and unlicensed-payee findings appear', async () => {
    await runStep(ctx, step('fees'));
    const fees = ctx.state.fees!;
    const selected = ctx.state.promotions!.selected.map((s) => s.registrationNumber).sort();
    // Every selected worker has a ledger, and only they do.
    expect(fees.workers.map((w) => w.registrationNumber).sort()).toEqual(selected);
    const ministry = client(api.ministry);
    const officer = await env.token('ministry_officer');
    const auditor = await env.token('auditor');
    const over = fees.workers.filter((w) => w.status === 'over_cap');
    expect(over.length).toBeGreaterThanOrEqual(2);
    for (const w of over) {
      const position = await ministry.get<{
        status: string;
        paidByWorker: { amountMinor: number };
        cap: { amountMinor: number; currency: string };
        openFindings: { kind: string }[];
      }>(`/v1/fee-workers/${w.registrationNumber}`, { token: auditor });
      expect(position.body.status).toBe('over_cap');
      expect(position.body.paidByWorker.amountMinor).toBe(w.paidMinor);
      expect(position.body.paidByWorker.amountMinor).toBeGreaterThan(4_000_000);
      expect(position.body.cap).toMatchObject({ amountMinor: 4_000_000, currency: 'BDT' });
      expect(position.body.openFindings.map((f) => f.kind)).toContain('over_cap');
    }
    const findings = (
      await ministry.get<{ items: { kind: string; registrationNumber: string }[] }>(
        `/v1/fee-findings?schemeId=${ctx.state.schemeId}&open=true&limit=1000`,
        { token: auditor },
      )
    ).body.items;
    expect(findings.filter((f) => f.kind === 'over_cap')).toHaveLength(over.length);
    expect(findings.filter((f) => f.kind === 'unlicensed_payee')).toHaveLength(1);
    expect(findings.filter((f) => f.kind === 'employer_only_cost_paid_by_worker')).toHaveLength(1);
    // The unlicensed broker is a payee of its own in the report, with its finding.
    const byPayee = (
      await ministry.get<{ report: { payeeKind: string; openFindings: number }[] }>(
        `/v1/fee-reports/${ctx.state.schemeId}/by-payee`,
        { token: auditor },
      )
    ).body.report;
    expect(byPayee.find((p) => p.payeeKind === 'unlicensed_individual')?.openFindings).toBe(1);
    // The employer sees its own workers' entries, among them its declaration; nobody else's.
    const declaration = fees.declaration!;
    const employerToken = await env.token('employer', { employer: declaration.employerId });
    const seen = await client(api.employer).all<{ id: string; registrationNumber: string; source: string }>(
      '/v1/fee-entries?limit=1000',
      { token: employerToken },
    );
    expect(seen.map((e) => e.id)).toContain(declaration.entryId);
    const own = new Set(
      ctx.state
        .promotions!.selected.filter(
          (s) =>
            ctx.state.demand!.orders.find((o) => o.id === s.order)?.employerId === declaration.employerId,
        )
        .map((s) => s.registrationNumber),
    );
    expect(seen.every((e) => own.has(e.registrationNumber))).toBe(true);
    // A registrant who was not selected cannot be charged: refused, nothing written.
    const notSelected = ctx.state.registration!.registered.find(
      (r) =>
        !selected.includes(r.registrationNumber) &&
        !ctx.state.promotions!.records.some((p) => p.dropped === r.registrationNumber),
    )!;
    const refused = await ministry.post<{ code: string }>(
      '/v1/fee-entries',
      {
        registrationNumber: notSelected.registrationNumber,
        category: 'passport',
        amount: { amountMinor: 345_000, currency: 'BDT' },
        payer: 'worker',
        payee: { kind: 'unlicensed_individual', name: 'Anyone' },
        valueDate: new Date().toISOString().slice(0, 10),
        receiptRef: null,
      },
      { token: officer, accept: [422] },
    );
    expect(refused.body.code).toBe('rule-violated');
    const none = await ministry.get<{ items: unknown[] }>(
      `/v1/fee-entries?registrationNumber=${notSelected.registrationNumber}`,
      { token: auditor },
    );
    expect(none.body.items).toHaveLength(0);
    // The worker's own report waits for its one-time code (sent by SMS; the demo cannot read it).
    expect(fees.workerReport?.sentTo).toMatch(/\*/);
    expect(ctx.state.charts.has('cost-vs-cap')).toBe(true);
  }, 120_000);

  it('audit: every change is in the hash-chained audit log, which verifies', async () => {
    await runStep(ctx, step('audit'));
    // The chainer links an event once every older transaction in the cluster has ended (a shared
    // PostgreSQL server's other databases count too), so the window's event may take a moment.
    const auditor = await env.token('auditor');
    const deadline = Date.now() + 60_000;
    let linked = 0;
    while (linked === 0 && Date.now() < deadline) {
      const events = await client(api.ministry).get<{ items: { action: string }[] }>(
        `/v1/audit-events?entityType=window&entityId=${ctx.state.window!.id}`,
        { token: auditor },
      );
      linked = events.body.items.length;
      if (linked === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(linked).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
