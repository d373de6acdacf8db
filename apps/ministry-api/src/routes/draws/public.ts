import { allow, publicAccess } from '@g2g/auth';
import {
  type DrawRecord,
  findDraw,
  getDraw,
  getDrawManifest,
  listDrawPromotions,
  listDraws,
  readDrawFileChunks,
  recordDrawDropout,
  runIdempotent,
} from '@g2g/db';
import { AppError, digestOf } from '@g2g/domain';
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
import { POOL_FIELDS, RESULT_FIELDS } from '@g2g/lottery';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { MinistryApiDeps } from '../../app.ts';
import type { DrawKeys } from '../../draw-keys.ts';
import { drawIdParam, drawSchema, drawView, dropoutBody } from './schema.ts';

const notModified = { 304: { description: 'Not modified since the ETag in If-None-Match.' } };
const IMMUTABLE = 'public, max-age=86400, immutable';

/** Answers 304 when the client already has this version; sets the cache headers either way. */
function cached(c: Context, etag: string, cacheControl: string): Response | null {
  c.header('etag', etag);
  c.header('cache-control', cacheControl);
  const match = c.req.header('if-none-match');
  if (match?.split(',').some((t) => t.trim() === etag)) return c.body(null, 304);
  return null;
}

export const listDrawsRoute = defineRoute({
  method: 'get',
  path: '/v1/draws',
  tags: ['Draws (public)'],
  summary: 'List draws',
  description:
    'Every draw with its state, policy, commitments, pool hash and counts. Public, cacheable (ETag, 30 s).',
  access: publicAccess,
  responses: {
    200: jsonContent(z.object({ items: z.array(drawSchema) }), 'The draws.'),
    ...notModified,
    ...problemResponses(),
  },
});

export const getDrawRoute = defineRoute({
  method: 'get',
  path: '/v1/draws/{drawId}',
  tags: ['Draws (public)'],
  summary: 'Read a draw',
  description:
    'One draw as the ceremony has it so far (fairness report once executed). Public, cacheable (ETag).',
  access: publicAccess,
  request: { params: drawIdParam },
  responses: { 200: jsonContent(drawSchema, 'The draw.'), ...notModified, ...problemResponses(404) },
});

const manifestSchema = z
  .object({
    manifest: z.record(z.string(), z.unknown()),
    jws: z.string().openapi({
      description: 'Compact JWS (EdDSA) whose payload is the canonical JSON (RFC 8785) of `manifest`.',
    }),
  })
  .openapi('SignedDrawManifest');

export const manifestRoute = defineRoute({
  method: 'get',
  path: '/v1/draws/{drawId}/manifest',
  tags: ['Draws (public)'],
  summary: 'The signed manifest of a published draw',
  description:
    'Algorithm and version, policy, pool hash and counts, commitments and reveals, beacon, seed, result hash and times, with a JWS by the ministry key (/.well-known/jwks.json). Immutable once published.',
  access: publicAccess,
  request: { params: drawIdParam },
  responses: { 200: jsonContent(manifestSchema, 'The manifest.'), ...notModified, ...problemResponses(404) },
});

const fileQuery = z.object({
  format: z.enum(['tsv', 'ndjson', 'csv']).optional().openapi({
    description:
      '`tsv`: the canonical file of docs/lottery-spec.md (what the hashes cover); `ndjson` or `csv`: the same rows as JSON lines or CSV. Default from Accept, else tsv for the pool and ndjson for results.',
  }),
});

export const poolRoute = defineRoute({
  method: 'get',
  path: '/v1/draws/{drawId}/pool',
  tags: ['Draws (public)'],
  summary: 'The frozen pool file',
  description:
    'Registration numbers and the attributes the policy uses (no names or identity numbers), one line per entry in canonical order; its SHA-256 is the pool hash. Available from the freeze; streamed; immutable.',
  access: publicAccess,
  request: { params: drawIdParam, query: fileQuery },
  responses: {
    200: { description: 'The pool file.', content: { 'text/tab-separated-values': { schema: z.string() } } },
    ...notModified,
    ...problemResponses(404),
  },
});

export const resultsRoute = defineRoute({
  method: 'get',
  path: '/v1/draws/{drawId}/results',
  tags: ['Draws (public)'],
  summary: 'The result of a published draw',
  description:
    'Every pool entry with its outcome, rank, stratum, waitlist position and order, streamed: NDJSON by default, CSV with `Accept: text/csv` or `?format=csv`, the canonical result file (whose SHA-256 is the result hash) with `?format=tsv`. Immutable.',
  access: publicAccess,
  request: { params: drawIdParam, query: fileQuery },
  responses: {
    200: {
      description: 'The results.',
      content: {
        'application/x-ndjson': { schema: z.string() },
        'text/csv': { schema: z.string() },
        'text/tab-separated-values': { schema: z.string() },
      },
    },
    ...notModified,
    ...problemResponses(404),
  },
});

const promotionSchema = z
  .object({ record: z.record(z.string(), z.unknown()), jws: z.string() })
  .openapi('SignedPromotion');

export const promotionsRoute = defineRoute({
  method: 'get',
  path: '/v1/draws/{drawId}/promotions',
  tags: ['Draws (public)'],
  summary: 'Dropouts and promotions of a published draw',
  description: 'The append-only, signed record of replacements from the waitlist. Public, cacheable (ETag).',
  access: publicAccess,
  request: { params: drawIdParam },
  responses: {
    200: jsonContent(z.object({ items: z.array(promotionSchema) }), 'The promotion records, oldest first.'),
    ...notModified,
    ...problemResponses(404),
  },
});

export const dropoutRoute = defineRoute({
  method: 'post',
  path: '/v1/draws/{drawId}/dropouts',
  tags: ['Draws'],
  summary: 'Record a dropout and promote from the waitlist',
  description:
    'A selected (or promoted) worker withdraws or fails the medical: the next eligible waitlisted worker is promoted deterministically (docs/lottery-spec.md section 8) and a signed promotion record is appended. The published result never changes. Audited; Idempotency-Key.',
  access: allow('ministry_officer'),
  request: { params: drawIdParam, headers: idempotencyKeyHeader, body: jsonBody(dropoutBody) },
  responses: {
    201: jsonContent(promotionSchema, 'The promotion record.'),
    ...problemResponses(401, 403, 404, 409, 413, 415, 422),
  },
});

export const jwksRoute = defineRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['Draws (public)'],
  summary: "The ministry's draw-signing public keys",
  description: 'Verifies the JWS of draw manifests and promotion records.',
  access: publicAccess,
  responses: {
    200: jsonContent(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'A JWK set.'),
    ...problemResponses(),
  },
});

function drawNotFound(id: string): AppError {
  return new AppError('not-found', `There is no draw "${id}".`);
}

async function publishedDraw(deps: MinistryApiDeps, id: string): Promise<DrawRecord> {
  const draw = await findDraw(deps.db, id);
  if (!draw || draw.state !== 'published')
    throw new AppError('not-found', `Draw "${id}" has no published result.`);
  return draw;
}

type FileFormat = 'tsv' | 'ndjson' | 'csv';

function formatOf(c: Context, query: FileFormat | undefined, fallback: FileFormat): FileFormat {
  if (query) return query;
  const accept = c.req.header('accept') ?? '';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('ndjson')) return 'ndjson';
  if (accept.includes('tab-separated-values')) return 'tsv';
  return fallback;
}

const CONTENT_TYPES: Record<FileFormat, string> = {
  tsv: 'text/tab-separated-values; charset=us-ascii',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=us-ascii',
};

/** Re-encodes canonical TSV lines as NDJSON objects or CSV rows, keyed by the file's field names. */
function lineEncoder(format: FileFormat, fields: readonly string[]): (line: string) => string {
  if (format === 'tsv') return (line) => `${line}\n`;
  if (format === 'csv') {
    return (line) =>
      `${line
        .split('\t')
        .map((v) => (v.includes(',') ? `"${v}"` : v))
        .join(',')}\n`;
  }
  const numeric = new Set([
    'division',
    'district',
    'upazila',
    'union',
    'age',
    'rank',
    'stratum',
    'waitlistPosition',
  ]);
  return (line) => {
    const values = line.split('\t');
    const object: Record<string, unknown> = {};
    fields.forEach((name, k) => {
      const v = values[k] ?? '';
      object[name] =
        v === '' && name !== 'sectors'
          ? null
          : numeric.has(name)
            ? Number(v)
            : name === 'sectors'
              ? v === ''
                ? []
                : v.split(',')
              : v;
    });
    return `${JSON.stringify(object)}\n`;
  };
}

/** Streams a stored file, a few chunks per database read, re-encoded line by line when asked. */
function streamFile(
  deps: MinistryApiDeps,
  kind: 'pool' | 'result',
  drawId: string,
  format: FileFormat,
  fields: readonly string[],
): ReadableStream<Uint8Array> {
  const encode = lineEncoder(format, fields);
  const encoder = new TextEncoder();
  let seq = 0;
  let partial = '';
  let headerSent = format !== 'csv';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${fields.join(',')}\n`));
        return;
      }
      const page = await readDrawFileChunks(deps.db, kind, drawId, seq, 2);
      if (page.length === 0) {
        controller.close();
        return;
      }
      seq = page[page.length - 1]!.seq + 1;
      for (const chunk of page) {
        if (format === 'tsv') {
          controller.enqueue(chunk.bytes);
          continue;
        }
        const lines = (partial + Buffer.from(chunk.bytes).toString('latin1')).split('\n');
        partial = lines.pop()!;
        controller.enqueue(encoder.encode(lines.map(encode).join('')));
      }
    },
  });
}

export function registerDrawReads(app: ApiApp, deps: MinistryApiDeps & { drawKeys: DrawKeys }): void {
  app.openapi(listDrawsRoute, async (c) => {
    const body = { items: (await listDraws(deps.db)).map(drawView) };
    return (
      cached(c, `"${digestOf(JSON.stringify(body)).slice(0, 32)}"`, 'public, max-age=30') ?? c.json(body, 200)
    );
  });
  app.openapi(getDrawRoute, async (c) => {
    const draw = drawView(await getDraw(deps.db, c.req.valid('param').drawId));
    const final = draw.state === 'published' || draw.state === 'voided';
    return (
      cached(
        c,
        `"${digestOf(JSON.stringify(draw)).slice(0, 32)}"`,
        final ? IMMUTABLE : 'public, max-age=10',
      ) ?? c.json(draw, 200)
    );
  });
  app.openapi(manifestRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const signed = await getDrawManifest(deps.db, drawId);
    if (!signed) throw new AppError('not-found', `Draw "${drawId}" has no published manifest.`);
    return (
      cached(c, `"${digestOf(signed.jws).slice(0, 32)}"`, IMMUTABLE) ??
      c.json({ manifest: signed.manifest as unknown as Record<string, unknown>, jws: signed.jws }, 200)
    );
  });
  app.openapi(poolRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const draw = await findDraw(deps.db, drawId);
    if (!draw) throw drawNotFound(drawId);
    if (!draw.pool) throw new AppError('not-found', `The pool of draw "${drawId}" is not frozen yet.`);
    const format = formatOf(c, c.req.valid('query').format, 'tsv');
    const hit = cached(c, `"${draw.pool.hash}-${format}"`, IMMUTABLE);
    if (hit) return hit;
    c.header('content-type', CONTENT_TYPES[format]);
    c.header('x-pool-hash', draw.pool.hash);
    if (format === 'tsv') c.header('content-length', String(draw.pool.bytes));
    return c.body(streamFile(deps, 'pool', drawId, format, POOL_FIELDS), 200);
  });
  app.openapi(resultsRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const draw = await publishedDraw(deps, drawId);
    const format = formatOf(c, c.req.valid('query').format, 'ndjson');
    const hit = cached(c, `"${draw.resultHash}-${format}"`, IMMUTABLE);
    if (hit) return hit;
    c.header('content-type', CONTENT_TYPES[format]);
    c.header('x-result-hash', draw.resultHash!);
    return c.body(streamFile(deps, 'result', drawId, format, RESULT_FIELDS), 200);
  });
  app.openapi(promotionsRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    await publishedDraw(deps, drawId);
    const items = (await listDrawPromotions(deps.db, drawId)).map((p) => ({
      record: p.record as unknown as Record<string, unknown>,
      jws: p.jws,
    }));
    const body = { items };
    return (
      cached(c, `"${digestOf(JSON.stringify(body)).slice(0, 32)}"`, 'public, max-age=30') ?? c.json(body, 200)
    );
  });
  app.openapi(dropoutRoute, async (c) => {
    const { drawId } = c.req.valid('param');
    const body = c.req.valid('json');
    const ctx = auditContext(c);
    const outcome = await runIdempotent(deps.db, idempotencyClaim(c, body), async (trx) => {
      const stored = await recordDrawDropout(trx, drawId, body, deps.drawKeys.sign, ctx);
      return {
        status: 201 as const,
        body: { record: stored.record as unknown as Record<string, unknown>, jws: stored.jws },
      };
    });
    return c.json(outcome.body, 201);
  });
  app.openapi(jwksRoute, async (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json((await deps.drawKeys.jwks()) as unknown as { keys: Record<string, unknown>[] }, 200);
  });
}
