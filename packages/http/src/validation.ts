import { AppError, type FieldError } from '@g2g/domain';
import type { z } from 'zod';

/** Escapes one JSON Pointer reference token (RFC 6901). */
function pointerToken(segment: PropertyKey): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointerFor(target: string, path: readonly PropertyKey[]): string {
  const where = target === 'json' ? 'body' : target === 'param' ? 'path' : target;
  return `/${[where, ...path].map(pointerToken).join('/')}`;
}

/**
 * Turns zod issues into field-level errors with JSON Pointers into the request; `base` is the path
 * of the validated value inside the target (e.g. `['items', 3]` for one item of a batch body).
 */
export function fieldErrorsFrom(
  error: z.ZodError,
  target: string,
  base: readonly PropertyKey[] = [],
): FieldError[] {
  return error.issues.slice(0, 50).map((issue) => ({
    pointer: pointerFor(target, [...base, ...issue.path]),
    detail: issue.message,
  }));
}

export function validationError(error: z.ZodError, target: string): AppError {
  const errors = fieldErrorsFrom(error, target);
  const where = target === 'json' ? 'body' : target === 'param' ? 'path' : target;
  return new AppError(
    'validation-failed',
    `The request ${where} has ${errors.length === 1 ? 'an invalid field' : `${errors.length} invalid fields`}; see errors.`,
    { errors },
  );
}

/** The defaultHook of every OpenAPIHono app: a failed validation becomes one AppError. */
export function validationHook(result: { success: boolean; error?: unknown; target: string }): void {
  if (!result.success) throw validationError(result.error as z.ZodError, result.target);
}
