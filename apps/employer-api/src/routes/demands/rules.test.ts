import { createWindow, geography, updateSchemeRules } from '@g2g/db';
import { sampleScheme } from '@g2g/db/testing';
import { money } from '@g2g/domain';
import { call } from '@g2g/http/testing';
import { resolveSchedule } from '@g2g/registration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemandTestKit, demandBody, demandTestKit } from '../test-support.ts';

let kit: DemandTestKit;
beforeAll(async () => {
  kit = await demandTestKit();
});
afterAll(() => kit.close());

const file = (body: Record<string, unknown>) =>
  call(kit.app, 'POST', '/v1/demands', { token: kit.tokens.owner, body });
const pointers = (body: { errors: { pointer: string }[] }) => body.errors.map((e) => e.pointer);

describe('scheme rules on filing (422 rule-violated, naming the rule, with a pointer)', () => {
  it.each([
    ['sector-allowed', { sector: 'mining' }, '/body/sector'],
    [
      'minimum-wage',
      { monthlyWage: { amountMinor: 89999, currency: 'MYR' } },
      '/body/monthlyWage/amountMinor',
    ],
    [
      'wage-currency',
      { monthlyWage: { amountMinor: 5000000, currency: 'BDT' } },
      '/body/monthlyWage/currency',
    ],
    ['max-contract-months', { contractMonths: 37 }, '/body/contractMonths'],
    ['age-limits', { ageRange: { min: 16, max: 30 } }, '/body/ageRange/min'],
    ['age-limits', { ageRange: { min: 21, max: 50 } }, '/body/ageRange/max'],
    ['start-date-not-past', { expectedStartDate: '2013-01-01' }, '/body/expectedStartDate'],
  ])('%s (%o)', async (rule, change, pointer) => {
    const res = await file(demandBody(change));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'rule-violated',
      type: 'urn:g2g:problem:rule-violated',
      rules: [rule],
    });
    expect(res.body.detail).toContain(rule);
    expect(res.body.errors).toEqual([{ pointer, detail: expect.stringMatching(new RegExp(`^${rule}: `)) }]);
  });

  it('names every broken rule at once, and files nothing', async () => {
    const before = await call(kit.app, 'GET', '/v1/demands', { token: kit.tokens.owner });
    const res = await file(
      demandBody({ sector: 'mining', contractMonths: 60, ageRange: { min: 15, max: 60 } }),
    );
    expect(res.status).toBe(422);
    expect(res.body.rules).toEqual(['sector-allowed', 'max-contract-months', 'age-limits']);
    expect(pointers(res.body)).toEqual([
      '/body/sector',
      '/body/contractMonths',
      '/body/ageRange/min',
      '/body/ageRange/max',
    ]);
    const after = await call(kit.app, 'GET', '/v1/demands', { token: kit.tokens.owner });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('answers malformed fields with 400 and pointers, before any rule', async () => {
    const res = await file(
      demandBody({
        gender: 'women',
        workersRequested: 0,
        monthlyWage: { amountMinor: 1.5, currency: 'MYR' },
      }),
    );
    expect(res.status).toBe(400);
    expect(pointers(res.body).sort()).toEqual([
      '/body/gender',
      '/body/monthlyWage/amountMinor',
      '/body/workersRequested',
    ]);
    const inconsistent = await file(
      demandBody({
        ageRange: { min: 40, max: 30 },
        food: { provided: false, monthlyDeduction: { amountMinor: 100, currency: 'MYR' }, terms: 'none' },
      }),
    );
    expect(inconsistent.status).toBe(400);
    expect(pointers(inconsistent.body)).toEqual([
      '/body/ageRange/max',
      '/body/food/monthlyDeduction/amountMinor',
    ]);
    const unknownScheme = await file(demandBody({ schemeId: 'no-such-scheme' }));
    expect(unknownScheme.status).toBe(400);
    expect(pointers(unknownScheme.body)).toEqual(['/body/schemeId']);
  });

  it('apply to amendments too', async () => {
    const id = await kit.orderIn('draft');
    const res = await call(kit.app, 'PATCH', `/v1/demands/${id}`, {
      token: kit.tokens.owner,
      body: { monthlyWage: { amountMinor: 50000, currency: 'MYR' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.rules).toEqual(['minimum-wage']);
  });

  it('are checked again on submission and approval against the rules in force, pointing into the order', async () => {
    const draft = await kit.orderIn('draft');
    const submitted = await kit.orderIn('submitted');
    const tighten = (minMonthlyWageMinor: bigint) =>
      kit.ctx.db.transaction().execute((trx) =>
        updateSchemeRules(
          trx,
          sampleScheme.id,
          { ...sampleScheme.rules, minMonthlyWageMinor },
          'Minimum wage order',
          {
            actor: { sub: 'officer-1', role: 'ministry_officer' },
            at: new Date(),
          },
        ),
      );
    await tighten(120000n);
    try {
      const submit = await call(kit.app, 'POST', `/v1/demands/${draft}/submit`, { token: kit.tokens.owner });
      expect(submit.status).toBe(422);
      expect(submit.body.errors).toEqual([
        { pointer: '/order/monthlyWage/amountMinor', detail: 'minimum-wage: at least RM 1,200.00 a month' },
      ]);
      const approve = await call(kit.app, 'POST', `/v1/demands/${submitted}/approve`, {
        token: kit.tokens.committee,
        body: { workersApproved: 1 },
      });
      expect(approve.status).toBe(422);
      expect(approve.body.rules).toEqual(['minimum-wage']);
    } finally {
      await tighten(sampleScheme.rules.minMonthlyWageMinor);
    }
    expect(
      (await call(kit.app, 'POST', `/v1/demands/${draft}/submit`, { token: kit.tokens.owner })).status,
    ).toBe(200);
  });
});

describe("the scheme's registration windows", () => {
  it('narrow the ages an order may ask for to those some window registers', async () => {
    const { divisionIds } = await geography(kit.ctx.db);
    const at = new Date();
    await kit.ctx.db.transaction().execute((trx) =>
      createWindow(
        trx,
        {
          id: 'young-workers-window',
          schemeId: 'g2g-malaysia-2013',
          name: 'Ages 18 to 40',
          sectors: ['plantation'],
          schedule: resolveSchedule(
            { opensAt: at, closesAt: new Date(at.getTime() + 86_400_000) },
            [],
            divisionIds,
          ),
          eligibility: {
            minAge: 18,
            maxAge: 40,
            ageReferenceDate: null,
            genders: ['male', 'female'],
            citizenship: 'BD',
          },
          serviceCharge: money(5000, 'BDT'),
        },
        { actor: { sub: 'officer-1', role: 'ministry_officer' }, at },
      ),
    );
    const tooOld = await file(demandBody({ ageRange: { min: 21, max: 44 } }));
    expect(tooOld.status).toBe(422);
    expect(tooOld.body).toMatchObject({ rules: ['age-limits'], errors: [{ pointer: '/body/ageRange/max' }] });
    expect((await file(demandBody({ ageRange: { min: 21, max: 40 } }))).status).toBe(201);
  });
});
