import { allow } from '@g2g/auth';
import { amendRegistration, withdrawRegistration } from '@g2g/db';
import { AppError } from '@g2g/domain';
import { type ApiApp, auditContext, defineRoute, jsonBody, jsonContent, problemResponses } from '@g2g/http';
import { checkAmendment } from '@g2g/registration';
import { operatorCentre, type RegistrationState } from '../../deps.ts';
import { pathNumber, viewsOf } from './read-registrations.ts';
import { amendmentBody, registrationNumberParam, registrationSchema, withdrawalBody } from './schema.ts';

export const amendRegistrationRoute = defineRoute({
  method: 'patch',
  path: '/v1/registrations/{registrationNumber}',
  tags: ['Registrations'],
  summary: 'Amend contact details or skills',
  description:
    "Changes the mobile number, education, trade, skills, experience or passport number of one of the centre's registrations, with a reason (audited: the fields named, never their values). A new mobile number is told at both numbers. Identity fields cannot change: withdraw and register again.",
  access: allow('centre_operator'),
  request: { params: registrationNumberParam, body: jsonBody(amendmentBody) },
  responses: {
    200: jsonContent(registrationSchema, 'The amended registration.'),
    ...problemResponses(401, 403, 404, 413, 415, 422),
  },
});

export const withdrawRegistrationRoute = defineRoute({
  method: 'post',
  path: '/v1/registrations/{registrationNumber}/withdrawal',
  tags: ['Registrations'],
  summary: 'Withdraw a registration',
  description:
    "Withdraws one of the centre's registrations at the worker's request, with a reason (audited; the worker is told by SMS). Possible until the draw pool is frozen. The worker may then register again.",
  access: allow('centre_operator'),
  request: { params: registrationNumberParam, body: jsonBody(withdrawalBody) },
  responses: {
    200: jsonContent(registrationSchema, 'The withdrawn registration.'),
    ...problemResponses(401, 403, 404, 413, 415, 422),
  },
});

export function registerChangeRegistration(app: ApiApp, state: RegistrationState): void {
  app.openapi(amendRegistrationRoute, async (c) => {
    const number = pathNumber(c.req.valid('param').registrationNumber);
    const { reason, ...fields } = c.req.valid('json');
    const checked = checkAmendment(fields);
    if (!checked.ok) {
      throw new AppError('validation-failed', 'The amendment has invalid fields; see errors.', {
        errors: checked.errors,
      });
    }
    const centre = await operatorCentre(c, state);
    const ctx = auditContext(c, state.now());
    const r = await state.db
      .transaction()
      .execute((trx) => amendRegistration(trx, number, centre.unionId, checked.value, reason, ctx));
    const [view] = await viewsOf(state, [r]);
    return c.json(view!, 200);
  });

  app.openapi(withdrawRegistrationRoute, async (c) => {
    const number = pathNumber(c.req.valid('param').registrationNumber);
    const { reason } = c.req.valid('json');
    const centre = await operatorCentre(c, state);
    const ctx = auditContext(c, state.now());
    const r = await state.db
      .transaction()
      .execute((trx) => withdrawRegistration(trx, number, centre.unionId, reason, ctx));
    const [view] = await viewsOf(state, [r]);
    return c.json(view!, 200);
  });
}
