import { allow } from '@g2g/auth';
import {
  commitWitness,
  createDraw,
  type Database,
  type DrawRecord,
  enterBeaconValue,
  executeDraw,
  freezeDraw,
  publishDraw,
  revealWitnessSecret,
  runIdempotent,
  type Transaction,
  updateDraftDraw,
  voidDraw,
} from '@g2g/db';
import { AppError, type CanonicalValue } from '@g2g/domain';
import {
  type ApiApp,
  type AppEnv,
  auditContext,
  defineRoute,
  idempotencyClaim,
  idempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import type { Context } from 'hono';
import type { MinistryApiDeps } from '../../app.ts';
import type { DrawKeys } from '../../draw-keys.ts';
import {
  beaconBody,
  commitBody,
  createDrawBody,
  drawIdParam,
  drawSchema,
  drawView,
  editDrawBody,
  freezeBody,
  publishBody,
  revealBody,
  voidBody,
} from './schema.ts';

const officer = allow('ministry_officer');
const witness = allow('witness');
const drawResponse = (description: string) => jsonContent(drawSchema, description);
const WITNESS_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Step = (trx: Transaction<Database>, ctx: ReturnType<typeof auditContext>) => Promise<DrawRecord>;

/** Runs one ceremony step in a transaction (claiming the Idempotency-Key with it) and answers the draw. */
async function runStep<S extends 200 | 201>(
  c: Context<AppEnv>,
  deps: MinistryApiDeps,
  body: CanonicalValue,
  status: S,
  step: Step,
) {
  const ctx = auditContext(c);
  const outcome = await runIdempotent(deps.db, idempotencyClaim(c, body), async (trx) => ({
    status,
    body: drawView(await step(trx, ctx)),
  }));
  return c.json(outcome.body, status);
}

function witnessIdOf(c: Context): string {
  const sub = (c.var as { actor: { sub: string } }).actor.sub;
  if (!WITNESS_ID.test(sub)) {
    throw new AppError(
      'rule-violated',
      'A witness id (the token subject) is 1-128 characters from A-Z a-z 0-9 . _ : -.',
    );
  }
  return sub;
}

export const createDrawRoute = defineRoute({
  method: 'post',
  path: '/v1/draws',
  tags: ['Draws'],
  summary: 'Create a draw (draft)',
  description:
    'A draft draw over a registration window (`source.windowId`) or over the selected set of an earlier published draw (`source.drawId`, a next stage). The policy is checked by the engine; its orders must be approved demand orders. Editable until the first witness commitment. Audited; Idempotency-Key.',
  access: officer,
  request: { headers: idempotencyKeyHeader, body: jsonBody(createDrawBody) },
  responses: { 201: drawResponse('The draft.'), ...problemResponses(401, 403, 404, 409, 413, 415, 422) },
});

export const editDrawRoute = defineRoute({
  method: 'patch',
  path: '/v1/draws/{drawId}',
  tags: ['Draws'],
  summary: 'Edit a draft draw',
  description: 'Changes the name or policy of a draft (audited); refused (409) once commitments have opened.',
  access: officer,
  request: { params: drawIdParam, body: jsonBody(editDrawBody) },
  responses: { 200: drawResponse('The draft.'), ...problemResponses(401, 403, 404, 409, 413, 415, 422) },
});

export const commitRoute = defineRoute({
  method: 'post',
  path: '/v1/draws/{drawId}/commitments',
  tags: ['Draws'],
  summary: 'Register a witness commitment',
  description:
    'A witness (token subject = witness id) commits to a secret it keeps: SHA-256 of the secret. The first commitment fixes the policy. Commitments close at the freeze. Audited.',
  access: witness,
  request: { params: drawIdParam, headers: idempotencyKeyHeader, body: jsonBody(commitBody) },
  responses: { 201: drawResponse('The draw.'), ...problemResponses(401, 403, 404, 409, 413, 415, 422) },
});

export const freezeRoute = defineRoute({
  method: 'post',
  path: '/v1/draws/{drawId}/freeze',
  tags: ['Draws'],
  summary: 'Freeze the pool',
  description:
    'Snapshots the eligible pool (no more withdrawals), stores the canonical pool file and publishes its hash, size and per-stratum counts; closes commitments (at least two). Optionally names a public beacon whose value is entered after the reveals. Audited.',
  access: officer,
  request: { params: drawIdParam, headers: idempotencyKeyHeader, body: jsonBody(freezeBody) },
  responses: {
    200: drawResponse('The frozen draw.'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export const revealRoute = defineRoute({
  method: 'post',
  path: '/v1/draws/{drawId}/reveals',
  tags: ['Draws'],
  summary: 'Reveal a witness secret',
  description:
    'The secret must hash to the commitment the same witness made (422 otherwise; nothing stored). Audited.',
  access: witness,
  request: { params: drawIdParam, headers: idempotencyKeyHeader, body: jsonBody(revealBody) },
  responses: { 201: drawResponse('The draw.'), ...problemResponses(401, 403, 404, 409, 413, 415, 422) },
});

export const beaconRoute = defineRoute({
  method: 'put',
  path: '/v1/draws/{drawId}/beacon',
  tags: ['Draws'],
  summary: 'Enter the beacon value',
  description: 'The value of the public beacon named at the freeze (once). Audited.',
  access: officer,
  request: { params: drawIdParam, body: jsonBody(beaconBody) },
  responses: { 200: drawResponse('The draw.'), ...problemResponses(401, 403, 404, 409, 413, 415, 422) },
});

export const executeRoute = defineRoute({
  method: 'post',
  path: '/v1/draws/{drawId}/execute',
  tags: ['Draws'],
  summary: 'Execute the draw',
  description:
    'Derives the seed (draw id, pool hash, reveals, beacon), runs the engine on the frozen pool, stores the result and the fairness report. Needs every reveal (and the beacon, if named). Deterministic; audited.',
  access: officer,
  request: { params: drawIdParam, headers: idempotencyKeyHeader },
  responses: {
    200: drawResponse('The executed draw.'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export const publishRoute = defineRoute({
  method: 'post',
  path: '/v1/draws/{drawId}/publish',
  tags: ['Draws'],
  summary: 'Publish the result',
  description:
    'Makes the result final: registrations become selected / waitlisted / not selected, the selected get an SMS, allocations become placements on their demand orders, and the manifest is signed (JWS, key at /.well-known/jwks.json). A blocking fairness report needs `fairnessOverrideReason` (audited). Audited.',
  access: officer,
  request: { params: drawIdParam, headers: idempotencyKeyHeader, body: jsonBody(publishBody) },
  responses: {
    200: drawResponse('The published draw.'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export const voidRoute = defineRoute({
  method: 'post',
  path: '/v1/draws/{drawId}/void',
  tags: ['Draws'],
  summary: 'Void a draw',
  description: 'Abandons an unpublished draw with a reason (e.g. a witness never revealed). Audited.',
  access: officer,
  request: { params: drawIdParam, headers: idempotencyKeyHeader, body: jsonBody(voidBody) },
  responses: {
    200: drawResponse('The voided draw.'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export function registerDrawCeremony(app: ApiApp, deps: MinistryApiDeps & { drawKeys: DrawKeys }): void {
  app.openapi(createDrawRoute, async (c) => {
    const body = c.req.valid('json');
    return runStep(c, deps, body as CanonicalValue, 201, (trx, ctx) => createDraw(trx, body, ctx));
  });
  app.openapi(editDrawRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runStep(c, deps, body as CanonicalValue, 200, (trx, ctx) =>
      updateDraftDraw(trx, drawId, body, ctx),
    );
  });
  app.openapi(commitRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    const witnessId = witnessIdOf(c);
    return runStep(c, deps, body, 201, (trx, ctx) =>
      commitWitness(trx, drawId, witnessId, body.commitment, ctx),
    );
  });
  app.openapi(freezeRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runStep(c, deps, body, 200, (trx, ctx) => freezeDraw(trx, drawId, body, ctx));
  });
  app.openapi(revealRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    const witnessId = witnessIdOf(c);
    return runStep(c, deps, body, 201, (trx, ctx) =>
      revealWitnessSecret(trx, drawId, witnessId, body.secret, ctx),
    );
  });
  app.openapi(beaconRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runStep(c, deps, body, 200, (trx, ctx) => enterBeaconValue(trx, drawId, body.value, ctx));
  });
  app.openapi(executeRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    return runStep(c, deps, {}, 200, (trx, ctx) => executeDraw(trx, drawId, ctx));
  });
  app.openapi(publishRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runStep(c, deps, body, 200, (trx, ctx) =>
      publishDraw(trx, drawId, { overrideReason: body.fairnessOverrideReason }, deps.drawKeys.sign, ctx),
    );
  });
  app.openapi(voidRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runStep(c, deps, body, 200, (trx, ctx) => voidDraw(trx, drawId, body.reason, ctx));
  });
}
