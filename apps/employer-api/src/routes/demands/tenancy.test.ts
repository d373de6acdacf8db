import { randomUUID } from 'node:crypto';
import { call } from '@g2g/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemandTestKit, demandBody, demandTestKit } from '../test-support.ts';

let kit: DemandTestKit;
/** Orders of felda (the owner) in each status, and of sime (the other employer). */
let felda: Record<'draft' | 'submitted' | 'approved', string>;
let sime: Record<'draft' | 'approved', string>;
let placementOfFelda: string;

beforeAll(async () => {
  kit = await demandTestKit();
  felda = {
    draft: await kit.orderIn('draft'),
    submitted: await kit.orderIn('submitted'),
    approved: await kit.orderIn('approved'),
  };
  sime = {
    draft: await kit.orderIn('draft', { token: kit.tokens.otherEmployer }),
    approved: await kit.orderIn('approved', { token: kit.tokens.otherEmployer }),
  };
  const fill = await call(kit.app, 'GET', `/v1/demands/${felda.approved}/fill`, { token: kit.tokens.owner });
  placementOfFelda = fill.body.placements[0].id;
});
afterAll(() => kit.close());

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((o) => o.id).sort();

describe("an employer never reads or changes another employer's orders", () => {
  it("answers every read of another's order exactly as for an id that does not exist", async () => {
    const sime = kit.tokens.otherEmployer;
    const missing = randomUUID();
    for (const suffix of ['', '/versions', '/versions/1', '/fill']) {
      const theirs = await call(kit.app, 'GET', `/v1/demands/${felda.approved}${suffix}`, { token: sime });
      const nothing = await call(kit.app, 'GET', `/v1/demands/${missing}${suffix}`, { token: sime });
      expect(theirs.status).toBe(404);
      expect(nothing.status).toBe(404);
      expect(theirs.body.detail.replace(felda.approved, 'ID')).toBe(
        nothing.body.detail.replace(missing, 'ID'),
      );
      expect(Object.keys(theirs.body).sort()).toEqual(Object.keys(nothing.body).sort());
      expect(theirs.text).not.toContain('felda');
    }
  });

  it('refuses every change to it with 404, and changes nothing', async () => {
    const sime = kit.tokens.otherEmployer;
    const attempts: [string, string, unknown][] = [
      ['PATCH', felda.draft, { jobTitle: 'Hijacked' }],
      ['POST', `${felda.draft}/submit`, undefined],
      ['POST', `${felda.draft}/close`, { outcome: 'cancelled', reason: 'Sabotage' }],
      ['POST', `${felda.approved}/close`, { outcome: 'cancelled', reason: 'Sabotage' }],
      ['PATCH', felda.approved, { jobTitle: 'Hijacked', reason: 'Sabotage' }],
      ['POST', `${felda.approved}/placements/${placementOfFelda}/arrival`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(kit.app, method, `/v1/demands/${path}`, {
        token: sime,
        ...(body !== undefined ? { body } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const draft = await call(kit.app, 'GET', `/v1/demands/${felda.draft}`, { token: kit.tokens.owner });
    expect(draft.body).toMatchObject({ status: 'draft', version: 1, jobTitle: 'Oil palm harvester' });
    const approved = await call(kit.app, 'GET', `/v1/demands/${felda.approved}`, { token: kit.tokens.owner });
    expect(approved.body).toMatchObject({ status: 'approved', version: 1 });
  });

  it('lists only its own orders, whatever filter it asks for', async () => {
    const own = await call(kit.app, 'GET', '/v1/demands', { token: kit.tokens.owner });
    expect(ids(own)).toEqual(Object.values(felda).sort());
    const asked = await call(kit.app, 'GET', '/v1/demands?employerId=sime', { token: kit.tokens.owner });
    expect(asked.status).toBe(200);
    expect(asked.body.items).toEqual([]);
    const theirs = await call(kit.app, 'GET', '/v1/demands', { token: kit.tokens.otherEmployer });
    expect(ids(theirs)).toEqual(Object.values(sime).sort());
  });

  it('pages its own list without ever reaching into another', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/demands?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call(kit.app, 'GET', path, { token: kit.tokens.owner });
      seen.push(...page.body.items.map((o: { id: string; employerId: string }) => o.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(Object.values(felda).sort());
  });

  it("cannot file demand for another employer: the order is always the token's employer's", async () => {
    const res = await call(kit.app, 'POST', '/v1/demands', {
      token: kit.tokens.otherEmployer,
      body: { ...demandBody(), employerId: 'felda' },
    });
    expect(res.status).toBe(201);
    expect(res.body.employerId).toBe('sime');
  });
});

describe('the committee, ministry officers and auditors', () => {
  it('the committee sees every order', async () => {
    const all = await call(kit.app, 'GET', '/v1/demands?limit=200', { token: kit.tokens.committee });
    expect(ids(all)).toEqual(expect.arrayContaining([...Object.values(felda), ...Object.values(sime)]));
    expect(
      (await call(kit.app, 'GET', `/v1/demands/${felda.draft}`, { token: kit.tokens.committee })).status,
    ).toBe(200);
  });

  it('officers and auditors read approved demand only: drafts and submissions are 404 and never listed', async () => {
    for (const token of [kit.tokens.ministry_officer, kit.tokens.auditor]) {
      const list = await call(kit.app, 'GET', '/v1/demands?limit=200', { token });
      expect(list.body.items.every((o: { approvedAt: string | null }) => o.approvedAt !== null)).toBe(true);
      expect(ids(list)).toEqual([felda.approved, sime.approved].sort());
      expect((await call(kit.app, 'GET', `/v1/demands/${felda.submitted}`, { token })).status).toBe(404);
      expect((await call(kit.app, 'GET', `/v1/demands/${felda.draft}/versions`, { token })).status).toBe(404);
      expect((await call(kit.app, 'GET', `/v1/demands/${felda.approved}/fill`, { token })).status).toBe(200);
    }
  });

  it('other roles read no demand at all', async () => {
    for (const token of [kit.tokens.witness, kit.tokens.centre_operator]) {
      expect((await call(kit.app, 'GET', '/v1/demands', { token })).status).toBe(403);
      expect((await call(kit.app, 'GET', `/v1/demands/${felda.approved}`, { token })).status).toBe(403);
    }
    expect((await call(kit.app, 'GET', '/v1/demands')).status).toBe(401);
  });

  it('answers an id that is not a UUID with 400, never a database error', async () => {
    const res = await call(kit.app, 'GET', '/v1/demands/1', { token: kit.tokens.committee });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].pointer).toBe('/path/demandId');
  });
});
