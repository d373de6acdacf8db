/**
 * The 2013 G2G scheme with realistic figures: cap Tk 40,000 (4,000,000 poisha), Tk 50 at
 * registration, then medical test, training and airfare; one worker is charged an extra Tk 200,000
 * "service charge" by an unlicensed broker and reports it.
 */
import { describe, expect, it } from 'vitest';
import { costDistributionCsv, districtReportCsv, employerReportCsv, payeeReportCsv } from './csv.ts';
import type { PaymentInput } from './entries.ts';
import { emptyLedger, type FeeLedgerEvent, type LedgerState } from './ledger.ts';
import { positionOf } from './position.ts';
import {
  costDistribution,
  reportByDistrict,
  reportByEmployer,
  reportByPayee,
  type WorkerLedger,
} from './reports.ts';
import {
  broker,
  ctxFor,
  employerActor,
  g2gPolicy,
  minor,
  payees,
  payment,
  rates,
  reg,
  run,
  tk,
  workerActor,
} from './testing/fixtures.ts';

const ctx = ctxFor('2014-03-01T09:00:00Z');

function standardCosts(w: string, airfare: number, training = 2_500): PaymentInput[] {
  return [
    payment({
      id: `${w}-reg`,
      registrationNumber: w,
      category: 'registration_service_charge',
      amount: tk(50),
      payee: reg('boesl'),
      valueDate: '2013-11-20',
    }),
    payment({
      id: `${w}-med`,
      registrationNumber: w,
      category: 'medical_test',
      amount: tk(3_000),
      payee: reg('med-1'),
      valueDate: '2014-01-08',
    }),
    payment({
      id: `${w}-trn`,
      registrationNumber: w,
      category: 'training_orientation',
      amount: tk(training),
      payee: reg('ttc-1'),
      valueDate: '2014-01-20',
    }),
    payment({
      id: `${w}-air`,
      registrationNumber: w,
      category: 'airfare',
      amount: tk(airfare),
      payee: reg('biman'),
      valueDate: '2014-02-15',
    }),
  ];
}

const serviceCharge = payment({
  id: 'W3-broker',
  registrationNumber: 'W3',
  category: 'recruitment_service_charge',
  amount: tk(200_000),
  payee: broker,
  valueDate: '2014-01-02',
  source: 'worker_report',
  recordedBy: workerActor,
});

function ledger(w: string, inputs: PaymentInput[]): { state: LedgerState; events: FeeLedgerEvent[] } {
  return run(emptyLedger(w), inputs, ctx);
}

describe('2013 G2G scheme, worked example', () => {
  const w1 = ledger('W1', standardCosts('W1', 28_000)); // Tk 33,550
  const w2 = ledger('W2', standardCosts('W2', 31_000, 2_450)); // Tk 36,500: near the cap
  const w3 = ledger('W3', [...standardCosts('W3', 28_000), serviceCharge]); // Tk 233,550
  const w4 = ledger('W4', [
    standardCosts('W4', 0)[0]!,
    payment({
      id: 'W4-air',
      registrationNumber: 'W4',
      category: 'airfare',
      amount: tk(28_000),
      payer: 'employer',
      payee: reg('biman'),
      valueDate: '2014-02-15',
      source: 'employer_declaration',
      receiptRef: null,
      recordedBy: employerActor,
    }),
  ]); // the employer pays the airfare: Tk 50 for the worker
  const pos = (s: LedgerState) =>
    positionOf(s, { policy: g2gPolicy, rates, monthlyContractWage: null, asOf: '2014-03-01' });

  it('keeps the ordinary worker within the Tk 40,000 cap', () => {
    expect(pos(w1.state)).toMatchObject({
      paidByWorker: tk(33_550),
      cap: { policyVersionId: 'g2g-2013', amount: minor(4_000_000n) },
      headroom: tk(6_450),
      status: 'within_cap',
      openFindings: [],
    });
    expect(pos(w2.state)).toMatchObject({ paidByWorker: tk(36_500), status: 'near_cap', openFindings: [] });
    expect(pos(w4.state)).toMatchObject({ paidByWorker: tk(50), status: 'within_cap' });
  });

  it("raises four findings for the broker's Tk 200,000 service charge, each once", () => {
    const p = pos(w3.state);
    expect(p).toMatchObject({
      paidByWorker: tk(233_550),
      reportedUnmatched: tk(200_000),
      headroom: tk(-193_550),
      status: 'over_cap',
    });
    expect(p.openFindings.map((f) => f.id)).toEqual([
      'W3/employer_only_cost_paid_by_worker:W3-broker/1',
      'W3/over_cap/1',
      'W3/unlicensed_payee:W3-broker/1',
      'W3/unmatched_worker_report:W3-broker/1',
    ]);
    const raised = w3.events.filter((e) => e.type === 'finding_raised');
    expect(raised).toHaveLength(4);
    expect(raised.every((e) => e.type === 'finding_raised' && e.finding.raisedBy === 'W3-broker')).toBe(true);
  });

  it('resolves an over_cap caused by a typo through a reversal and raises nothing twice', () => {
    const typo = payment({
      id: 'W5-air',
      registrationNumber: 'W5',
      category: 'airfare',
      amount: tk(310_000),
      payee: reg('biman'),
      valueDate: '2014-02-15',
    });
    const { state, events } = run(
      emptyLedger('W5'),
      [
        ...standardCosts('W5', 0).slice(0, 3),
        typo,
        {
          kind: 'reversal',
          id: 'W5-fix',
          registrationNumber: 'W5',
          reverses: 'W5-air',
          reason: 'Tk 31,000 keyed as 310,000',
          recordedBy: { sub: 'officer-7', role: 'ministry_officer' },
        },
        { ...typo, id: 'W5-air2', amount: tk(31_000) },
      ],
      ctx,
    );
    const findingEvents = events.filter((e) => e.type !== 'entry_posted');
    expect(findingEvents).toEqual([
      {
        type: 'finding_raised',
        finding: expect.objectContaining({ id: 'W5/over_cap/1', raisedBy: 'W5-air', total: tk(315_550) }),
      },
      {
        type: 'finding_resolved',
        resolution: expect.objectContaining({ findingId: 'W5/over_cap/1', resolvedBy: 'W5-fix' }),
      },
    ]);
    expect(pos(state)).toMatchObject({ paidByWorker: tk(36_550), status: 'near_cap', openFindings: [] });
  });

  const workers: WorkerLedger[] = [
    { state: w1.state, district: 'Dhaka', employerId: 'EMP-A', monthlyContractWage: null },
    { state: w2.state, district: 'Cumilla', employerId: 'EMP-A', monthlyContractWage: null },
    { state: w3.state, district: 'Cumilla', employerId: 'EMP-B', monthlyContractWage: null },
    { state: w4.state, district: 'Dhaka', employerId: 'EMP-B', monthlyContractWage: null },
  ];
  const reportCtx = { policy: g2gPolicy, rates, asOf: '2014-03-01' };

  it('reports payees with the most findings first', () => {
    const rows = reportByPayee(workers, reportCtx, payees);
    expect(
      rows.map((r) => [r.payeeKey, r.workersServed, r.collectedFromWorkers.amountMinor, r.openFindings]),
    ).toEqual([
      ['individual:md. broker', 1, 20_000_000n, 3],
      ['registry:biman', 4, 8_700_000n, 0],
      ['registry:med-1', 3, 900_000n, 0],
      ['registry:ttc-1', 3, 745_000n, 0],
      ['registry:boesl', 4, 20_000n, 0],
    ]);
    expect(payeeReportCsv(rows).split('\r\n').slice(0, 3)).toEqual([
      'payee_key,payee_name,payee_kind,workers_served,currency,collected_from_workers,open_findings',
      'individual:md. broker,Md. Broker,unlicensed_individual,1,BDT,200000.00,3',
      'registry:biman,Biman Bangladesh Airlines,airline,4,BDT,87000.00,0',
    ]);
  });

  it('reports by district and by employer', () => {
    expect(districtReportCsv(reportByDistrict(workers, reportCtx))).toBe(
      'district,workers,currency,paid_by_workers,within_cap,near_cap,over_cap,open_findings\r\n' +
        'Cumilla,2,BDT,270050.00,0,1,1,4\r\n' +
        'Dhaka,2,BDT,33600.00,2,0,0,0\r\n',
    );
    expect(employerReportCsv(reportByEmployer(workers, reportCtx))).toBe(
      'employer_id,workers,currency,paid_by_workers,within_cap,near_cap,over_cap,open_findings\r\n' +
        'EMP-B,2,BDT,233600.00,1,0,1,4\r\n' +
        'EMP-A,2,BDT,70050.00,1,1,0,0\r\n',
    );
  });

  it('sets the cost distribution against the cap and the US$3,000-4,000 private baseline', () => {
    const d = costDistribution(workers, reportCtx, {
      low: minor(300_000n, 'USD'),
      high: minor(400_000n, 'USD'),
      rate: { base: 'USD', quote: 'BDT', rate: '77.8500', date: '2014-03-01', source: 'Bangladesh Bank' },
    });
    // sorted: 50, 33,550, 36,500, 233,550 -> median rank 2, p90 rank ceil(3.6) = 4
    expect(d).toMatchObject({
      workers: 4,
      median: tk(33_550),
      p90: tk(233_550),
      max: tk(233_550),
      capAsOf: tk(40_000),
    });
    expect(d).toMatchObject({
      baselineLow: tk(233_550),
      baselineHigh: tk(311_400),
      atOrAboveBaselineLow: 1,
      overCap: 1,
      nearCap: 1,
      withinCap: 2,
    });
    expect(costDistributionCsv(d)).toBe(
      'scheme_id,as_of,currency,workers,median,p90,max,cap_as_of,within_cap,near_cap,over_cap,baseline_low,baseline_high,at_or_above_baseline_low\r\n' +
        'g2g-malaysia,2014-03-01,BDT,4,33550.00,233550.00,233550.00,40000.00,2,1,1,233550.00,311400.00,1\r\n',
    );
  });
});
