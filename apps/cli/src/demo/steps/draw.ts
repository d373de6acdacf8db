import { randomBytes } from 'node:crypto';
import { commitmentOf, type PoolEntry, parsePoolLine, parseResultLine } from '@g2g/lottery';
import { drawUrls, verifyPublishedDraw } from '../../verify-draw/verify.ts';
import { barChartSvg } from '../charts.ts';
import type { ApprovedOrder, DemoContext, DemoStep, DrawRow, PublishedDraw } from '../context.ts';
import { check, need } from '../context.ts';

/**
 * The three witnesses of every draw, one token subject each (the witness id in the manifest): the
 * ministry, the destination country's committee, and a civil-society observer.
 */
export const WITNESSES = [
  { id: 'witness-ministry', who: 'Ministry of Expatriates’ Welfare' },
  { id: 'witness-destination-committee', who: 'Destination-country joint committee' },
  { id: 'witness-civil-society', who: 'Civil-society observer' },
] as const;

interface DrawView {
  id: string;
  name: string;
  state: string;
  sourceDrawId: string | null;
  policy: unknown;
  pool: { hash: string; size: number } | null;
  seed: string | null;
  resultHash: string | null;
  result: { selected: number; waitlisted: number; notSelected: number } | null;
  fairness: {
    blocking: boolean;
    tests: { dimension: string; cells: unknown[]; statistic: number; pValue: number }[];
  } | null;
  fairnessOverrideReason: string | null;
}

const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** A public file of a draw (pool or results) as text, canonical TSV. */
async function publicFile(ctx: DemoContext, path: string): Promise<string[]> {
  const res = await ctx.apis.ministry.get<string>(path, { headers: { accept: '*/*' } });
  return lines(res.body);
}

/**
 * One draw's whole ceremony over the ministry API: a draft with its policy, three witnesses commit to
 * secrets only they hold, the officer freezes the pool, the witnesses reveal, the officer executes and
 * publishes; then the verifier re-runs it from the public URLs alone. Fails if it does not verify.
 */
async function ceremony(
  ctx: DemoContext,
  draft: { id: string; name: string; source: { windowId: string } | { drawId: string }; policy: unknown },
): Promise<PublishedDraw> {
  const officer = await ctx.token('ministry_officer', { sub: 'officer-demo' });
  const { ministry } = ctx.apis;
  const base = `/v1/draws/${draft.id}`;
  await ministry.post('/v1/draws', draft, {
    token: officer,
    idempotencyKey: `${draft.id}-create`,
  });
  // Each witness's secret is 32 random bytes of their own (never the demo's seeded generator):
  // only its SHA-256 is handed in before the freeze.
  const witnesses = await Promise.all(
    WITNESSES.map(async (w) => ({
      id: w.id,
      token: await ctx.token('witness', { sub: w.id }),
      secret: randomBytes(32).toString('hex'),
    })),
  );
  for (const w of witnesses) {
    await ministry.post(
      `${base}/commitments`,
      { commitment: commitmentOf(w.secret) },
      { token: w.token, idempotencyKey: `${draft.id}-commit-${w.id}` },
    );
  }
  const frozen = await ministry.post<DrawView>(
    `${base}/freeze`,
    {},
    { token: officer, idempotencyKey: `${draft.id}-freeze` },
  );
  check(frozen.body.state === 'frozen' && frozen.body.pool, `draw ${draft.id} frozen`);
  for (const w of witnesses) {
    await ministry.post(
      `${base}/reveals`,
      { secret: w.secret },
      { token: w.token, idempotencyKey: `${draft.id}-reveal-${w.id}` },
    );
  }
  const executed = await ministry.post<DrawView>(`${base}/execute`, undefined, {
    token: officer,
    idempotencyKey: `${draft.id}-execute`,
  });
  check(executed.body.state === 'executed', `draw ${draft.id} executed`);
  const fairness = need(executed.body.fairness ?? undefined, `the fairness report of ${draft.id}`);
  // A blocking fairness report holds the draw for review. Under an honest engine that happens by
  // chance about once in 250 draws; the demo then publishes with an audited override that says so.
  const overrideReason = fairness.blocking
    ? 'Demo run: a fairness test fell below p = 0.001 by chance; published with this audited override so the report can show it.'
    : null;
  const published = await ministry.post<DrawView>(
    `${base}/publish`,
    overrideReason ? { fairnessOverrideReason: overrideReason } : {},
    { token: officer, idempotencyKey: `${draft.id}-publish` },
  );
  check(published.body.state === 'published', `draw ${draft.id} published`);
  const d = published.body;

  // The outsider's check: only the public URLs (manifest, pool, results, the ministry's JWKS).
  const started = performance.now();
  const outcome = await verifyPublishedDraw(drawUrls(`${ministry.baseUrl}${base}`));
  const seconds = (performance.now() - started) / 1000;
  if (!outcome.ok) {
    throw new Error(
      `demo check failed: draw ${draft.id} does not verify from its public files:\n  ${outcome.problems.join('\n  ')}`,
    );
  }
  check(outcome.summary.seed === d.seed, `the verifier recomputed the seed of ${draft.id}`);
  check(outcome.summary.resultHash === d.resultHash, `the verifier recomputed the result of ${draft.id}`);
  ctx.log(`${draft.id}: published and verified from its public URLs (${seconds.toFixed(1)} s)`);
  return {
    id: d.id,
    name: d.name,
    sourceDrawId: d.sourceDrawId,
    policy: d.policy,
    poolHash: d.pool!.hash,
    poolSize: d.pool!.size,
    seed: d.seed!,
    resultHash: d.resultHash!,
    counts: {
      selected: d.result!.selected,
      waitlisted: d.result!.waitlisted,
      notSelected: d.result!.notSelected,
    },
    fairness: {
      blocking: fairness.blocking,
      overrideReason: d.fairnessOverrideReason,
      tests: fairness.tests.map((t) => ({
        dimension: t.dimension,
        cells: t.cells.length,
        statistic: t.statistic,
        pValue: t.pValue,
      })),
    },
    witnesses: witnesses.map((w) => w.id),
    links: {
      self: base,
      manifest: `${base}/manifest`,
      pool: `${base}/pool`,
      results: `${base}/results`,
    },
    verified: { ok: true, resultLines: outcome.summary.resultLines, seconds },
  };
}

/** Whether a pool entry fits an order (docs/lottery-spec.md section 4). */
const fits = (e: PoolEntry, o: ApprovedOrder) =>
  e.sectors.includes(o.sector) &&
  (o.gender === 'any' || o.gender === e.gender) &&
  e.age >= o.ageRange.min &&
  e.age <= o.ageRange.max;

/**
 * Stage 2's size: enough of the shortlist called for medical checks that every sector's approved
 * vacancies can be filled, counting for each sector only the workers for whom it is the first sector,
 * in their own preference order, with an order they fit (the allocation walk gives a worker their
 * first fitting sector while it has room, so this errs on the side of calling more), plus a tenth for
 * those who will fail or withdraw. Worked out from the public stage-1 files before the draft, so
 * before any commitment (the policy is fixed before the seed exists).
 */
function medicalTotal(shortlist: readonly PoolEntry[], orders: readonly ApprovedOrder[]): number {
  const firstSector = new Map<string, number>();
  for (const e of shortlist) {
    const sector = e.sectors.find((s) => orders.some((o) => o.sector === s && fits(e, o)));
    if (sector) firstSector.set(sector, (firstSector.get(sector) ?? 0) + 1);
  }
  const vacancies = orders.reduce((s, o) => s + o.workersApproved, 0);
  let total = vacancies;
  for (const sector of new Set(orders.map((o) => o.sector))) {
    const inSector = orders.filter((o) => o.sector === sector).reduce((s, o) => s + o.workersApproved, 0);
    const share = (firstSector.get(sector) ?? 0) / Math.max(1, shortlist.length);
    if (share > 0) total = Math.max(total, Math.ceil((inSector / share) * 1.1));
  }
  // Leave at least a fifth of the shortlist uncalled: the order waitlists are drawn from it.
  return Math.min(Math.max(Math.floor(shortlist.length * 0.8), vacancies), total);
}

const p = (value: number) => (value < 0.0001 ? value.toExponential(1) : value.toFixed(4));

function drawMarkdown(d: PublishedDraw, stage: string): string[] {
  return [
    `**${stage}: ${d.name}** (\`${d.id}\`)`,
    '',
    '| | |',
    '| --- | --- |',
    `| Pool | ${d.poolSize.toLocaleString('en')} entries, hash \`${d.poolHash}\` |`,
    `| Witnesses | ${d.witnesses.join(', ')} (each committed to a secret before the freeze, revealed after) |`,
    `| Seed | \`${d.seed}\` |`,
    `| Result | ${d.counts.selected.toLocaleString('en')} selected, ${d.counts.waitlisted.toLocaleString('en')} waitlisted, ${d.counts.notSelected.toLocaleString('en')} not selected; hash \`${d.resultHash}\` |`,
    `| Fairness | ${d.fairness.blocking ? `**blocking**, published with the override "${d.fairness.overrideReason}"` : 'not blocking'}: ${d.fairness.tests.map((t) => `${t.dimension} p = ${p(t.pValue)} (${t.cells} cells)`).join('; ')} |`,
    `| Public files (ministry API, no token) | manifest \`${d.links.manifest}\`, pool \`${d.links.pool}\`, results \`${d.links.results}\`, keys \`/.well-known/jwks.json\` |`,
    `| Verifier | \`pnpm verify-draw --draw-url <ministry-api>${d.links.self}\`: **verifies** (signature, commitments, pool hash, seed, ${d.verified.resultLines.toLocaleString('en')} result lines) in ${d.verified.seconds.toFixed(1)} s |`,
  ];
}

/**
 * The two-stage draw: a union-quota shortlist from the window (seats in proportion to each union's
 * registrants, one waitlisted per union), then a draw for medical checks from the shortlist, allocated
 * to the committee-approved orders by rank, with a waitlist per order. Three witnesses commit and
 * reveal for each; each published draw is re-checked by the verifier from its public URLs.
 */
export const drawStep: DemoStep = {
  id: 'draw',
  title: 'Two-stage draw with three witnesses, verified from the public files',
  async run(ctx) {
    const windowId = need(ctx.state.window, 'the window').id;
    const registered = need(ctx.state.registration, 'the registrations').registered.length;
    const orders = need(ctx.state.demand, 'the demand').orders;
    const vacancies = orders.reduce((s, o) => s + o.workersApproved, 0);
    const run = ctx.options.runId;

    // Stage 1: the shortlist, about six times the approved vacancies, shared between unions.
    const shortlistTotal = Math.min(registered, Math.max(6 * vacancies, 30));
    const shortlist = await ceremony(ctx, {
      id: `demo-${run}-shortlist`,
      name: 'G2G Malaysia 2013 shortlist (union quotas)',
      source: { windowId },
      policy: {
        total: shortlistTotal,
        quota: { level: 'union', basis: 'registrants' },
        orders: [],
        waitlist: { per: 'stratum', length: 1 },
      },
    });
    check(shortlist.poolSize === registered, `the shortlist pool holds all ${registered} registrants`);
    check(shortlist.counts.selected === shortlistTotal, `the shortlist selected ${shortlistTotal}`);

    const pool = (await publicFile(ctx, `${shortlist.links.pool}?format=tsv`)).map((l) => parsePoolLine(l));
    const shortRows = (await publicFile(ctx, `${shortlist.links.results}?format=tsv`)).map((l) =>
      parseResultLine(l),
    );
    const shortlisted = new Set(
      shortRows.filter((r) => r.outcome === 'selected').map((r) => r.registrationNumber),
    );
    const shortlistEntries = pool.filter((e) => shortlisted.has(e.registrationNumber));

    // Stage 2: medical checks, allocated to the approved orders.
    const maxOrder = Math.max(...orders.map((o) => o.workersApproved));
    const medicalPolicy = {
      total: medicalTotal(shortlistEntries, orders),
      quota: { level: 'none', basis: 'registrants' },
      orders: [...orders]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((o) => ({
          id: o.id,
          sector: o.sector,
          vacancies: o.workersApproved,
          gender: o.gender,
          minAge: o.ageRange.min,
          maxAge: o.ageRange.max,
        })),
      waitlist: { per: 'order', length: Math.max(2, Math.ceil(maxOrder / 10)) },
    };
    const medical = await ceremony(ctx, {
      id: `demo-${run}-medical`,
      name: 'G2G Malaysia 2013 medical call-up (allocated to approved orders)',
      source: { drawId: shortlist.id },
      policy: medicalPolicy,
    });
    check(medical.poolSize === shortlistTotal, 'stage 2 draws from the stage-1 shortlist');
    const medicalRows: DrawRow[] = (await publicFile(ctx, `${medical.links.results}?format=tsv`))
      .map((l) => parseResultLine(l))
      .filter((r) => r.outcome !== 'not-selected');
    const allocated = medicalRows.filter((r) => r.outcome === 'selected' && r.order !== null);
    for (const o of orders) {
      const mine = allocated.filter((r) => r.order === o.id).length;
      check(mine <= o.workersApproved, `order ${o.id} is given at most its ${o.workersApproved} vacancies`);
    }

    // Selections by district, from the public pool file (district ids) and the public statistics (names).
    const names = new Map((ctx.state.stats?.byDistrict ?? []).map((d) => [d.id, d.name]));
    const medicalSelected = new Set(
      medicalRows.filter((r) => r.outcome === 'selected').map((r) => r.registrationNumber),
    );
    const districts = new Map<number, { registered: number; shortlisted: number; medical: number }>();
    for (const e of pool) {
      const d = districts.get(e.district) ?? { registered: 0, shortlisted: 0, medical: 0 };
      d.registered++;
      if (shortlisted.has(e.registrationNumber)) d.shortlisted++;
      if (medicalSelected.has(e.registrationNumber)) d.medical++;
      districts.set(e.district, d);
    }
    const byDistrict = [...districts]
      .map(([id, d]) => ({ id, name: names.get(id) ?? `district ${id}`, ...d }))
      .sort((a, b) => b.registered - a.registered || a.name.localeCompare(b.name));
    ctx.state.draws = { shortlist, medical, medicalRows, byDistrict };

    ctx.state.charts.set('selections-by-district', {
      file: 'selections-by-district.svg',
      title: 'Registrants and selections by district',
      svg: barChartSvg({
        title: 'Registered and shortlisted, by district',
        subtitle: `Stage 1 shortlist: ${shortlistTotal.toLocaleString('en')} seats shared between unions in proportion to registrants; labels: registered / shortlisted / called for medical`,
        bars: byDistrict.map((d) => ({ label: d.name, value: d.registered, inner: d.shortlisted })),
        valueLabel: (_v, bar) => {
          const d = byDistrict.find((x) => x.name === bar.label)!;
          return `${d.registered.toLocaleString('en')} / ${d.shortlisted.toLocaleString('en')} / ${d.medical.toLocaleString('en')}`;
        },
        legend: ['registered', 'shortlisted (stage 1)'],
      }),
    });
    const allocatedTotal = allocated.length;
    ctx.state.summary.set(
      'draws',
      `shortlist ${shortlistTotal.toLocaleString('en')}, medical ${medical.counts.selected.toLocaleString('en')} (${allocatedTotal.toLocaleString('en')} allocated of ${vacancies.toLocaleString('en')} vacancies); both verify`,
    );
    const waitlists = new Map<string, number>();
    for (const r of medicalRows)
      if (r.outcome === 'waitlisted' && r.order) waitlists.set(r.order, (waitlists.get(r.order) ?? 0) + 1);
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        `Two draws through the ministry API's ceremony (\`POST /v1/draws\`, \`/commitments\`, \`/freeze\`, \`/reveals\`, \`/execute\`, \`/publish\`). For each, three witnesses (${WITNESSES.map((w) => `${w.who}, \`${w.id}\``).join('; ')}) each committed to the SHA-256 of a secret of 32 random bytes before the pool was frozen and revealed it after; the seed is derived from the draw id, the pool hash and the three secrets, so no one party could choose the outcome. Each published draw was then re-checked by the verifier (\`apps/cli/src/verify-draw\`) from its public URLs alone: the signed manifest against the ministry's JWKS, every commitment, the pool file and hash, the seed, every result line.`,
        '',
        ...drawMarkdown(shortlist, 'Stage 1'),
        '',
        `Union quotas by registrants: ${shortlistTotal.toLocaleString('en')} seats (${((shortlistTotal / Math.max(1, registered)) * 100).toFixed(1)}% of registrants) shared between the unions in proportion to each union's registrants (largest remainder), one waitlisted per union.`,
        '',
        ...drawMarkdown(medical, 'Stage 2'),
        '',
        `The pool is the stage-1 shortlist. ${medicalPolicy.total.toLocaleString('en')} are called for medical checks (enough that, in every sector, the workers for whom it is the first sector they fit an order in, by sector preference, gender and age, cover its vacancies with a tenth to spare, leaving at least a fifth of the shortlist for the waitlists; worked out from the public stage-1 files before the draft). By rank, each takes the first approved order, in their own sector preference, that they fit and that has a vacancy; ${allocatedTotal.toLocaleString('en')} of ${vacancies.toLocaleString('en')} vacancies were allocated, and a waitlist of up to ${medicalPolicy.waitlist.length} per order was drawn from those not called. Allocations became placements on the orders (\`GET /v1/demands/{id}/fill\`).`,
        '',
        '| Order | Sector | Gender | Vacancies | Allocated | Waitlisted |',
        '| --- | --- | --- | --- | --- | --- |',
        ...orders.map(
          (o) =>
            `| \`${o.id.slice(0, 8)}\` | ${o.sector} | ${o.gender} | ${o.workersApproved} | ${allocated.filter((r) => r.order === o.id).length} | ${waitlists.get(o.id) ?? 0} |`,
        ),
      ].join('\n'),
    });
  },
};
