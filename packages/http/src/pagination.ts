import { AppError } from '@g2g/domain';
import { z } from '@hono/zod-openapi';

/** Opaque keyset cursors: base64url of a small JSON value. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw new AppError('validation-failed', 'The cursor is not valid; start again without one.', {
    errors: [{ pointer: '/query/cursor', detail: 'not a cursor this service issued' }],
  });
}

export const limitParam = (max: number, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .openapi({ description: `Page size (1-${max}, default ${fallback}).` });

export const cursorParam = z
  .string()
  .max(500)
  .optional()
  .openapi({ description: 'The `nextCursor` of the previous page.' });
