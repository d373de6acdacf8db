import { AppError, type ErrorCode, type FieldError } from '@g2g/domain';

interface ProblemType {
  readonly status: number;
  readonly title: string;
}

/** The one table from error code to HTTP status and problem title. */
export const problemTypes: Readonly<Record<ErrorCode, ProblemType>> = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'unsupported-media-type': { status: 415, title: 'The request body must be JSON' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'route-not-found': { status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'idempotency-key-in-progress': { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  'rule-violated': { status: 422, title: 'A scheme rule forbids this' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'service-unavailable': { status: 503, title: 'Service temporarily unavailable' },
  'internal-error': { status: 500, title: 'Internal error' },
};

export const PROBLEM_TYPE_BASE = 'urn:g2g:problem:';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly requestId: string;
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

export function problemFor(err: AppError, requestId: string, instance?: string): ProblemDocument {
  const { status, title } = problemTypes[err.code];
  return {
    ...(err.extensions ?? {}),
    type: `${PROBLEM_TYPE_BASE}${err.code}`,
    title,
    status,
    detail: err.detail,
    code: err.code,
    requestId,
    ...(instance ? { instance } : {}),
    ...(err.errors && err.errors.length > 0 ? { errors: err.errors } : {}),
  };
}

export function problemResponse(err: AppError, requestId: string, instance?: string): Response {
  const problem = problemFor(err, requestId, instance);
  const headers = new Headers({ 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
  if (err.retryAfter !== undefined) headers.set('retry-after', String(err.retryAfter));
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

export { AppError };
