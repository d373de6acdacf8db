import type { ApprovedOrder, DemoStep } from '../context.ts';
import { check, need } from '../context.ts';

const COMPANIES = [
  ['Sawit Makmur Plantations Sdn Bhd', 'plantation', 'Ladang Sungai Buloh, Selangor'],
  ['Kinabalu Estates Sdn Bhd', 'plantation', 'Ladang Tawau, Sabah'],
  ['Pahang Palm Holdings Sdn Bhd', 'plantation', 'Ladang Jerantut, Pahang'],
  ['Johor Binaan Sdn Bhd', 'construction', 'Iskandar Puteri, Johor'],
  ['Penang Precision Manufacturing Sdn Bhd', 'manufacturing', 'Bayan Lepas, Pulau Pinang'],
  ['Sarawak Timber Works Sdn Bhd', 'manufacturing', 'Bintulu, Sarawak'],
  ['Klang Valley Builders Sdn Bhd', 'construction', 'Shah Alam, Selangor'],
  ['Perak Rubber Estates Sdn Bhd', 'plantation', 'Ladang Teluk Intan, Perak'],
] as const;

const JOB = {
  plantation: 'Oil palm harvester',
  construction: 'General construction worker',
  manufacturing: 'Machine operator',
  services: 'Cleaner',
} as Record<string, string>;

interface DemandOrder {
  id: string;
  status: string;
  workersApproved: number | null;
}

/**
 * Destination employers register (their own accounts), the committee approves them; each files demand
 * for workers in its sector and submits it; the committee approves most orders in full, some for fewer
 * workers than requested, and rejects one. Demand is kept under 1% of registrants, as in 2013.
 */
export const employerDemand: DemoStep = {
  id: 'demand',
  title: 'Employers and demand (destination committee)',
  async run(ctx) {
    const schemeId = need(ctx.state.schemeId, 'the scheme');
    const { random } = ctx;
    const registrants = ctx.options.registrants;
    const employerCount = Math.min(COMPANIES.length * 4, Math.max(3, Math.round(registrants / 8000) + 3));
    // Around 0.8% of registrants, at least a handful of vacancies.
    const target = Math.max(6, Math.round(registrants * 0.008));
    const committee = await ctx.token('committee', { sub: 'committee-demo' });
    const start = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
    const employers: string[] = [];
    const orders: ApprovedOrder[] = [];
    let rejected = 0;
    let approvedForFewer = 0;
    let requestedSoFar = 0;
    const bar = ctx.progress('employers and demand', employerCount);
    for (let e = 0; e < employerCount; e++) {
      const [legalName, sector, location] = COMPANIES[e % COMPANIES.length]!;
      const id = `demo-${ctx.options.runId}-emp-${e + 1}`;
      const employer = await ctx.token('employer', { employer: id, sub: `hr-${id}` });
      await ctx.apis.employer.post(
        '/v1/employers',
        {
          legalName:
            e < COMPANIES.length ? legalName : `${legalName} (${Math.floor(e / COMPANIES.length) + 1})`,
          country: 'MY',
          companyRegistrationNumber: `${ctx.options.runId}-${String(e + 1).padStart(4, '0')}`,
          sector,
          address: location,
          contact: { name: 'HR officer', email: null, phone: `+6031234${String(e).padStart(4, '0')}` },
        },
        { token: employer, idempotencyKey: `${id}-account` },
      );
      await ctx.apis.employer.post(`/v1/employers/${id}/approve`, undefined, {
        token: committee,
        idempotencyKey: `${id}-approve`,
      });
      employers.push(id);
      // Spread the target over the employers; the last ones take what is left.
      const share = Math.max(1, Math.round((target - requestedSoFar) / (employerCount - e)));
      const requested = e === employerCount - 1 ? Math.max(1, target - requestedSoFar) : share;
      requestedSoFar += requested;
      const body = {
        schemeId,
        sector,
        jobTitle: JOB[sector] ?? 'Worker',
        trade: null,
        requiredSkills: [],
        workersRequested: requested,
        gender: e % 5 === 4 ? 'any' : 'male',
        ageRange: { min: 21, max: 40 },
        monthlyWage: { amountMinor: 90_000 + 5_000 * random.int(5), currency: 'MYR' },
        contractMonths: 36,
        workLocation: location,
        accommodation: {
          provided: true,
          monthlyDeduction: { amountMinor: 5_000, currency: 'MYR' },
          terms: 'Shared quarters provided by the employer',
        },
        food: {
          provided: false,
          monthlyDeduction: { amountMinor: 0, currency: 'MYR' },
          terms: 'Not provided',
        },
        expectedStartDate: start,
      };
      const filed = await ctx.apis.employer.post<DemandOrder>('/v1/demands', body, {
        token: employer,
        idempotencyKey: `${id}-demand-1`,
      });
      const orderId = filed.body.id;
      await ctx.apis.employer.post(`/v1/demands/${orderId}/submit`, undefined, {
        token: employer,
        idempotencyKey: `${id}-submit-1`,
      });
      if (e === 1) {
        await ctx.apis.employer.post(
          `/v1/demands/${orderId}/reject`,
          { reason: 'The accommodation terms do not name the site; file again with the address.' },
          { token: committee, idempotencyKey: `${id}-reject-1` },
        );
        rejected++;
        requestedSoFar -= requested;
      } else {
        const fewer = e % 3 === 2 && requested > 1;
        const approve = fewer ? Math.max(1, Math.floor(requested * 0.7)) : requested;
        const approved = await ctx.apis.employer.post<DemandOrder>(
          `/v1/demands/${orderId}/approve`,
          { workersApproved: approve, ...(fewer ? { note: 'Approved for fewer: housing capacity' } : {}) },
          { token: committee, idempotencyKey: `${id}-approve-1` },
        );
        check(approved.body.status === 'approved', `order ${orderId} approved`);
        check(approved.body.workersApproved === approve, `order ${orderId} approved for ${approve}`);
        if (fewer) approvedForFewer++;
        orders.push({
          id: orderId,
          employerId: id,
          sector,
          gender: body.gender,
          workersRequested: requested,
          workersApproved: approve,
          ageRange: body.ageRange,
        });
      }
      bar.advance();
    }
    bar.done();
    const approvedTotal = orders.reduce((s, o) => s + o.workersApproved, 0);
    ctx.state.demand = { employers, orders, rejected, approvedForFewer };
    ctx.state.summary.set('approved vacancies', approvedTotal.toLocaleString('en'));
    ctx.log(`${employers.length} employers, ${orders.length} approved orders, ${approvedTotal} vacancies`);
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        `${employers.length} employers registered their own accounts through the employer API and were approved by the committee. Each filed one order and submitted it; the committee approved ${orders.length} (${approvedForFewer} for fewer workers than requested) and rejected ${rejected}. Approved vacancies: **${approvedTotal.toLocaleString('en')}**, ${((approvedTotal / Math.max(1, registrants)) * 100).toFixed(2)}% of registrants.`,
        '',
        '| Order | Employer | Sector | Gender | Requested | Approved |',
        '| --- | --- | --- | --- | --- | --- |',
        ...orders.map(
          (o) =>
            `| \`${o.id.slice(0, 8)}\` | ${o.employerId} | ${o.sector} | ${o.gender} | ${o.workersRequested} | ${o.workersApproved} |`,
        ),
      ].join('\n'),
    });
  },
};
