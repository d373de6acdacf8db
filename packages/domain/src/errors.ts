/**
 * The one error type of the platform. Domain code, repositories and HTTP handlers throw an AppError
 * with a code from this closed set; packages/http maps each code to an HTTP status and an RFC 9457
 * problem type in one table.
 */
export const errorCodes = [
  'validation-failed',
  'malformed-json',
  'unsupported-media-type',
  'payload-too-large',
  'unauthenticated',
  'forbidden',
  'not-found',
  'route-not-found',
  'method-not-allowed',
  'conflict',
  'idempotency-key-reused',
  'idempotency-key-in-progress',
  'rule-violated',
  'rate-limited',
  'service-unavailable',
  'internal-error',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FieldError {
  /** JSON Pointer (RFC 6901) into the request: `/body/name`, `/query/limit`, `/header/idempotency-key`. */
  readonly pointer: string;
  readonly detail: string;
}

export interface AppErrorOptions {
  readonly errors?: readonly FieldError[];
  /** Extra, non-sensitive members added to the problem document (e.g. `registrationNumber`). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
  /** Seconds, for rate limiting and unavailability. */
  readonly retryAfter?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly extensions: Readonly<Record<string, unknown>> | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, detail: string, options: AppErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
    this.extensions = options.extensions;
    this.retryAfter = options.retryAfter;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
