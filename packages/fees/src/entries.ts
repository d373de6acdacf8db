import type { Actor, Money } from '@g2g/domain';
import type { LocalDate } from './dates.ts';
import type { PayeeCheck, PayeeRef } from './payees.ts';
import type { CostCategory } from './policy.ts';
import type { AppliedRate } from './rates.ts';

export const payers = ['worker', 'employer', 'government'] as const;
export type Payer = (typeof payers)[number];

export const entrySources = ['official_receipt', 'employer_declaration', 'worker_report'] as const;
export type EntrySource = (typeof entrySources)[number];

/**
 * Who may record each source: an official receipt is entered by an officer; an employer declaration by
 * the employer; a worker report by the worker (role 'public', after the one-time-code check) or by an
 * officer taking the worker's statement. A reversal may be recorded by the roles of the original's
 * source and, always, by a ministry officer.
 */
export const sourceRoles: Readonly<Record<EntrySource, readonly Actor['role'][]>> = {
  official_receipt: ['ministry_officer', 'centre_operator'],
  employer_declaration: ['employer'],
  worker_report: ['public', 'ministry_officer', 'centre_operator'],
};

/** A payment to record for one worker (a registration number selected in a published draw). */
export interface PaymentInput {
  readonly kind: 'payment';
  readonly id: string;
  readonly registrationNumber: string;
  readonly category: CostCategory;
  /** Positive, in the currency actually paid. */
  readonly amount: Money;
  readonly payer: Payer;
  readonly payee: PayeeRef;
  /** The day the money changed hands; chooses the policy version and the exchange rate. */
  readonly valueDate: LocalDate;
  /** Required for an official receipt; may be null otherwise. */
  readonly receiptRef: string | null;
  readonly source: EntrySource;
  readonly recordedBy: Actor;
}

/**
 * A correction: reverses one earlier payment of the same worker. The core copies every field of the
 * original and negates the amount; the correct payment, if any, is then posted as a new payment.
 */
export interface ReversalInput {
  readonly kind: 'reversal';
  readonly id: string;
  readonly registrationNumber: string;
  /** Id of the payment reversed. A payment is reversed at most once; a reversal cannot be reversed. */
  readonly reverses: string;
  readonly reason: string;
  readonly recordedBy: Actor;
}

export type EntryInput = PaymentInput | ReversalInput;

/** What the ledger holds for every entry: the input, plus what posting fixed for good. */
export interface PostedFields extends Omit<PaymentInput, 'kind'> {
  /** Caller-supplied RFC 3339 UTC time of posting. */
  readonly recordedAt: string;
  /** `amount` in the scheme currency, converted once at posting and never again. */
  readonly schemeAmount: Money;
  /** The rate used for `schemeAmount`; null when paid in the scheme currency. */
  readonly rate: AppliedRate | null;
  /** The policy version in effect on the value date. */
  readonly policyVersionId: string;
  /** The payee's licence position on the value date, as the registry stood at posting. */
  readonly payeeCheck: PayeeCheck;
}

export type PostedPayment = PostedFields & { readonly kind: 'payment' };
/** A reversal: every field of the original, `amount` and `schemeAmount` negated exactly. */
export type PostedReversal = PostedFields & {
  readonly kind: 'reversal';
  readonly reverses: string;
  readonly reason: string;
};
export type PostedEntry = PostedPayment | PostedReversal;
