import { barChartSvg } from '../charts.ts';
import { inParallel } from '../client.ts';
import type { DemoStep, FeesState } from '../context.ts';
import { check, need } from '../context.ts';

/** Taka in poisha (the scheme currency's minor unit). */
const tk = (taka: number) => ({ amountMinor: Math.round(taka * 100), currency: 'BDT' });
const taka = (poisha: number) => `Tk ${Math.round(poisha / 100).toLocaleString('en')}`;

/** The scheme's cap: Tk 40,000 per worker, everything included (the 2013 G2G figure). */
export const FEE_CAP_POISHA = 4_000_000;
/** What a worker paid a private recruiter for Malaysia before the scheme (US$). */
const BASELINE_USD = [3_000, 4_000] as const;
const USD_BDT = '78.50';
const MYR_BDT = '25.60';

interface Money {
  amountMinor: number;
  currency: string;
  major: string;
}
interface Posting {
  entry: { id: string };
  findingsRaised: { kind: string; summary: string }[];
  position: { paidByWorker: Money; status: 'within_cap' | 'near_cap' | 'over_cap'; openFindings: number };
}
interface Amount {
  amountMinor: number;
  currency: string;
}
interface Distribution {
  workers: number;
  median: Amount | null;
  p90: Amount | null;
  max: Amount | null;
  capAsOf: Amount | null;
  withinCap: number;
  nearCap: number;
  overCap: number;
  baselineLow: Amount;
  baselineHigh: Amount;
  atOrAboveBaselineLow: number;
}
interface Finding {
  id: string;
  kind: string;
  registrationNumber: string;
  summary: string;
  resolvedAt: string | null;
}

type Payee = { kind: 'registered'; registryId: string } | { kind: 'unlicensed_individual'; name: string };
interface Receipt {
  category: string;
  amount: { amountMinor: number; currency: string };
  payee: Payee;
  payer: 'worker' | 'employer';
  receiptRef: string;
}

/** Payee kinds that hold a licence (the registry refuses one for the others). */
const LICENSED: readonly string[] = ['recruiting_agency', 'medical_centre', 'training_centre'];

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The fee ledger (issue 6) over the ministry, employer and registration APIs: the scheme's fee policy
 * (a Tk 40,000 cap; visa and work-permit levy employer-only), the payee registry, exchange rates, then
 * official receipts for every selected worker (most within the cap, a few over it, one paid to an
 * unlicensed individual, one employer-only cost paid by a worker), an employer's declaration and one
 * worker's own report; the findings, the reports by payee and the cost distribution are read back.
 */
export const feeStep: DemoStep = {
  id: 'fees',
  title: 'Fees against the cap, and the findings',
  async run(ctx) {
    const schemeId = need(ctx.state.schemeId, 'the scheme');
    const promotions = need(ctx.state.promotions, 'the dropouts');
    const orders = need(ctx.state.demand, 'the demand').orders;
    const registered = need(ctx.state.registration, 'the registrations').registered;
    const officer = await ctx.token('ministry_officer', { sub: 'fee-officer-demo' });
    const auditor = await ctx.token('auditor', { sub: 'auditor-demo' });
    const { ministry, employer, registration } = ctx.apis;
    const run = ctx.options.runId;
    const today = day(0);

    // 1. The policy: one version for the scheme, a fixed cap and a rule for every cost category.
    const mayPay = (limitTaka?: number) => ({
      kind: 'worker_may_pay',
      limit: limitTaka === undefined ? null : tk(limitTaka),
    });
    const policyVersionId = `g2g-${run}-fees-v1`;
    await ministry.post(
      `/v1/fee-policies/${schemeId}/versions`,
      {
        id: policyVersionId,
        currency: 'BDT',
        effectiveFrom: day(-60),
        effectiveTo: null,
        cap: { kind: 'fixed', amount: { amountMinor: FEE_CAP_POISHA, currency: 'BDT' } },
        categories: {
          registration_service_charge: mayPay(50),
          passport: mayPay(),
          medical_test: mayPay(4_000),
          skills_test: mayPay(),
          training_orientation: mayPay(),
          visa: { kind: 'employer_only' },
          work_permit_levy: { kind: 'employer_only' },
          insurance: mayPay(),
          welfare_fund: mayPay(),
          airfare: mayPay(),
          recruitment_service_charge: mayPay(),
          other: mayPay(),
        },
      },
      { token: officer, idempotencyKey: `${policyVersionId}-create` },
    );

    // 2. The payee registry: who may be paid; agencies, medical and training centres with a licence
    // valid from a year ago.
    const licence = (n: string) => [{ number: n, validFrom: day(-365), validTo: null }];
    const payees = {
      boesl: { kind: 'government_office', name: 'Bangladesh Overseas Employment and Services Ltd (BOESL)' },
      passport: { kind: 'government_office', name: 'Department of Immigration and Passports' },
      welfare: { kind: 'government_office', name: "Wage Earners' Welfare Board" },
      medical: { kind: 'medical_centre', name: 'GAMCA-approved medical centre, Dhaka' },
      training: { kind: 'training_centre', name: 'Technical Training Centre, Mirpur' },
      agency: { kind: 'recruiting_agency', name: 'Licensed recruiting agency (RL-0042)' },
      airline: { kind: 'airline', name: 'Biman Bangladesh Airlines' },
      immigration: { kind: 'government_office', name: 'Immigration Department of Malaysia' },
    } as const;
    const registryId = (key: keyof typeof payees) => `demo-${run}-${key}`;
    for (const [key, p] of Object.entries(payees) as [
      keyof typeof payees,
      (typeof payees)[keyof typeof payees],
    ][]) {
      await ministry.post(
        '/v1/fee-payees',
        {
          registryId: registryId(key),
          kind: p.kind,
          name: p.name,
          licences: LICENSED.includes(p.kind) ? licence(`${key.toUpperCase()}-${run}`) : [],
        },
        { token: officer, idempotencyKey: `${registryId(key)}-payee` },
      );
    }
    const registeredPayee = (key: keyof typeof payees): Payee => ({
      kind: 'registered',
      registryId: registryId(key),
    });
    const broker: Payee = {
      kind: 'unlicensed_individual',
      name: 'Local broker (dalal), not in the registry',
    };

    // 3. Exchange rates (US$ for the private-recruitment baseline, ringgit for employers' payments).
    // A rate is one per pair and day across the platform: an earlier run's rate for today stands.
    const known = (
      await ministry.get<{ items: { base: string; quote: string; rate: string; date: string }[] }>(
        `/v1/exchange-rates?from=${today}&to=${today}`,
        { token: officer },
      )
    ).body.items;
    const rates: Record<string, string> = {};
    for (const [base, rate] of [
      ['USD', USD_BDT],
      ['MYR', MYR_BDT],
    ] as const) {
      const existing = known.find((r) => r.base === base && r.quote === 'BDT' && r.date === today);
      rates[base] = existing?.rate ?? rate;
      if (existing) continue;
      await ministry.post(
        '/v1/exchange-rates',
        { base, quote: 'BDT', rate, date: today, source: 'Bangladesh Bank reference rate (demo figure)' },
        { token: officer, idempotencyKey: `rate-${base}-BDT-${today}-${run}` },
      );
    }

    // 4. Receipts for every selected worker: the standard costs, most within the cap.
    const workers = promotions.selected;
    check(workers.length > 0, 'there are selected workers to record fees for');
    const pick = () => workers[ctx.random.int(workers.length)]!.registrationNumber;
    const overCap = new Set<string>();
    const overCount = Math.max(2, Math.round(workers.length * 0.03));
    while (overCap.size < Math.min(overCount, workers.length)) overCap.add(pick());
    const unlicensed = pick();
    const employerOnly = workers.find(
      (w) => !overCap.has(w.registrationNumber) && w.registrationNumber !== unlicensed,
    )?.registrationNumber;
    const plan = new Map<string, Receipt[]>();
    for (const [i, w] of workers.entries()) {
      const n = w.registrationNumber;
      const r = (category: string, amountTaka: number, payee: Payee): Receipt => ({
        category,
        amount: tk(amountTaka),
        payee,
        payer: 'worker',
        receiptRef: `${category.slice(0, 3).toUpperCase()}-${run}-${String(i + 1).padStart(5, '0')}`,
      });
      const receipts = [
        r('registration_service_charge', 50, registeredPayee('boesl')),
        r('passport', 3_450, registeredPayee('passport')),
        r('medical_test', 3_000, registeredPayee('medical')),
        r('training_orientation', 2_500, registeredPayee('training')),
        r('insurance', 490, registeredPayee('welfare')),
        r('welfare_fund', 3_500, registeredPayee('welfare')),
        r('airfare', 20_000 + 500 * ctx.random.int(11), registeredPayee('airline')),
      ];
      if (overCap.has(n))
        receipts.push(
          r('recruitment_service_charge', 8_000 + 1_000 * ctx.random.int(8), registeredPayee('agency')),
        );
      if (n === unlicensed) receipts.push(r('other', 25_000, broker));
      if (n === employerOnly) receipts.push(r('visa', 6_000, registeredPayee('agency')));
      plan.set(n, receipts);
    }
    const total = [...plan.values()].reduce((s, r) => s + r.length, 0);
    const positions = new Map<string, Posting['position']>();
    const raised: Posting['findingsRaised'] = [];
    const bar = ctx.progress('fee receipts', total);
    const started = performance.now();
    await inParallel([...plan], ctx.options.concurrency, async ([n, receipts]) => {
      // One worker's receipts in order (a posting locks the worker's ledger), workers in parallel.
      for (const [k, receipt] of receipts.entries()) {
        const res = await ministry.post<Posting>(
          '/v1/fee-entries',
          { registrationNumber: n, valueDate: today, source: 'official_receipt', ...receipt },
          { token: officer, idempotencyKey: `fee-${run}-${n}-${k}` },
        );
        positions.set(n, res.body.position);
        raised.push(...res.body.findingsRaised);
        bar.advance();
      }
    });
    bar.done();
    const seconds = (performance.now() - started) / 1000;

    // 5. An employer declares a cost it paid itself for one of its allocated workers (in ringgit).
    const allocated = workers.find((w) => w.order !== null);
    let declaration: FeesState['declaration'] = null;
    if (allocated) {
      const order = orders.find((o) => o.id === allocated.order)!;
      const employerToken = await ctx.token('employer', {
        employer: order.employerId,
        sub: `hr-${order.employerId}`,
      });
      const res = await employer.post<Posting>(
        '/v1/fee-declarations',
        {
          registrationNumber: allocated.registrationNumber,
          category: 'work_permit_levy',
          amount: { amountMinor: 185_000, currency: 'MYR' },
          payer: 'employer',
          payee: registeredPayee('immigration'),
          valueDate: today,
          receiptRef: `LEVY-${run}-1`,
        },
        { token: employerToken, idempotencyKey: `fee-${run}-declaration-1` },
      );
      declaration = {
        employerId: order.employerId,
        registrationNumber: allocated.registrationNumber,
        entryId: res.body.entry.id,
        paidByWorkerAfter: res.body.position.paidByWorker.amountMinor,
      };
      check(
        res.body.position.paidByWorker.amountMinor ===
          positions.get(allocated.registrationNumber)!.paidByWorker.amountMinor,
        "an employer's own payment does not count against the worker's cap",
      );
    }

    // 6. A worker reports, with number and date of birth, what they paid the broker. The one-time code
    // goes by SMS to their registered mobile; the demo has no phone, and no public API shows the SMS
    // outbox, so the report stays unconfirmed (nothing is recorded until the code comes back).
    const dob = new Map(registered.map((r) => [r.registrationNumber, r.dateOfBirth]));
    const pending = await registration.post<{ reportId: string; expiresAt: string; sentTo: string }>(
      '/v1/fee-reports',
      {
        registrationNumber: unlicensed,
        dateOfBirth: dob.get(unlicensed),
        category: 'other',
        amount: tk(25_000),
        payee: broker,
        valueDate: today,
        receiptRef: null,
      },
      { accept: [202] },
    );
    const workerReport = {
      registrationNumber: unlicensed,
      sentTo: pending.body.sentTo,
      expiresAt: pending.body.expiresAt,
    };

    // 7. What the ministry sees: findings, the distribution against the cap and the baseline, payees.
    const findings = (
      await ministry.get<{ items: Finding[] }>(`/v1/fee-findings?schemeId=${schemeId}&limit=1000`, {
        token: auditor,
      })
    ).body.items;
    const kinds = (kind: string) => findings.filter((f) => f.kind === kind);
    const over = [...positions].filter(([, p]) => p.status === 'over_cap').map(([n]) => n);
    check(over.length >= overCap.size, `at least the ${overCap.size} planned workers are over the cap`);
    check(kinds('over_cap').length === over.length, 'one over-cap finding per worker over the cap');
    check(
      kinds('unlicensed_payee').some((f) => f.registrationNumber === unlicensed),
      'the payment to the unlicensed broker is a finding',
    );
    if (employerOnly) {
      check(
        kinds('employer_only_cost_paid_by_worker').some((f) => f.registrationNumber === employerOnly),
        'the visa fee paid by a worker is a finding',
      );
    }
    const distribution = (
      await ministry.get<{ report: Distribution }>(`/v1/fee-reports/${schemeId}/distribution`, {
        token: auditor,
      })
    ).body.report;
    const byPayee = (
      await ministry.get<{ report: Record<string, unknown>[] }>(`/v1/fee-reports/${schemeId}/by-payee`, {
        token: auditor,
      })
    ).body.report;

    check(distribution.workers === workers.length, 'the distribution counts every selected worker');
    check(distribution.overCap === over.length, 'the distribution counts the workers over the cap');
    check(
      distribution.capAsOf?.amountMinor === FEE_CAP_POISHA,
      'the distribution holds them to the Tk 40,000 cap',
    );
    const costs = [...positions]
      .map(([n, p]) => ({ registrationNumber: n, paidMinor: p.paidByWorker.amountMinor, status: p.status }))
      .sort((a, b) => a.paidMinor - b.paidMinor || (a.registrationNumber < b.registrationNumber ? -1 : 1));
    ctx.state.fees = {
      policyVersionId,
      capMinor: FEE_CAP_POISHA,
      entries: total + (declaration ? 1 : 0),
      seconds,
      workers: costs,
      findings: findings.map((f) => ({
        kind: f.kind,
        registrationNumber: f.registrationNumber,
        summary: f.summary,
      })),
      declaration,
      workerReport,
      distribution,
      byPayee,
    };

    // The chart: cost per worker against the cap (every worker when few; otherwise the percentiles
    // and every worker over the cap), with the private-recruitment baseline in the subtitle.
    const baseline = `US$${BASELINE_USD[0].toLocaleString('en')}-${BASELINE_USD[1].toLocaleString('en')} = ${taka(distribution.baselineLow.amountMinor)}-${taka(distribution.baselineHigh.amountMinor).slice(3)} at US$1 = Tk ${rates.USD}`;
    const nearest = (q: number) => costs[Math.max(0, Math.ceil((q / 100) * costs.length) - 1)]!;
    const shown =
      costs.length <= 40
        ? costs.map((c) => ({ label: c.registrationNumber, c }))
        : [
            { label: 'lowest', c: costs[0]! },
            { label: '25th percentile', c: nearest(25) },
            { label: 'median', c: nearest(50) },
            { label: '75th percentile', c: nearest(75) },
            { label: '90th percentile', c: nearest(90) },
            ...costs.filter((c) => c.status === 'over_cap').map((c) => ({ label: c.registrationNumber, c })),
          ];
    ctx.state.charts.set('cost-vs-cap', {
      file: 'cost-vs-cap.svg',
      title: 'Worker cost against the fee cap',
      svg: barChartSvg({
        title: 'What each worker paid, against the Tk 40,000 cap',
        subtitle: `${costs.length.toLocaleString('en')} selected workers${costs.length > 40 ? ' (percentiles, then every worker over the cap)' : ''}; private recruitment before the scheme: ${baseline}, off this scale`,
        bars: shown.map(({ label, c }) => ({ label, value: c.paidMinor / 100 })),
        valueLabel: (v) => `Tk ${Math.round(v).toLocaleString('en')}`,
        reference: { value: FEE_CAP_POISHA / 100, label: 'cap Tk 40,000' },
      }),
    });

    const statusCount = (s: string) => costs.filter((c) => c.status === s).length;
    ctx.state.summary.set(
      'fees',
      `${total.toLocaleString('en')} receipts for ${costs.length.toLocaleString('en')} workers; ${statusCount('over_cap')} over the cap; ${findings.length} findings`,
    );
    const findingKinds = [...new Set(findings.map((f) => f.kind))];
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        `The fee ledger, through the ministry, employer and registration APIs. A ministry officer set the scheme's fee policy (\`${policyVersionId}\`: a cap of **Tk 40,000** per worker, everything included; visa and work-permit levy employer-only; Tk 50 registration and Tk 4,000 medical limits), registered ${Object.keys(payees).length} payees (the agency, the medical centre and the training centre with licences valid from a year ago: BOESL, passport office, welfare board, a medical centre, a training centre, a licensed recruiting agency, the airline, Malaysian immigration) and the day's exchange rates (US$1 = Tk ${rates.USD}, RM1 = Tk ${rates.MYR}).`,
        '',
        `Then ${total.toLocaleString('en')} official receipts for the ${costs.length.toLocaleString('en')} selected workers (stage 2's selected, less the dropouts, plus the promoted), ${(total / Math.max(seconds, 0.001)).toFixed(0)} postings a second, each checked against the cap in the transaction that records it: registration, passport, medical, training, insurance, welfare fund and airfare for everyone; a recruiting agency's service charge for ${overCap.size} workers (over the cap); Tk 25,000 to an unlicensed broker for one; a visa fee (employer-only) paid by one worker.${declaration ? ` An employer declared the work-permit levy it paid for its allocated worker ${declaration.registrationNumber} (RM 1,850.00, converted at the day's rate; it does not count against the worker).` : ''}`,
        '',
        `One worker (${unlicensed}) reported the broker's charge themselves (\`POST /v1/fee-reports\` on the registration API, with number and date of birth): the one-time code went by SMS to ${workerReport.sentTo}. **The report was not confirmed**: the code is only in the SMS outbox, which no public API shows (the demo has no phone), so nothing was recorded from it; the officer's receipt stands for the payment.`,
        '',
        '| | |',
        '| --- | --- |',
        `| Workers (distribution report) | ${distribution.workers.toLocaleString('en')} |`,
        `| Within the cap (under 90% of it) | ${distribution.withinCap} |`,
        `| Near the cap (90% or more) | ${distribution.nearCap} |`,
        `| Over the cap | ${distribution.overCap} |`,
        `| Median / 90th percentile / highest | ${distribution.median ? taka(distribution.median.amountMinor) : '-'} / ${distribution.p90 ? taka(distribution.p90.amountMinor) : '-'} / ${distribution.max ? taka(distribution.max.amountMinor) : '-'} |`,
        `| Private recruitment baseline | ${baseline}; workers who paid at least its low end: ${distribution.atOrAboveBaselineLow} |`,
        `| Findings | ${findings.length}: ${findingKinds.map((k) => `${kinds(k).length} ${k.replaceAll('_', ' ')}`).join(', ')} |`,
        '',
        'Findings (`GET /v1/fee-findings`, first 15):',
        '',
        '| Worker | Kind | Finding |',
        '| --- | --- | --- |',
        ...findings
          .slice(0, 15)
          .map((f) => `| ${f.registrationNumber} | ${f.kind.replaceAll('_', ' ')} | ${f.summary} |`),
        '',
        'By payee (`GET /v1/fee-reports/{schemeId}/by-payee`):',
        '',
        '| Payee | Kind | Workers served | Collected from workers | Open findings |',
        '| --- | --- | --- | --- | --- |',
        ...byPayee.map((p) => {
          const row = p as {
            payeeName: string;
            payeeKind: string;
            workersServed: number;
            collectedFromWorkers: Money;
            openFindings: number;
          };
          return `| ${row.payeeName} | ${row.payeeKind.replaceAll('_', ' ')} | ${row.workersServed} | ${taka(row.collectedFromWorkers.amountMinor)} | ${row.openFindings} |`;
        }),
      ].join('\n'),
    });
  },
};
