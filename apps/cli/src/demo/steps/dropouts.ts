import { isDeepStrictEqual } from 'node:util';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { DemoStep, PromotionsState } from '../context.ts';
import { check, need } from '../context.ts';

interface PromotionRecord {
  seq: number;
  dropped: { registrationNumber: string; reason: string };
  vacancy: { stratum: number; orderId: string | null };
  promoted: { registrationNumber: string; waitlistPosition: number } | null;
}

interface Fill {
  workersApproved: number;
  allocated: number;
  active: number;
  openVacancies: number;
  stages: Record<string, number>;
}

const REASONS = ['medical_failed', 'withdrew'] as const;

/**
 * Some workers called for medical checks drop out (fail the medical, withdraw): a ministry officer
 * records each on the stage-2 draw (`POST /v1/draws/{id}/dropouts`), and the next eligible worker on
 * the order's waitlist is promoted into the vacancy with a signed record. The fill of every order is
 * then read back from the employer API (`GET /v1/demands/{id}/fill`) and must match.
 */
export const dropoutStep: DemoStep = {
  id: 'dropouts',
  title: 'Dropouts replaced from the waitlist',
  async run(ctx) {
    const draws = need(ctx.state.draws, 'the draws');
    const orders = need(ctx.state.demand, 'the demand').orders;
    const registered = need(ctx.state.registration, 'the registrations').registered;
    const drawId = draws.medical.id;
    const officer = await ctx.token('ministry_officer', { sub: 'officer-demo' });
    const { ministry, employer, registration } = ctx.apis;

    // About one in twenty allocated workers, at least three, chosen with the demo's seeded generator.
    const allocated = draws.medicalRows.filter((r) => r.outcome === 'selected' && r.order !== null);
    const count = Math.min(allocated.length, Math.max(3, Math.round(allocated.length * 0.05)));
    const pool = [...allocated];
    const chosen = Array.from({ length: count }, () => pool.splice(ctx.random.int(pool.length), 1)[0]!);
    const jwks = (await ministry.get<JSONWebKeySet>('/.well-known/jwks.json')).body;
    const records: PromotionsState['records'][number][] = [];
    const bar = ctx.progress('dropouts and promotions', chosen.length);
    for (const [k, row] of chosen.entries()) {
      const reason = REASONS[k % REASONS.length]!;
      const res = await ministry.post<{ record: PromotionRecord; jws: string }>(
        `/v1/draws/${drawId}/dropouts`,
        { registrationNumber: row.registrationNumber, reason },
        { token: officer, idempotencyKey: `${drawId}-dropout-${row.registrationNumber}` },
      );
      const { record, jws } = res.body;
      // The promotion record is signed with the draws' key: anyone can check it against the JWKS.
      const verified = await compactVerify(jws, createLocalJWKSet(jwks));
      check(
        isDeepStrictEqual(JSON.parse(new TextDecoder().decode(verified.payload)), record),
        `the promotion record of ${row.registrationNumber} is the signed one`,
      );
      check(record.vacancy.orderId === row.order, `the vacancy of ${row.registrationNumber} keeps its order`);
      records.push({
        seq: record.seq,
        dropped: row.registrationNumber,
        reason,
        orderId: row.order,
        promoted: record.promoted?.registrationNumber ?? null,
        waitlistPosition: record.promoted?.waitlistPosition ?? null,
      });
      bar.advance();
    }
    bar.done();
    const listed = await ministry.get<{ items: { record: PromotionRecord }[] }>(
      `/v1/draws/${drawId}/promotions`,
    );
    check(listed.body.items.length === records.length, 'the public promotion list holds every record');

    // Who is selected now: stage 2's selected, less the dropouts, plus the promoted (in the vacancy's order).
    const droppedSet = new Set(records.map((r) => r.dropped));
    const selected = [
      ...draws.medicalRows
        .filter((r) => r.outcome === 'selected' && !droppedSet.has(r.registrationNumber))
        .map((r) => ({ registrationNumber: r.registrationNumber, order: r.order })),
      ...records
        .filter((r) => r.promoted !== null)
        .map((r) => ({ registrationNumber: r.promoted!, order: r.orderId })),
    ].sort((a, b) => (a.registrationNumber < b.registrationNumber ? -1 : 1));

    // Every order's fill, from the employer API, against what the draw and the dropouts imply.
    const fill: PromotionsState['fill'][number][] = [];
    for (const o of orders) {
      const f = (await employer.get<Fill>(`/v1/demands/${o.id}/fill?limit=1`, { token: officer })).body;
      const initial = allocated.filter((r) => r.order === o.id).length;
      const mine = records.filter((r) => r.orderId === o.id);
      const promoted = mine.filter((r) => r.promoted !== null).length;
      const failed = mine.filter((r) => r.reason === 'medical_failed').length;
      const withdrew = mine.filter((r) => r.reason === 'withdrew').length;
      check(f.allocated === initial + promoted, `order ${o.id}: ${initial} allocated + ${promoted} promoted`);
      check(f.active === initial - mine.length + promoted, `order ${o.id}: active placements`);
      check(f.stages.medical_failed === failed, `order ${o.id}: ${failed} failed the medical`);
      check(f.stages.dropped_out === withdrew, `order ${o.id}: ${withdrew} dropped out`);
      check(f.openVacancies === o.workersApproved - f.active, `order ${o.id}: open vacancies`);
      fill.push({
        orderId: o.id,
        workersApproved: f.workersApproved,
        allocated: f.allocated,
        active: f.active,
        openVacancies: f.openVacancies,
        medicalFailed: f.stages.medical_failed ?? 0,
        droppedOut: f.stages.dropped_out ?? 0,
      });
    }

    // A promoted worker and a dropped-out one read their own status (number and date of birth).
    const dob = new Map(registered.map((r) => [r.registrationNumber, r.dateOfBirth]));
    const statusLines: string[] = [];
    const firstPromoted = records.find((r) => r.promoted !== null);
    for (const [number, expected] of [
      ...(firstPromoted ? [[firstPromoted.promoted!, 'selected'] as const] : []),
      [records[0]!.dropped, 'withdrawn'] as const,
    ]) {
      const res = await registration.post<{ status: string }>('/v1/status', {
        registrationNumber: number,
        dateOfBirth: dob.get(number),
      });
      check(res.body.status === expected, `status of ${number} is ${expected}`);
      statusLines.push(`${number}: ${res.body.status}`);
    }

    ctx.state.promotions = { drawId, records, selected, fill };
    const promotedCount = records.filter((r) => r.promoted !== null).length;
    ctx.state.summary.set(
      'dropouts',
      `${records.length} (${records.filter((r) => r.reason === 'medical_failed').length} failed medical), ${promotedCount} replaced from the waitlist`,
    );
    const short = (id: string | null) => (id ? `\`${id.slice(0, 8)}\`` : '-');
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        `${records.length} of the ${allocated.length.toLocaleString('en')} workers allocated to orders dropped out (alternately failing the medical and withdrawing). For each, a ministry officer recorded the dropout on the stage-2 draw (\`POST /v1/draws/${drawId}/dropouts\`); the next eligible worker on that order's waitlist was promoted into the vacancy (docs/lottery-spec.md section 8), and the signed promotion record (verified here against the ministry's JWKS) is public at \`/v1/draws/${drawId}/promotions\`. The published result does not change. ${promotedCount} of ${records.length} vacancies were filled from the waitlists${promotedCount < records.length ? ' (an order whose waitlist had no one left who fits stays short)' : ''}. Status checks afterwards: ${statusLines.join(', ')}.`,
        '',
        '| # | Dropped out | Reason | Order | Promoted | Waitlist position |',
        '| --- | --- | --- | --- | --- | --- |',
        ...records.map(
          (r) =>
            `| ${r.seq} | ${r.dropped} | ${r.reason.replace('_', ' ')} | ${short(r.orderId)} | ${r.promoted ?? 'no one eligible'} | ${r.waitlistPosition ?? '-'} |`,
        ),
        '',
        'The fill of each order as the employer API reports it (`GET /v1/demands/{id}/fill`), checked against the draw and the dropouts:',
        '',
        '| Order | Approved | Placements made | Active | Failed medical | Dropped out | Open vacancies |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...fill.map(
          (f) =>
            `| ${short(f.orderId)} | ${f.workersApproved} | ${f.allocated} | ${f.active} | ${f.medicalFailed} | ${f.droppedOut} | ${f.openVacancies} |`,
        ),
      ].join('\n'),
    });
  },
};
