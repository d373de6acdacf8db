import { allow } from '@g2g/auth';
import { recordPlacementStage } from '@g2g/db';
import { type PlacementCommand, placementRolesFor } from '@g2g/demand';
import {
  type ApiApp,
  type AppDeps,
  type AppEnv,
  defineRoute,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import type { Context } from 'hono';
import { idempotentWrite } from '../support.ts';
import { dropoutBody, medicalBody, placementParam, placementSchema, placementView } from './schema.ts';

const responses = {
  200: jsonContent(placementSchema, 'The placement at its new stage.'),
  ...problemResponses(401, 403, 404, 409, 413, 415),
};
const rest =
  "From any other stage 409 naming the current one; a placement not on this order (or on another employer's) 404. Audited.";

export const medicalRoute = defineRoute({
  method: 'post',
  path: '/v1/demands/{demandId}/placements/{placementId}/medical',
  tags: ['Fill'],
  summary: 'Record the medical result',
  description: `selected → medical_passed or medical_failed, by a ministry officer. A failed placement frees its vacancy for a replacement. ${rest}`,
  access: allow(...placementRolesFor('medical')),
  request: { params: placementParam, headers: idempotencyKeyHeader, body: jsonBody(medicalBody) },
  responses,
});

/** A stage recorded without a body: the path names it, the roles come from the stage machine. */
function stageRoute<const W extends 'visa' | 'departure' | 'arrival'>(
  what: W,
  summary: string,
  description: string,
) {
  return defineRoute({
    method: 'post',
    path: `/v1/demands/{demandId}/placements/{placementId}/${what}` as `/v1/demands/{demandId}/placements/{placementId}/${W}`,
    tags: ['Fill'],
    summary,
    description: `${description} ${rest}`,
    access: allow(...placementRolesFor(what)),
    request: { params: placementParam, headers: idempotencyKeyHeader },
    responses,
  });
}

export const visaRoute = stageRoute(
  'visa',
  'Record the visa issued',
  'medical_passed → visa_issued, by a ministry officer.',
);
export const departureRoute = stageRoute(
  'departure',
  'Record the departure',
  'visa_issued → departed, by a ministry officer.',
);
export const arrivalRoute = stageRoute(
  'arrival',
  'Record the arrival',
  'departed → arrived, by the employer that owns the order or the committee.',
);

export const dropoutRoute = defineRoute({
  method: 'post',
  path: '/v1/demands/{demandId}/placements/{placementId}/dropout',
  tags: ['Fill'],
  summary: 'Record a dropout',
  description: `selected, medical_passed, visa_issued or departed → dropped_out, with a reason from a closed set, by a ministry officer. Frees the vacancy for a replacement from the draw's waitlist (made by the ministry API). ${rest}`,
  access: allow(...placementRolesFor('dropout')),
  request: { params: placementParam, headers: idempotencyKeyHeader, body: jsonBody(dropoutBody) },
  responses,
});

async function record(
  c: Context<AppEnv>,
  deps: AppDeps,
  param: { demandId: string; placementId: string },
  command: PlacementCommand,
) {
  return idempotentWrite(c, deps, { ...param, ...command }, 200, async (trx, ctx) =>
    placementView(await recordPlacementStage(trx, param.demandId, param.placementId, command, ctx)),
  );
}

export function registerRecordStage(app: ApiApp, deps: AppDeps): void {
  app.openapi(medicalRoute, async (c) =>
    c.json(
      await record(c, deps, c.req.valid('param'), { type: 'medical', result: c.req.valid('json').result }),
      200,
    ),
  );
  app.openapi(visaRoute, async (c) =>
    c.json(await record(c, deps, c.req.valid('param'), { type: 'visa' }), 200),
  );
  app.openapi(departureRoute, async (c) =>
    c.json(await record(c, deps, c.req.valid('param'), { type: 'departure' }), 200),
  );
  app.openapi(arrivalRoute, async (c) =>
    c.json(await record(c, deps, c.req.valid('param'), { type: 'arrival' }), 200),
  );
  app.openapi(dropoutRoute, async (c) =>
    c.json(
      await record(c, deps, c.req.valid('param'), { type: 'dropout', reason: c.req.valid('json').reason }),
      200,
    ),
  );
}
