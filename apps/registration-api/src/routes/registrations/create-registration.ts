import { allow } from '@g2g/auth';
import {
  type ApiApp,
  auditContext,
  defineRoute,
  idempotencyClaim,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { operatorCentre, type RegistrationState } from '../../deps.ts';
import { registerWorker } from '../../registering.ts';
import { registrationBody, registrationSchema } from './schema.ts';

export const createRegistrationRoute = defineRoute({
  method: 'post',
  path: '/v1/registrations',
  tags: ['Registrations'],
  summary: 'Register a worker',
  description:
    "Registers a worker at the operator's centre (taken from the token) in an open window. Identity numbers (NID 10/13/17 digits, or a 17-digit birth registration number), mobile numbers and dates accept Bangla digits. One active registration per person per window: a second is 409 with the existing number in `registrationNumber`. Outside the window's times for the centre's division, or for an ineligible worker or a sector the window does not offer, 422 says why. An SMS confirmation is queued in the same transaction. Send an Idempotency-Key to retry safely.",
  access: allow('centre_operator'),
  request: { headers: idempotencyKeyHeader, body: jsonBody(registrationBody) },
  responses: {
    201: jsonContent(registrationSchema, 'Registered: the number and the receipt.'),
    ...problemResponses(401, 403, 409, 413, 415, 422),
  },
});

export function registerCreateRegistration(app: ApiApp, state: RegistrationState): void {
  app.openapi(createRegistrationRoute, async (c) => {
    const body = c.req.valid('json');
    const centre = await operatorCentre(c, state);
    const view = await registerWorker(
      state,
      body,
      centre,
      auditContext(c, state.now()),
      idempotencyClaim(c, body),
    );
    c.header('location', `/v1/registrations/${view.registrationNumber}`);
    return c.json(view, 201);
  });
}
