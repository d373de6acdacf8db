import { AppError, type ErrorCode } from '@g2g/domain';

/**
 * Why the fee core refused something. Closed set, carried as `extensions.reason` on the platform's one
 * error type (`AppError`), so an API layer can map the `code` to a status and still tell the cases apart.
 */
export const feeErrorReasons = [
  'invalid-input',
  'invalid-date',
  'invalid-decimal',
  'currency-mismatch',
  'policy-overlap',
  'policy-missing',
  'rate-missing',
  'rate-ambiguous',
  'wage-missing',
  'payee-unknown',
  'worker-mismatch',
  'duplicate-entry',
  'entry-unknown',
  'already-reversed',
  'reversal-of-reversal',
  'role-not-allowed',
] as const;
export type FeeErrorReason = (typeof feeErrorReasons)[number];

const codeOf: Readonly<Record<FeeErrorReason, ErrorCode>> = {
  'invalid-input': 'validation-failed',
  'invalid-date': 'validation-failed',
  'invalid-decimal': 'validation-failed',
  'currency-mismatch': 'validation-failed',
  'policy-overlap': 'validation-failed',
  'policy-missing': 'rule-violated',
  'rate-missing': 'rule-violated',
  'rate-ambiguous': 'validation-failed',
  'wage-missing': 'rule-violated',
  'payee-unknown': 'not-found',
  'worker-mismatch': 'validation-failed',
  'duplicate-entry': 'conflict',
  'entry-unknown': 'not-found',
  'already-reversed': 'conflict',
  'reversal-of-reversal': 'rule-violated',
  'role-not-allowed': 'forbidden',
};

/** An `AppError` whose code follows from the reason; `extensions.reason` keeps the reason. */
export function feeError(reason: FeeErrorReason, detail: string): AppError {
  return new AppError(codeOf[reason], detail, { extensions: { reason } });
}

/** The reason of an error thrown by this package, or undefined for any other error. */
export function feeErrorReason(error: unknown): FeeErrorReason | undefined {
  if (!(error instanceof AppError)) return undefined;
  const reason = error.extensions?.reason;
  return (feeErrorReasons as readonly unknown[]).includes(reason) ? (reason as FeeErrorReason) : undefined;
}

/** Identifiers (entry ids, registration numbers, registry ids, policy version ids): no ':' or '/'. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertIdentifier(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw feeError('invalid-input', `${what} must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', '-'.`);
  }
}

export function assertText(value: unknown, what: string, max = 500): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw feeError('invalid-input', `${what} must be non-blank text of at most ${max} characters.`);
  }
}

/** Exhaustiveness check for discriminated unions. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}
