import { createHash, randomBytes } from 'node:crypto';
import { listAuditLog, sql } from '@g2g/db';
import { seedDemandOrder, seedEmployer } from '@g2g/db/testing';
import { createApp as createEmployerApi } from '@g2g/employer-api';
import { call } from '@g2g/http/testing';
import {
  commitmentOf,
  deriveSeed,
  nextPromotion,
  parsePoolLine,
  parseResultLine,
  poolFromLines,
  resultLines,
  runDraw,
  verifyDraw,
} from '@g2g/lottery';
import { createApp as createMinistryApi } from '@g2g/ministry-api';
import {
  createRegistrationTestContext,
  type RegistrationTestContext,
  registrationFor,
  TEST_WINDOW_ID,
} from '@g2g/registration-api/testing';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The whole ceremony over HTTP: draft, commitments, freeze, reveals, beacon, execute, publish,
// public files, verification, dropout and promotion, and a second stage.

let ctx: RegistrationTestContext;
let ministry: ReturnType<typeof createMinistryApi>;
let officer: string;
const witnesses: Record<string, { token: string; secret: string }> = {};
let orderId: string;
const registered: string[] = [];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const secretOf = () => randomBytes(32).toString('hex');

beforeAll(async () => {
  ctx = await createRegistrationTestContext();
  ministry = createMinistryApi(ctx.deps);
  officer = await ctx.token('ministry_officer', { sub: 'officer-1' });
  for (const id of ['witness-ministry', 'witness-committee', 'witness-civil']) {
    witnesses[id] = { token: await ctx.token('witness', { sub: id }), secret: secretOf() };
  }
  const operator = await ctx.operator();
  for (let i = 1; i <= 40; i++) {
    const res = await call(ctx.app, 'POST', '/v1/registrations', {
      token: operator,
      body: registrationFor(i, { permanentUnionCode: `U${String(1 + (i % 6) * 700).padStart(4, '0')}` }),
    });
    expect(res.status).toBe(201);
    registered.push(res.body.registrationNumber);
  }
  await seedEmployer(ctx.db, 'emp-draw-1');
  const order = await seedDemandOrder(ctx.db, { employerId: 'emp-draw-1', workersApproved: 10 });
  orderId = order.id;
});
afterAll(() => ctx.close());

const policy = () => ({
  total: 12,
  quota: { level: 'division', basis: 'registrants' },
  orders: [{ id: orderId, sector: 'plantation', vacancies: 4, gender: 'male', minAge: 21, maxAge: 40 }],
  waitlist: { per: 'stratum', length: 2 },
});

async function officerCall(method: string, path: string, body?: unknown) {
  return call(ministry, method, path, { token: officer, ...(body !== undefined ? { body } : {}) });
}

async function fileOf(path: string) {
  const res = await call(ministry, 'GET', path);
  expect(res.status).toBe(200);
  return res.text === '' ? [] : res.text.slice(0, -1).split('\n');
}

describe('the draw ceremony', () => {
  it('creates and edits a draft, refusing a bad policy with field errors and writing nothing', async () => {
    const bad = await officerCall('POST', '/v1/draws', {
      id: 'bad-draw',
      name: 'Bad draw',
      source: { windowId: TEST_WINDOW_ID },
      policy: { ...policy(), total: -1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/body/policy/total');
    const notOrder = await officerCall('POST', '/v1/draws', {
      id: 'bad-draw',
      name: 'Bad draw',
      source: { windowId: TEST_WINDOW_ID },
      policy: { ...policy(), orders: [{ ...policy().orders[0], id: 'not-an-order' }] },
    });
    expect(notOrder.status).toBe(422);
    expect((await call(ministry, 'GET', '/v1/draws/bad-draw')).status).toBe(404);

    const created = await officerCall('POST', '/v1/draws', {
      id: 'shortlist-2013',
      name: 'Shortlist draft',
      source: { windowId: TEST_WINDOW_ID },
      policy: policy(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', windowId: TEST_WINDOW_ID, pool: null });
    const edited = await officerCall('PATCH', '/v1/draws/shortlist-2013', { name: 'G2G 2013 shortlist' });
    expect(edited.status).toBe(200);
    expect(edited.body.name).toBe('G2G 2013 shortlist');
    const dup = await officerCall('POST', '/v1/draws', {
      id: 'shortlist-2013',
      name: 'Again',
      source: { windowId: TEST_WINDOW_ID },
      policy: policy(),
    });
    expect(dup.status).toBe(409);
  });

  it('takes witness commitments (witnesses only), then refuses edits and a freeze with too few', async () => {
    const asOfficer = await officerCall('POST', '/v1/draws/shortlist-2013/commitments', {
      commitment: sha256('x'),
    });
    expect(asOfficer.status).toBe(403);
    const w = witnesses['witness-ministry']!;
    const first = await call(ministry, 'POST', '/v1/draws/shortlist-2013/commitments', {
      token: w.token,
      body: { commitment: commitmentOf(w.secret) },
    });
    expect(first.status).toBe(201);
    expect(first.body.state).toBe('committing');
    expect((await officerCall('PATCH', '/v1/draws/shortlist-2013', { name: 'Too late' })).status).toBe(409);
    expect((await officerCall('POST', '/v1/draws/shortlist-2013/freeze', {})).status).toBe(422);
    for (const id of ['witness-committee', 'witness-civil']) {
      const { token, secret } = witnesses[id]!;
      const res = await call(ministry, 'POST', '/v1/draws/shortlist-2013/commitments', {
        token,
        body: { commitment: commitmentOf(secret) },
      });
      expect(res.status).toBe(201);
    }
    const again = await call(ministry, 'POST', '/v1/draws/shortlist-2013/commitments', {
      token: w.token,
      body: { commitment: commitmentOf(w.secret) },
    });
    expect(again.status).toBe(409);
  });

  it('freezes the pool: hash, size, strata and a downloadable pool file without names', async () => {
    const freeze = () =>
      call(ministry, 'POST', '/v1/draws/shortlist-2013/freeze', {
        token: officer,
        body: { beaconName: 'drand round 1' },
        headers: { 'idempotency-key': 'freeze-shortlist-2013' },
      });
    const frozen = await freeze();
    expect(frozen.status).toBe(200);
    // A retried freeze (same key, same body) replays the answer instead of failing on the new state.
    const retried = await freeze();
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(frozen.body);
    expect((await officerCall('POST', '/v1/draws/shortlist-2013/freeze', {})).status).toBe(409);
    expect(frozen.body.state).toBe('frozen');
    expect(frozen.body.pool.size).toBe(40);
    expect(
      frozen.body.pool.strata.reduce((a: number, s: { registrants: number }) => a + s.registrants, 0),
    ).toBe(40);
    const res = await call(ministry, 'GET', '/v1/draws/shortlist-2013/pool');
    expect(res.status).toBe(200);
    expect(sha256(res.text)).toBe(frozen.body.pool.hash);
    expect(res.headers.get('etag')).toBe(`"${frozen.body.pool.hash}-tsv"`);
    const notModified = await call(ministry, 'GET', '/v1/draws/shortlist-2013/pool', {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(notModified.status).toBe(304);
    const lines = res.text.slice(0, -1).split('\n');
    expect(lines.map((l) => parsePoolLine(l).registrationNumber)).toEqual([...registered].sort());
    expect(res.text).not.toMatch(/[A-Z][a-z]+ [A-Z][a-z]+/); // no names
    const statuses = await ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('window_id', '=', TEST_WINDOW_ID)
      .distinct()
      .execute();
    expect(statuses.map((s) => s.status)).toEqual(['in_draw_pool']);
    // Results are not public before publication.
    expect((await call(ministry, 'GET', '/v1/draws/shortlist-2013/results')).status).toBe(404);
  });

  it('refuses a reveal that does not match its commitment, writing nothing', async () => {
    const w = witnesses['witness-ministry']!;
    const wrong = await call(ministry, 'POST', '/v1/draws/shortlist-2013/reveals', {
      token: w.token,
      body: { secret: secretOf() },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].pointer).toBe('/body/secret');
    const stranger = await call(ministry, 'POST', '/v1/draws/shortlist-2013/reveals', {
      token: await ctx.token('witness', { sub: 'witness-stranger' }),
      body: { secret: secretOf() },
    });
    expect(stranger.status).toBe(422);
    const draw = await call(ministry, 'GET', '/v1/draws/shortlist-2013');
    expect(draw.body.commitments.every((c: { secret: string | null }) => c.secret === null)).toBe(true);
  });

  it('cannot execute until every witness has revealed and the named beacon is entered', async () => {
    for (const [id, w] of Object.entries(witnesses)) {
      const res = await call(ministry, 'POST', '/v1/draws/shortlist-2013/reveals', {
        token: w.token,
        body: { secret: w.secret },
      });
      expect(res.status, id).toBe(201);
      if (id === 'witness-ministry') {
        const early = await officerCall('POST', '/v1/draws/shortlist-2013/execute');
        expect(early.status).toBe(422);
        expect(early.body.detail).toMatch(/have not revealed/);
      }
    }
    const noBeacon = await officerCall('POST', '/v1/draws/shortlist-2013/execute');
    expect(noBeacon.status).toBe(422);
    expect(noBeacon.body.detail).toMatch(/beacon/);
    const beacon = await officerCall('PUT', '/v1/draws/shortlist-2013/beacon', { value: 'c0ffee-1234' });
    expect(beacon.status).toBe(200);
    expect(beacon.body.state).toBe('revealed');
  });

  it('executes deterministically: the stored result equals the pure engine on the public pool', async () => {
    const executed = await officerCall('POST', '/v1/draws/shortlist-2013/execute');
    expect(executed.status).toBe(200);
    const d = executed.body;
    expect(d.state).toBe('executed');
    expect(d.fairness.tests).toHaveLength(4);
    expect(d.result.selected).toBe(12);
    const poolLines = await fileOf('/v1/draws/shortlist-2013/pool');
    const seed = deriveSeed({
      drawId: 'shortlist-2013',
      poolHash: d.pool.hash,
      reveals: Object.entries(witnesses).map(([witnessId, w]) => ({ witnessId, secret: w.secret })),
      beacon: 'c0ffee-1234',
    });
    expect(d.seed).toBe(seed);
    const pure = runDraw(poolFromLines(poolLines), policy() as never, seed);
    expect(sha256(`${resultLines(pure).join('\n')}\n`)).toBe(d.resultHash);
    // Executing twice is refused; the result stands.
    expect((await officerCall('POST', '/v1/draws/shortlist-2013/execute')).status).toBe(409);
  });

  it('publishes: statuses, SMS to the selected, placements, signed manifest, verifiable files', async () => {
    const published = await officerCall('POST', '/v1/draws/shortlist-2013/publish', {});
    expect(published.status).toBe(200);
    expect(published.body.state).toBe('published');

    const manifestRes = await call(ministry, 'GET', '/v1/draws/shortlist-2013/manifest');
    expect(manifestRes.status).toBe(200);
    expect(manifestRes.headers.get('cache-control')).toContain('immutable');
    const { manifest, jws } = manifestRes.body;
    const jwks = (await call(ministry, 'GET', '/.well-known/jwks.json')).body;
    const verified = await compactVerify(jws, createLocalJWKSet(jwks));
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(manifest);
    expect(manifest).toMatchObject({
      drawId: 'shortlist-2013',
      beacon: 'c0ffee-1234',
      counts: { selected: 12 },
    });

    const poolLines = await fileOf('/v1/draws/shortlist-2013/pool');
    const tsv = await fileOf('/v1/draws/shortlist-2013/results?format=tsv');
    expect(verifyDraw(manifest, poolLines, tsv)).toMatchObject({ ok: true, problems: [] });

    const ndjson = await ministry.request('/v1/draws/shortlist-2013/results');
    expect(ndjson.headers.get('content-type')).toContain('ndjson');
    const rows = (await ndjson.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toEqual(tsv.map((l) => ({ ...parseResultLine(l) })));
    const csv = await call(ministry, 'GET', '/v1/draws/shortlist-2013/results', {
      headers: { accept: 'text/csv' },
    });
    expect(csv.text.split('\n')[0]).toBe('registrationNumber,outcome,rank,stratum,waitlistPosition,order');

    const counts = await ctx.db
      .selectFrom('registrations')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('window_id', '=', TEST_WINDOW_ID)
      .groupBy('status')
      .orderBy('status')
      .execute();
    const byStatus = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
    expect(byStatus.selected).toBe(12);
    expect((byStatus.selected ?? 0) + (byStatus.waitlisted ?? 0) + (byStatus.not_selected ?? 0)).toBe(40);
    const sms = await ctx.db
      .selectFrom('outbox_messages')
      .select('dedupe_key')
      .where('template', '=', 'draw.result')
      .execute();
    expect(sms).toHaveLength(12);
    const placements = await ctx.db
      .selectFrom('placements')
      .select('registration_number')
      .where('draw_id', '=', 'shortlist-2013')
      .execute();
    expect(placements.length).toBeGreaterThan(0);
    const fill = await call(createEmployerApi(ctx.deps), 'GET', `/v1/demands/${orderId}/fill`, {
      token: officer,
    });
    expect(fill.status).toBe(200);
    expect(JSON.stringify(fill.body)).toContain(placements[0]!.registration_number);
    expect(placements.length).toBe(
      tsv.map((l) => parseResultLine(l)).filter((r) => r.outcome === 'selected' && r.order === orderId)
        .length,
    );
    await ctx.chainAudit();
    const actions = (await listAuditLog(ctx.db, { limit: 100, entityType: 'draw' })).map((e) => e.action);
    for (const a of ['create', 'edit', 'commit', 'freeze', 'reveal', 'beacon', 'execute', 'publish']) {
      expect(actions).toContain(`draw.${a}`);
    }
  });

  it('derives a different seed, and so a different result, from any change to one reveal or the beacon', async () => {
    const { manifest } = (await call(ministry, 'GET', '/v1/draws/shortlist-2013/manifest')).body;
    const inputs = {
      drawId: manifest.drawId,
      poolHash: manifest.poolHash,
      reveals: manifest.reveals,
      beacon: manifest.beacon,
    };
    expect(deriveSeed(inputs)).toBe(manifest.seed);
    const variants = [
      ...manifest.reveals.map((_: unknown, k: number) => ({
        ...inputs,
        reveals: manifest.reveals.map((r: { witnessId: string; secret: string }, j: number) =>
          j === k ? { ...r, secret: `${r.secret.slice(0, 63)}${r.secret.endsWith('0') ? '1' : '0'}` } : r,
        ),
      })),
      { ...inputs, beacon: `${manifest.beacon}x` },
      { ...inputs, beacon: null },
    ];
    const pool = poolFromLines(await fileOf('/v1/draws/shortlist-2013/pool'));
    const published = resultLines(runDraw(pool, manifest.policy, manifest.seed));
    for (const variant of variants) {
      const seed = deriveSeed(variant);
      expect(seed).not.toBe(manifest.seed);
      expect(resultLines(runDraw(pool, manifest.policy, seed))).not.toEqual(published);
    }
  });

  it('keeps the frozen pool and the published result unalterable: the database refuses', async () => {
    const attempts = [
      sql`update draw_pool_chunks set bytes = '\\x00' where draw_id = 'shortlist-2013'`,
      sql`delete from draw_pool_chunks where draw_id = 'shortlist-2013'`,
      sql`update draw_result_chunks set seq = seq + 100 where draw_id = 'shortlist-2013'`,
      sql`update draw_results set outcome = 'selected', rank = 1, waitlist_position = null where draw_id = 'shortlist-2013' and outcome = 'waitlisted'`,
      sql`delete from draw_results where draw_id = 'shortlist-2013'`,
      sql`update draws set result_hash = repeat('0', 64) where id = 'shortlist-2013'`,
      sql`update draws set name = 'Renamed' where id = 'shortlist-2013'`,
      sql`delete from draws where id = 'shortlist-2013'`,
      sql`update draw_reveals set secret = repeat('1', 64) where draw_id = 'shortlist-2013'`,
    ];
    for (const statement of attempts) {
      await expect(statement.execute(ctx.db)).rejects.toThrow(
        /not allowed|can no longer change|never deleted/,
      );
    }
  });

  it('marks the append-only draw tables for grantAppRole, and keeps the draws row updatable', async () => {
    const { rows } = await sql<{ table_name: string }>`
      select distinct c.relname as table_name from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgfoid = 'refuse_change'::regproc and c.relname like 'draw%' order by 1
    `.execute(ctx.db);
    expect(rows.map((r) => r.table_name)).toEqual([
      'draw_commitments',
      'draw_pool_chunks',
      'draw_promotions',
      'draw_result_chunks',
      'draw_results',
      'draw_reveals',
    ]);
    await expect(sql`truncate draws cascade`.execute(ctx.db)).rejects.toThrow(/never deleted|not allowed/);
  });

  it('promotes the next eligible waitlisted worker on a dropout, deterministically, with a signed record', async () => {
    const tsv = (await fileOf('/v1/draws/shortlist-2013/results?format=tsv')).map((l) => parseResultLine(l));
    const poolEntries = new Map(
      (await fileOf('/v1/draws/shortlist-2013/pool')).map((l) => {
        const e = parsePoolLine(l);
        return [e.registrationNumber, e];
      }),
    );
    // A selected worker whose stratum has a waitlist.
    const dropped = tsv.find(
      (r) =>
        r.outcome === 'selected' && tsv.some((w) => w.outcome === 'waitlisted' && w.stratum === r.stratum),
    )!;
    const expected = nextPromotion(
      policy() as never,
      { stratum: dropped.stratum, orderId: dropped.order },
      tsv
        .filter((r) => r.outcome === 'waitlisted')
        .map((row) => ({ row, entry: poolEntries.get(row.registrationNumber)! })),
      [dropped.registrationNumber],
    );
    const res = await officerCall('POST', '/v1/draws/shortlist-2013/dropouts', {
      registrationNumber: dropped.registrationNumber,
      reason: 'withdrew',
    });
    expect(res.status).toBe(201);
    expect(res.body.record.promoted?.registrationNumber ?? null).toBe(expected?.registrationNumber ?? null);
    const jwks = (await call(ministry, 'GET', '/.well-known/jwks.json')).body;
    const verified = await compactVerify(res.body.jws, createLocalJWKSet(jwks));
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(res.body.record);
    const again = await officerCall('POST', '/v1/draws/shortlist-2013/dropouts', {
      registrationNumber: dropped.registrationNumber,
      reason: 'withdrew',
    });
    expect(again.status).toBe(409);
    const notSelected = tsv.find((r) => r.outcome === 'not-selected')!;
    expect(
      (
        await officerCall('POST', '/v1/draws/shortlist-2013/dropouts', {
          registrationNumber: notSelected.registrationNumber,
          reason: 'withdrew',
        })
      ).status,
    ).toBe(422);
    const list = await call(ministry, 'GET', '/v1/draws/shortlist-2013/promotions');
    expect(list.body.items).toHaveLength(1);
    if (expected) {
      const promoted = await ctx.db
        .selectFrom('registrations')
        .select('status')
        .where('registration_number', '=', expected.registrationNumber)
        .executeTakeFirstOrThrow();
      expect(promoted.status).toBe('selected');
    }
    // The published result did not change.
    const after = await fileOf('/v1/draws/shortlist-2013/results?format=tsv');
    expect(after.map((l) => parseResultLine(l))).toEqual(tsv);
    await expect(sql`delete from draw_promotions`.execute(ctx.db)).rejects.toThrow(/not allowed/);
  });

  it('on a dropout of a worker allocated to an order, fails the placement and hands it to the promoted worker', async () => {
    const promotionsBefore = (await call(ministry, 'GET', '/v1/draws/shortlist-2013/promotions')).body.items;
    const used = new Set(
      promotionsBefore.flatMap(
        (p: {
          record: {
            dropped: { registrationNumber: string };
            promoted: { registrationNumber: string } | null;
          };
        }) => [
          p.record.dropped.registrationNumber,
          ...(p.record.promoted ? [p.record.promoted.registrationNumber] : []),
        ],
      ),
    );
    const rows = (await fileOf('/v1/draws/shortlist-2013/results?format=tsv')).map((l) => parseResultLine(l));
    const allocated = rows.find(
      (r) => r.outcome === 'selected' && r.order === orderId && !used.has(r.registrationNumber),
    )!;
    expect(allocated).toBeDefined();
    const res = await officerCall('POST', '/v1/draws/shortlist-2013/dropouts', {
      registrationNumber: allocated.registrationNumber,
      reason: 'medical_failed',
    });
    expect(res.status).toBe(201);
    expect(res.body.record.vacancy).toEqual({ stratum: allocated.stratum, orderId });
    const placements = await ctx.db
      .selectFrom('placements')
      .select(['id', 'registration_number', 'stage', 'replaces', 'replaced_by'])
      .where('draw_id', '=', 'shortlist-2013')
      .execute();
    const failed = placements.find((p) => p.registration_number === allocated.registrationNumber)!;
    expect(failed.stage).toBe('medical_failed');
    const promoted = res.body.record.promoted;
    if (promoted) {
      const replacement = placements.find((p) => p.registration_number === promoted.registrationNumber)!;
      expect(replacement).toMatchObject({ stage: 'selected', replaces: failed.id });
      expect(failed.replaced_by).toBe(replacement.id);
    } else {
      expect(failed.replaced_by).toBeNull();
    }
  });

  it('runs a next stage over the selected set, less dropouts, plus promotions', async () => {
    const created = await officerCall('POST', '/v1/draws', {
      id: 'medical-2013',
      name: 'Medical call-up',
      source: { drawId: 'shortlist-2013' },
      policy: {
        total: 5,
        quota: { level: 'none', basis: 'registrants' },
        orders: [],
        waitlist: { per: 'none' },
      },
    });
    expect(created.status).toBe(201);
    for (const id of ['witness-ministry', 'witness-civil']) {
      const secret = secretOf();
      witnesses[id] = { ...witnesses[id]!, secret };
      await call(ministry, 'POST', '/v1/draws/medical-2013/commitments', {
        token: witnesses[id]!.token,
        body: { commitment: commitmentOf(secret) },
      });
    }
    const frozen = await officerCall('POST', '/v1/draws/medical-2013/freeze', {});
    expect(frozen.status).toBe(200);
    const promotions = (await call(ministry, 'GET', '/v1/draws/shortlist-2013/promotions')).body.items;
    const net = promotions.reduce(
      (n: number, p: { record: { promoted: unknown } }) => n - 1 + (p.record.promoted ? 1 : 0),
      12,
    );
    expect(frozen.body.pool.size).toBe(net);
    for (const id of ['witness-ministry', 'witness-civil']) {
      await call(ministry, 'POST', '/v1/draws/medical-2013/reveals', {
        token: witnesses[id]!.token,
        body: { secret: witnesses[id]!.secret },
      });
    }
    expect((await officerCall('POST', '/v1/draws/medical-2013/execute')).status).toBe(200);
    expect((await officerCall('POST', '/v1/draws/medical-2013/publish', {})).status).toBe(200);
    const { manifest } = (await call(ministry, 'GET', '/v1/draws/medical-2013/manifest')).body;
    const report = verifyDraw(
      manifest,
      await fileOf('/v1/draws/medical-2013/pool'),
      await fileOf('/v1/draws/medical-2013/results?format=tsv'),
    );
    expect(report.ok).toBe(true);
  });

  it('voids an unpublished draw with a reason (audited), and never a published one', async () => {
    await officerCall('POST', '/v1/draws', {
      id: 'abandoned-2013',
      name: 'Abandoned',
      source: { windowId: TEST_WINDOW_ID },
      policy: policy(),
    });
    const voided = await officerCall('POST', '/v1/draws/abandoned-2013/void', {
      reason: 'Witness unavailable',
    });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({
      state: 'voided',
      voidReason: 'Witness unavailable',
      voidedFrom: 'draft',
    });
    expect(
      (await officerCall('POST', '/v1/draws/shortlist-2013/void', { reason: 'Second thoughts' })).status,
    ).toBe(409);
    const list = await call(ministry, 'GET', '/v1/draws');
    expect(list.body.items.map((d: { id: string }) => d.id).sort()).toEqual([
      'abandoned-2013',
      'medical-2013',
      'shortlist-2013',
    ]);
    expect(list.headers.get('etag')).toBeTruthy();
  });
});
