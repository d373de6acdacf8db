import { currencies } from '@g2g/domain';
import { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:g2g:problem:validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

const descriptions: Record<number, string> = {
  400: 'The request is malformed or fails validation.',
  401: 'No valid bearer token.',
  403: 'The token does not allow this.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  422: 'Well-formed but refused by a rule.',
  429: 'Too many requests.',
  503: 'Temporarily unavailable.',
};

/** Problem responses for a route's OpenAPI description; 400 and 503 are always possible. */
export function problemResponses(...statuses: number[]) {
  const all = [...new Set([400, 503, ...statuses])].sort();
  return Object.fromEntries(
    all.map((s) => [
      s,
      {
        description: descriptions[s] ?? 'Error.',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
      },
    ]),
  );
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

export const idempotencyKeyHeader = z.object({
  'idempotency-key': z.string().optional().openapi({
    description:
      'Makes the request safe to retry: a retry with the same key and body returns the original response; the same key with another body is 422; a retry while the first runs is 409.',
    example: '0b6f9a2e-5c1d-4a57-9f7e-2d8c6b1e4f30',
  }),
});

/** Money on the wire: an integer count of minor units (poisha, sen, cents) and its currency. */
export const moneySchema = z
  .object({
    amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    currency: z.enum(currencies),
  })
  .openapi('Money', { example: { amountMinor: 150000, currency: 'MYR' } });
