import { publicAccess } from '@g2g/auth';
import {
  findRegistration,
  purgeThrottle,
  recordThrottleFailure,
  type ThrottlePolicy,
  takeThrottleAttempt,
} from '@g2g/db';
import { AppError, hmacSha256Hex } from '@g2g/domain';
import { type ApiApp, clientAddress, defineRoute, jsonBody, jsonContent, problemResponses } from '@g2g/http';
import {
  isCalendarDate,
  nextStep,
  parseRegistrationNumber,
  registrationNumberProblem,
  registrationStatuses,
  toAsciiDigits,
} from '@g2g/registration';
import { z } from '@hono/zod-openapi';
import type { RegistrationState } from '../../deps.ts';

/** Per client address: generous enough for a centre's shared connection, too little to enumerate. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  windowMs: 10 * 60_000,
  maxAttempts: 60,
  maxFailures: 20,
  lockoutMs: 60 * 60_000,
};
/** Per registration number: a worker mistyping a date of birth a few times, no more. */
export const NUMBER_POLICY: ThrottlePolicy = {
  windowMs: 10 * 60_000,
  maxAttempts: 10,
  maxFailures: 5,
  lockoutMs: 30 * 60_000,
};

const statusBody = z
  .object({
    registrationNumber: z.string().max(30).openapi({ example: '0000-0123-452' }),
    dateOfBirth: z.string().max(20).openapi({ example: '1990-03-14' }),
  })
  .openapi('StatusCheck');

const statusSchema = z
  .object({
    registrationNumber: z.string(),
    window: z.object({ id: z.string(), name: z.string() }),
    status: z.enum(registrationStatuses),
    waitlistPosition: z.number().int().nullable(),
    nextStep: z.object({ en: z.string(), bn: z.string() }),
  })
  .openapi('RegistrationStatus');

export const checkStatusRoute = defineRoute({
  method: 'post',
  path: '/v1/status',
  tags: ['Status'],
  summary: 'Check a registration (worker self-service)',
  description:
    "A worker's registration number and date of birth give the window, the status (registered, in the draw pool, selected, waitlisted with position, not selected, withdrawn) and the next step, nothing else. A wrong date of birth and an unknown number get the same 404. Limited per client address and per registration number, with a lockout after repeated failures (429 with Retry-After).",
  access: publicAccess,
  request: { body: jsonBody(statusBody) },
  responses: {
    200: jsonContent(statusSchema, 'The status.'),
    ...problemResponses(404, 413, 415, 429),
  },
});

function refuse(retryAfter: number): AppError {
  return new AppError('rate-limited', 'Too many status checks; try again later.', { retryAfter });
}

export function registerCheckStatus(app: ApiApp, state: RegistrationState): void {
  let calls = 0;
  app.openapi(checkStatusRoute, async (c) => {
    const body = c.req.valid('json');
    const now = state.now();
    // Counter keys are keyed hashes: the table holds neither addresses nor numbers.
    const key = (kind: string, value: string) =>
      hmacSha256Hex(state.idHashSecret, `status:${kind}:${value}`).slice(0, 40);
    const addressKey = key('address', clientAddress(c, state.trustedProxies));
    const byAddress = await takeThrottleAttempt(state.db, addressKey, ADDRESS_POLICY, now);
    if (byAddress.retryAfterSeconds !== undefined) throw refuse(byAddress.retryAfterSeconds);
    if (++calls % 1000 === 0) await purgeThrottle(state.db, new Date(now.getTime() - 24 * 3600_000));

    const number = parseRegistrationNumber(body.registrationNumber);
    const dateOfBirth = toAsciiDigits(body.dateOfBirth.trim());
    const errors = [
      ...(number.ok
        ? []
        : [{ pointer: '/body/registrationNumber', detail: registrationNumberProblem(number.reason) }]),
      ...(isCalendarDate(dateOfBirth)
        ? []
        : [{ pointer: '/body/dateOfBirth', detail: "a date 'YYYY-MM-DD'" }]),
    ];
    if (!number.ok || errors.length > 0) {
      throw new AppError('validation-failed', 'Check the number and the date of birth.', { errors });
    }
    const numberKey = key('number', number.number);
    const byNumber = await takeThrottleAttempt(state.db, numberKey, NUMBER_POLICY, now);
    if (byNumber.retryAfterSeconds !== undefined) throw refuse(byNumber.retryAfterSeconds);

    const r = await findRegistration(state.db, number.number);
    if (!r || r.dateOfBirth !== dateOfBirth) {
      await recordThrottleFailure(state.db, addressKey, ADDRESS_POLICY, now);
      await recordThrottleFailure(state.db, numberKey, NUMBER_POLICY, now);
      throw new AppError('not-found', 'No registration matches this number and date of birth.');
    }
    const window = await state.windows.get(r.windowId);
    c.header('cache-control', 'no-store');
    return c.json(
      {
        registrationNumber: r.registrationNumber,
        window: { id: r.windowId, name: window?.name ?? r.windowId },
        status: r.status,
        waitlistPosition: r.waitlistPosition,
        nextStep: nextStep(r.status, r.waitlistPosition),
      },
      200,
    );
  });
}
