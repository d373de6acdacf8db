import type { Money } from '@g2g/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateFromDayNumber, dayNumber } from './dates.ts';
import type { EntryInput } from './entries.ts';
import { feeErrorReason } from './errors.ts';
import { emptyLedger, type LedgerState, post } from './ledger.ts';
import { type FeePolicy, feePolicy } from './policy.ts';
import { capStatus, positionOf } from './position.ts';
import {
  broker,
  categories,
  ctxFor,
  g2gPolicy,
  minor,
  officer,
  payment,
  rates,
  reg,
  run,
  tk,
  version2013,
  workerActor,
} from './testing/fixtures.ts';

const keysOf = (s: LedgerState) =>
  [...s.findings.values()].flatMap((slot) => (slot.open ? [slot.open.key] : [])).sort();
const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return feeErrorReason(e) ?? String(e);
  }
  return 'no error';
};
const positionIn = (s: LedgerState, policy: FeePolicy = g2gPolicy, wage: Money | null = null) =>
  positionOf(s, { policy, rates, monthlyContractWage: wage, asOf: '2024-12-31' });
const W = () => emptyLedger('W-1');

describe('cap status', () => {
  it('over when above the cap, near from 90 % of a positive cap, within otherwise', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (t, c) => {
          const s = capStatus(minor(t), minor(c));
          // rational comparison t / c >= 0.9 without division
          const expected = t > c ? 'over_cap' : c > 0n && t * 10n >= c * 9n ? 'near_cap' : 'within_cap';
          expect(s).toBe(expected);
        },
      ),
    );
    expect(capStatus(tk(35_999), tk(40_000))).toBe('within_cap');
    expect(capStatus(tk(36_000), tk(40_000))).toBe('near_cap');
    expect(capStatus(tk(40_000), tk(40_000))).toBe('near_cap');
    expect(capStatus(minor(4_000_001n), tk(40_000))).toBe('over_cap');
    expect(capStatus(minor(0n), minor(0n))).toBe('within_cap');
    expect(capStatus(minor(1n), minor(0n))).toBe('over_cap');
  });

  it('with a zero cap any worker-paid amount is over; employer payments are not', () => {
    const zeroPolicy = feePolicy({
      ...g2gPolicy,
      versions: [{ ...version2013, effectiveTo: null, cap: { kind: 'zero' } }],
    });
    const ctx = ctxFor(undefined, zeroPolicy);
    const byEmployer = run(
      W(),
      [payment({ category: 'airfare', amount: tk(30_000), payer: 'employer' })],
      ctx,
    ).state;
    expect(keysOf(byEmployer)).toEqual([]);
    expect(positionIn(byEmployer, zeroPolicy).status).toBe('within_cap');
    const byWorker = run(byEmployer, [payment({ category: 'passport', amount: minor(1n) })], ctx).state;
    expect(keysOf(byWorker)).toEqual(['over_cap']);
    expect(positionIn(byWorker, zeroPolicy)).toMatchObject({ status: 'over_cap', headroom: minor(-1n) });
  });

  it('a wage-multiple cap converts months x wage once, at the value date rate', () => {
    const wagePolicy = feePolicy({
      ...g2gPolicy,
      versions: [{ ...version2013, effectiveTo: null, cap: { kind: 'wage_months', months: 1 } }],
    });
    const wage = minor(150_000n, 'MYR'); // RM 1,500.00
    const ctx = { ...ctxFor(undefined, wagePolicy), monthlyContractWage: wage };
    const paid = run(
      W(),
      [payment({ category: 'airfare', amount: tk(39_675), valueDate: '2023-01-01' })],
      ctx,
    ).state;
    const p = positionIn(paid, wagePolicy, wage);
    expect(p.cap?.amount).toEqual(tk(39_675)); // 1,500 x 26.45
    expect(p.status).toBe('near_cap');
    expect(
      keysOf(
        run(paid, [payment({ category: 'passport', amount: minor(1n), valueDate: '2023-01-01' })], ctx).state,
      ),
    ).toEqual(['over_cap']);
    expect(
      reasonOf(() =>
        post(W(), payment({ category: 'airfare', amount: tk(1) }), { ...ctx, monthlyContractWage: null }),
      ),
    ).toBe('wage-missing');
  });
});

describe('policy versions', () => {
  it('rejects overlapping versions and incomplete categories', () => {
    expect(
      reasonOf(() =>
        feePolicy({
          ...g2gPolicy,
          versions: [version2013, { ...version2013, id: 'b', effectiveFrom: '2022-05-31' }],
        }),
      ),
    ).toBe('policy-overlap');
    expect(
      reasonOf(() =>
        feePolicy({
          ...g2gPolicy,
          versions: [
            { ...version2013, effectiveTo: null },
            { ...version2013, id: 'c', effectiveFrom: '2030-01-01', effectiveTo: null },
          ],
        }),
      ),
    ).toBe('policy-overlap');
    const { visa: _, ...missing } = categories({ kind: 'employer_only' });
    expect(
      reasonOf(() =>
        feePolicy({
          ...g2gPolicy,
          versions: [{ ...version2013, categories: missing as typeof version2013.categories }],
        }),
      ),
    ).toBe('invalid-input');
    expect(
      reasonOf(() =>
        feePolicy({
          ...g2gPolicy,
          versions: [{ ...version2013, cap: { kind: 'fixed', amount: minor(1n, 'MYR') } }],
        }),
      ),
    ).toBe('currency-mismatch');
  });

  it('an entry takes the version in effect on its value date; the boundary day belongs to the new one', () => {
    const boundary = dayNumber('2022-06-01');
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), (offset) => {
        const valueDate = dateFromDayNumber(boundary + offset);
        const [posted] = post(
          W(),
          payment({ category: 'medical_test', amount: tk(9_000), valueDate }),
          ctxFor(),
        );
        const expected = offset < 0 ? 'g2g-2013' : 'g2g-2022';
        expect(posted?.type === 'entry_posted' && posted.entry.policyVersionId).toBe(expected);
        // 2022 limits the medical test to Tk 8,000; 2013 does not
        const s = run(W(), [payment({ category: 'medical_test', amount: tk(9_000), valueDate })]).state;
        expect(keysOf(s).includes('category_limit_exceeded:medical_test')).toBe(offset >= 0);
        expect(positionIn(s).cap?.amount).toEqual(offset < 0 ? tk(40_000) : tk(78_990));
      }),
    );
  });

  it('refuses an entry dated where no version is in effect', () => {
    expect(
      reasonOf(() =>
        post(W(), payment({ category: 'passport', amount: tk(1), valueDate: '2012-12-31' }), ctxFor()),
      ),
    ).toBe('policy-missing');
  });

  it('a later, lower cap applies to everything paid when the latest payment is under it', () => {
    const s = run(W(), [
      payment({ category: 'airfare', amount: tk(39_000), valueDate: '2022-05-31' }),
      payment({ category: 'passport', amount: tk(1_500), valueDate: '2022-06-01' }),
    ]).state;
    // Tk 40,500 > Tk 40,000 would be over under 2013; the 2022 cap Tk 78,990 governs
    expect(positionIn(s)).toMatchObject({ status: 'within_cap', cap: { policyVersionId: 'g2g-2022' } });
  });
});

describe('category rules', () => {
  it('a category limit is exceeded exactly when the worker-paid total of the category passes it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 3_000n }), { minLength: 1, maxLength: 8 }),
        (amounts) => {
          const s = run(
            W(),
            amounts.map((a) => payment({ category: 'registration_service_charge', amount: minor(a) })),
          ).state;
          const total = amounts.reduce((x, y) => x + y, 0n);
          expect(keysOf(s).includes('category_limit_exceeded:registration_service_charge')).toBe(
            total > 5_000n,
          );
        },
      ),
    );
  });

  it('an employer-only cost paid by the worker is a finding; paid by the employer it is not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('recruitment_service_charge', 'visa', 'work_permit_levy') as fc.Arbitrary<
          'recruitment_service_charge' | 'visa' | 'work_permit_levy'
        >,
        fc.constantFrom('worker', 'employer', 'government') as fc.Arbitrary<
          'worker' | 'employer' | 'government'
        >,
        (category, payer) => {
          const s = run(W(), [payment({ id: 'x', category, payer, amount: tk(100) })]).state;
          expect(keysOf(s).includes('employer_only_cost_paid_by_worker:x')).toBe(payer === 'worker');
        },
      ),
    );
  });
});

describe('payees', () => {
  it('a licence is valid on [validFrom, validTo); after it ends the payment is an unlicensed_payee finding', () => {
    const end = dayNumber('2016-01-01');
    fc.assert(
      fc.property(fc.integer({ min: -300, max: 300 }), (offset) => {
        const valueDate = dateFromDayNumber(end + offset);
        const s = run(W(), [
          payment({ id: 'x', category: 'skills_test', amount: tk(10), payee: reg('agency-x'), valueDate }),
        ]).state;
        const open = s.findings.get('unlicensed_payee:x')?.open;
        expect(Boolean(open)).toBe(offset >= 0);
        if (open?.kind === 'unlicensed_payee')
          expect(open.payeeCheck).toEqual({ status: 'licence_expired', licenceNumber: 'RL-0999' });
      }),
    );
  });

  it('an unlicensed individual is a finding for any payer; government offices and airlines need no licence', () => {
    const s = run(W(), [
      payment({
        id: 'a',
        category: 'other',
        amount: tk(10),
        payer: 'employer',
        payee: broker,
        source: 'employer_declaration',
        recordedBy: { sub: 'e', role: 'employer' },
      }),
      payment({ id: 'b', category: 'airfare', amount: tk(10), payee: reg('biman') }),
      payment({ id: 'c', category: 'registration_service_charge', amount: tk(10), payee: reg('boesl') }),
    ]).state;
    expect(keysOf(s)).toEqual(['unlicensed_payee:a']);
    expect(
      reasonOf(() =>
        post(W(), payment({ category: 'other', amount: tk(1), payee: reg('nobody') }), ctxFor()),
      ),
    ).toBe('payee-unknown');
  });
});

describe('worker reports', () => {
  const receipt = payment({
    id: 'r',
    category: 'medical_test',
    amount: tk(3_000),
    payee: reg('med-1'),
    valueDate: '2014-02-10',
  });
  const report = (over: Partial<Parameters<typeof payment>[0]> = {}) =>
    payment({
      id: 'w',
      category: 'medical_test',
      amount: tk(3_000),
      payee: reg('med-1'),
      valueDate: '2014-02-10',
      source: 'worker_report',
      recordedBy: workerActor,
      ...over,
    });

  it('a report matches a receipt with the same category, payee and scheme amount within 14 days', () => {
    fc.assert(
      fc.property(fc.integer({ min: -40, max: 40 }), fc.boolean(), (offset, reportFirst) => {
        const valueDate = dateFromDayNumber(dayNumber('2014-02-10') + offset);
        const inputs = reportFirst ? [report({ valueDate }), receipt] : [receipt, report({ valueDate })];
        const s = run(W(), inputs).state;
        const matched = Math.abs(offset) <= 14;
        expect(keysOf(s)).toEqual(matched ? [] : ['unmatched_worker_report:w']);
        expect(positionIn(s).paidByWorker).toEqual(matched ? tk(3_000) : tk(6_000));
      }),
    );
  });

  it('does not match on another category, payee or amount', () => {
    for (const over of [{ category: 'passport' as const }, { payee: reg('ttc-1') }, { amount: tk(3_001) }]) {
      expect(keysOf(run(W(), [receipt, report(over)]).state)).toEqual(['unmatched_worker_report:w']);
    }
  });

  it('compares amounts in the scheme currency: RM 113.42 at 26.45 is Tk 3,000.00 (rounded half to even)', () => {
    const inMyr = report({ amount: minor(11_342n, 'MYR'), valueDate: '2022-06-05' });
    const s = run(W(), [{ ...receipt, valueDate: '2022-06-05' }, inMyr]).state;
    expect(s.entries.get('w')?.schemeAmount).toEqual(minor(299_996n)); // 11342 x 26.45 = 299,995.9
    expect(keysOf(s)).toEqual(['unmatched_worker_report:w']);
  });

  it('matches one to one; a later receipt resolves the finding; reports stay separate entries', () => {
    const twice = run(W(), [receipt, report(), report({ id: 'w2' })]);
    expect(keysOf(twice.state)).toEqual(['unmatched_worker_report:w2']);
    const second = { ...receipt, id: 'r2', valueDate: '2014-02-20' };
    const events = post(twice.state, second, ctxFor());
    expect(events.map((e) => e.type)).toEqual(['entry_posted', 'finding_resolved']);
    expect(twice.state.entries.get('w2')?.source).toBe('worker_report');
  });

  it('a worker report is always a payment by the worker', () => {
    expect(reasonOf(() => post(W(), report({ payer: 'employer' }), ctxFor()))).toBe('invalid-input');
  });
});

describe('postings refused', () => {
  const base = run(W(), [payment({ id: 'p', category: 'passport', amount: tk(3_000) })]).state;
  const rev = (id: string, reverses: string): EntryInput => ({
    kind: 'reversal',
    id,
    registrationNumber: 'W-1',
    reverses,
    reason: 'typo',
    recordedBy: officer,
  });
  const cases: [string, () => unknown, string][] = [
    [
      'the same id twice',
      () => post(base, payment({ id: 'p', category: 'passport', amount: tk(1) }), ctxFor()),
      'duplicate-entry',
    ],
    [
      'another worker',
      () => post(base, payment({ registrationNumber: 'W-2', category: 'passport', amount: tk(1) }), ctxFor()),
      'worker-mismatch',
    ],
    [
      'a zero amount',
      () => post(base, payment({ category: 'passport', amount: tk(0) }), ctxFor()),
      'invalid-input',
    ],
    [
      'a negative amount',
      () => post(base, payment({ category: 'passport', amount: tk(-1) }), ctxFor()),
      'invalid-input',
    ],
    ['an unknown original', () => post(base, rev('r', 'nope'), ctxFor()), 'entry-unknown'],
    [
      'a second reversal',
      () => post(run(base, [rev('r', 'p')]).state, rev('r2', 'p'), ctxFor()),
      'already-reversed',
    ],
    [
      'a reversal of a reversal',
      () => post(run(base, [rev('r', 'p')]).state, rev('r2', 'r'), ctxFor()),
      'reversal-of-reversal',
    ],
    [
      'a receipt without reference',
      () => post(base, payment({ category: 'passport', amount: tk(1), receiptRef: null }), ctxFor()),
      'invalid-input',
    ],
    [
      'a receipt entered by an employer',
      () =>
        post(
          base,
          payment({ category: 'passport', amount: tk(1), recordedBy: { sub: 'e', role: 'employer' } }),
          ctxFor(),
        ),
      'role-not-allowed',
    ],
    [
      'a bad value date',
      () => post(base, payment({ category: 'passport', amount: tk(1), valueDate: '2014-02-30' }), ctxFor()),
      'invalid-date',
    ],
    [
      'a missing rate',
      () =>
        post(base, payment({ category: 'passport', amount: minor(1n, 'MYR') }), {
          ...ctxFor(),
          rates: { byPair: new Map() },
        }),
      'rate-missing',
    ],
    [
      'no recording time',
      () => post(base, payment({ category: 'passport', amount: tk(1) }), ctxFor('yesterday')),
      'invalid-date',
    ],
  ];
  it.each(cases)('refuses %s', (_, f, reason) => {
    expect(reasonOf(f)).toBe(reason);
  });

  it('a corrected payment is a reversal plus a new payment; history keeps all three', () => {
    const s = run(base, [
      rev('r', 'p'),
      payment({ id: 'p2', category: 'passport', amount: tk(2_500) }),
    ]).state;
    expect([...s.entries.keys()]).toEqual(['p', 'r', 'p2']);
    expect(positionIn(s).paidByWorker).toEqual(tk(2_500));
  });
});
