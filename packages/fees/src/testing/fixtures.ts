/**
 * Test fixtures for the fee core: the 2013 G2G scheme's figures, a registry, rates, and fast-check
 * arbitraries for postings. Used by the tests beside the code only.
 */
import type { Actor, Currency, Money } from '@g2g/domain';
import fc from 'fast-check';
import { dateFromDayNumber, dayNumber, type LocalDate } from '../dates.ts';
import type { EntryInput, EntrySource, Payer, PaymentInput } from '../entries.ts';
import { type FeeLedgerEvent, fold, type LedgerState, type PostContext, post } from '../ledger.ts';
import { type PayeeRef, payeeRegistry } from '../payees.ts';
import {
  type CategoryRule,
  type CostCategory,
  costCategories,
  type FeePolicy,
  feePolicy,
  type PolicyVersion,
} from '../policy.ts';
import { rateTable } from '../rates.ts';

export const tk = (taka: number | bigint): Money => ({ amountMinor: BigInt(taka) * 100n, currency: 'BDT' });
export const minor = (amountMinor: number | bigint, currency: Currency = 'BDT'): Money => ({
  amountMinor: BigInt(amountMinor),
  currency,
});

export const officer: Actor = { sub: 'officer-1', role: 'ministry_officer' };
export const employerActor: Actor = { sub: 'employer-1', role: 'employer' };
export const workerActor: Actor = { sub: 'worker-otp', role: 'public' };

export const roleFor = (source: EntrySource): Actor =>
  source === 'official_receipt' ? officer : source === 'employer_declaration' ? employerActor : workerActor;

export function categories(
  base: CategoryRule,
  overrides: Partial<Record<CostCategory, CategoryRule>> = {},
): Record<CostCategory, CategoryRule> {
  return Object.fromEntries(costCategories.map((c) => [c, overrides[c] ?? base])) as Record<
    CostCategory,
    CategoryRule
  >;
}

const mayPay: CategoryRule = { kind: 'worker_may_pay', limit: null };
const employerOnly: CategoryRule = { kind: 'employer_only' };

/** 2013 G2G: cap Tk 40,000; registration Tk 50 at most; recruitment, visa, levy on the employer. */
export const version2013: PolicyVersion = {
  id: 'g2g-2013',
  effectiveFrom: '2013-01-01',
  effectiveTo: '2022-06-01',
  cap: { kind: 'fixed', amount: tk(40_000) },
  categories: categories(mayPay, {
    registration_service_charge: { kind: 'worker_may_pay', limit: tk(50) },
    recruitment_service_charge: employerOnly,
    visa: employerOnly,
    work_permit_levy: employerOnly,
  }),
};

/** 2022 ceiling Tk 78,990; the medical test now limited to Tk 8,000 (illustrative). */
export const version2022: PolicyVersion = {
  id: 'g2g-2022',
  effectiveFrom: '2022-06-01',
  effectiveTo: null,
  cap: { kind: 'fixed', amount: tk(78_990) },
  categories: categories(mayPay, {
    registration_service_charge: { kind: 'worker_may_pay', limit: tk(50) },
    medical_test: { kind: 'worker_may_pay', limit: tk(8_000) },
    recruitment_service_charge: employerOnly,
    visa: employerOnly,
    work_permit_levy: employerOnly,
  }),
};

export const g2gPolicy: FeePolicy = feePolicy({
  schemeId: 'g2g-malaysia',
  currency: 'BDT',
  matchWindowDays: 14,
  versions: [version2013, version2022],
});

export const rates = rateTable([
  { base: 'MYR', quote: 'BDT', rate: '19.5000', date: '2013-01-01', source: 'Bangladesh Bank' },
  { base: 'MYR', quote: 'BDT', rate: '26.4500', date: '2022-06-01', source: 'Bangladesh Bank' },
  { base: 'USD', quote: 'BDT', rate: '77.8500', date: '2013-01-01', source: 'Bangladesh Bank' },
  { base: 'USD', quote: 'BDT', rate: '93.4500', date: '2022-06-01', source: 'Bangladesh Bank' },
]);

export const payees = payeeRegistry([
  {
    registryId: 'boesl',
    kind: 'government_office',
    name: 'Bangladesh Overseas Employment and Services Ltd',
    licences: [],
  },
  {
    registryId: 'med-1',
    kind: 'medical_centre',
    name: 'Dhaka Medical Centre',
    licences: [{ number: 'MC-001', validFrom: '2012-01-01', validTo: '2025-01-01' }],
  },
  {
    registryId: 'ttc-1',
    kind: 'training_centre',
    name: 'TTC Mirpur',
    licences: [{ number: 'TC-014', validFrom: '2012-01-01', validTo: null }],
  },
  {
    registryId: 'agency-x',
    kind: 'recruiting_agency',
    name: 'Agency X',
    licences: [{ number: 'RL-0999', validFrom: '2012-01-01', validTo: '2016-01-01' }],
  },
  { registryId: 'biman', kind: 'airline', name: 'Biman Bangladesh Airlines', licences: [] },
]);

export const broker: PayeeRef = { kind: 'unlicensed_individual', name: 'Md. Broker' };
export const reg = (registryId: string): PayeeRef => ({ kind: 'registered', registryId });

export const ctxFor = (recordedAt = '2014-03-01T09:00:00Z', policy: FeePolicy = g2gPolicy): PostContext => ({
  policy,
  rates,
  payees,
  monthlyContractWage: null,
  recordedAt,
});

let seq = 0;
export function payment(
  over: Partial<PaymentInput> & Pick<PaymentInput, 'category' | 'amount'>,
): PaymentInput {
  const source = over.source ?? 'official_receipt';
  return {
    kind: 'payment',
    id: over.id ?? `e${++seq}`,
    registrationNumber: over.registrationNumber ?? 'W-1',
    payer: 'worker',
    payee: reg('boesl'),
    valueDate: '2014-02-01',
    receiptRef: source === 'official_receipt' ? 'R-1' : null,
    source,
    recordedBy: roleFor(source),
    ...over,
  };
}

/** Posts and folds; returns the final state and every event. */
export function run(
  state: LedgerState,
  inputs: readonly EntryInput[],
  ctx: PostContext = ctxFor(),
): { state: LedgerState; events: FeeLedgerEvent[] } {
  const events: FeeLedgerEvent[] = [];
  let s = state;
  for (const input of inputs) {
    const produced = post(s, input, ctx);
    events.push(...produced);
    s = fold(s, produced);
  }
  return { state: s, events };
}

// ---- arbitraries ---------------------------------------------------------------------------------

const d2013 = dayNumber('2013-01-01');
const d2024 = dayNumber('2024-12-31');
export const dateArb: fc.Arbitrary<LocalDate> = fc.integer({ min: d2013, max: d2024 }).map(dateFromDayNumber);

export const payeeArb: fc.Arbitrary<PayeeRef> = fc.constantFrom(
  reg('boesl'),
  reg('med-1'),
  reg('ttc-1'),
  reg('agency-x'),
  reg('biman'),
  broker,
  { kind: 'unlicensed_individual', name: '  md.   BROKER ' },
);

export interface PaymentSpec {
  readonly category: CostCategory;
  readonly amount: Money;
  readonly payer: Payer;
  readonly payee: PayeeRef;
  readonly valueDate: LocalDate;
  readonly source: EntrySource;
}

export const paymentSpecArb: fc.Arbitrary<PaymentSpec> = fc
  .record({
    category: fc.constantFrom(...costCategories),
    amountMinor: fc.bigInt({ min: 1n, max: 5_000_000n }),
    currency: fc.constantFrom<Currency>('BDT', 'BDT', 'MYR', 'USD'),
    payer: fc.constantFrom<Payer>('worker', 'worker', 'worker', 'employer', 'government'),
    payee: payeeArb,
    valueDate: dateArb,
    source: fc.constantFrom<EntrySource>(
      'official_receipt',
      'official_receipt',
      'employer_declaration',
      'worker_report',
    ),
  })
  .map((r) => ({
    category: r.category,
    amount: { amountMinor: r.amountMinor, currency: r.currency },
    payer: r.source === 'worker_report' ? 'worker' : r.payer,
    payee: r.payee,
    valueDate: r.valueDate,
    source: r.source,
  }));

/** A step: post a payment, or reverse the k-th still-live payment (k taken modulo their number). */
export type Step =
  | { readonly op: 'pay'; readonly spec: PaymentSpec }
  | { readonly op: 'reverse'; readonly k: number };

export const stepsArb: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: paymentSpecArb.map((spec): Step => ({ op: 'pay', spec })) },
    { weight: 1, arbitrary: fc.nat(50).map((k): Step => ({ op: 'reverse', k })) },
  ),
  { maxLength: 25 },
);

/** Turns steps into inputs for worker W-1 (reversals of nothing are dropped). */
export function inputsOf(steps: readonly Step[]): EntryInput[] {
  const inputs: EntryInput[] = [];
  const live: string[] = [];
  steps.forEach((step, i) => {
    const id = `s${i}`;
    if (step.op === 'pay') {
      inputs.push(
        payment({ id, ...step.spec, receiptRef: step.spec.source === 'official_receipt' ? `R-${i}` : null }),
      );
      live.push(id);
    } else if (live.length > 0) {
      const [target] = live.splice(step.k % live.length, 1);
      inputs.push({
        kind: 'reversal',
        id,
        registrationNumber: 'W-1',
        reverses: target!,
        reason: 'entered in error',
        recordedBy: officer,
      });
    }
  });
  return inputs;
}
