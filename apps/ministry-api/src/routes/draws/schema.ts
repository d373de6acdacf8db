import { DRAW_ID, DRAW_STATES, DROPOUT_REASONS, type DrawRecord } from '@g2g/db';
import { z } from '@hono/zod-openapi';

export const drawIdParam = z.object({
  drawId: z
    .string()
    .regex(DRAW_ID)
    .openapi({ param: { name: 'drawId', in: 'path' }, example: 'g2g-my-2013-shortlist' }),
});

const policySchema = z.record(z.string(), z.unknown()).openapi('DrawPolicy', {
  description:
    'The draw policy of docs/lottery-spec.md section 4: `total`, `quota` {level, basis[, population]}, `orders` (ids of approved demand orders, sector, vacancies, gender, minAge, maxAge) and `waitlist`. Checked by the engine (`validatePolicy`).',
  example: {
    total: 36000,
    quota: { level: 'union', basis: 'registrants' },
    orders: [],
    waitlist: { per: 'stratum', length: 2 },
  },
});

export const createDrawBody = z
  .object({
    id: z
      .string()
      .regex(DRAW_ID, 'lowercase letters, digits and dashes, 3-64')
      .openapi({ example: 'g2g-my-2013-shortlist' }),
    name: z.string().trim().min(3).max(120).openapi({ example: 'G2G Malaysia 2013 shortlist' }),
    source: z.union([
      z.object({ windowId: z.string().min(1).max(64) }).strict(),
      z.object({ drawId: z.string().regex(DRAW_ID) }).strict(),
    ]),
    policy: policySchema,
  })
  .openapi('NewDraw');

export const editDrawBody = z
  .object({ name: z.string().trim().min(3).max(120).optional(), policy: policySchema.optional() })
  .refine((b) => b.name !== undefined || b.policy !== undefined, { message: 'change the name or the policy' })
  .openapi('DrawDraftChange');

const HEX64 = /^[0-9a-f]{64}$/;
export const commitBody = z
  .object({
    commitment: z.string().regex(HEX64, '64 lowercase hexadecimal characters').openapi({
      description:
        'SHA-256 (lowercase hex) of the 64 ASCII characters of your secret: `printf %s "$secret" | sha256sum`.',
    }),
  })
  .openapi('WitnessCommitment');
export const revealBody = z
  .object({ secret: z.string().regex(HEX64, '64 lowercase hexadecimal characters (32 random bytes)') })
  .openapi('WitnessReveal');
export const freezeBody = z
  .object({
    beaconName: z.string().trim().min(1).max(200).optional().openapi({
      description:
        'A public value to be entered after the reveals, named now (e.g. `drand quicknet round 1234567`).',
    }),
  })
  .openapi('DrawFreeze');
export const beaconBody = z.object({ value: z.string().min(1).max(1000) }).openapi('DrawBeacon');
export const publishBody = z
  .object({
    fairnessOverrideReason: z.string().trim().min(10).max(1000).optional().openapi({
      description:
        'Required only when the fairness report blocks publication; audited and published in the manifest.',
    }),
  })
  .openapi('DrawPublish');
export const voidBody = z.object({ reason: z.string().trim().min(5).max(1000) }).openapi('DrawVoid');
export const dropoutBody = z
  .object({
    registrationNumber: z.string().regex(/^[0-9]{11}$/, '11 digits'),
    reason: z.enum(DROPOUT_REASONS),
  })
  .openapi('DrawDropout');

const stratum = z.object({ id: z.number().int(), registrants: z.number().int() });
export const drawSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.enum(DRAW_STATES),
    windowId: z.string(),
    sourceDrawId: z.string().nullable(),
    algorithm: z.string(),
    policy: z.unknown(),
    policyDigest: z.string(),
    beaconName: z.string().nullable(),
    beaconValue: z.string().nullable(),
    commitments: z.array(
      z.object({
        witnessId: z.string(),
        commitment: z.string(),
        committedAt: z.string(),
        secret: z.string().nullable(),
        revealedAt: z.string().nullable(),
      }),
    ),
    pool: z
      .object({
        hash: z.string(),
        size: z.number().int(),
        bytes: z.number().int(),
        level: z.string(),
        strata: z.array(stratum),
        ageReferenceDate: z.string(),
        frozenAt: z.string(),
      })
      .nullable(),
    seed: z.string().nullable(),
    resultHash: z.string().nullable(),
    result: z.unknown().nullable(),
    fairness: z.unknown().nullable(),
    fairnessOverrideReason: z.string().nullable(),
    executedAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    voidReason: z.string().nullable(),
    voidedFrom: z.string().nullable(),
    links: z.record(z.string(), z.string()),
  })
  .openapi('Draw');

/** The public view: no names or identity numbers exist in a draw; a commitment's secret only once revealed. */
export function drawView(d: DrawRecord): z.infer<typeof drawSchema> {
  const base = `/v1/draws/${d.id}`;
  return {
    id: d.id,
    name: d.name,
    state: d.state,
    windowId: d.windowId,
    sourceDrawId: d.sourceDrawId,
    algorithm: d.algorithm,
    policy: d.policy,
    policyDigest: d.policyDigest,
    beaconName: d.beaconName,
    beaconValue: d.beaconValue,
    commitments: d.commitments.map((c) => ({
      witnessId: c.witnessId,
      commitment: c.commitment,
      committedAt: c.committedAt.toISOString(),
      secret: c.secret,
      revealedAt: c.revealedAt?.toISOString() ?? null,
    })),
    pool: d.pool ? { ...d.pool, strata: [...d.pool.strata], frozenAt: d.pool.frozenAt.toISOString() } : null,
    seed: d.seed,
    resultHash: d.resultHash,
    result: d.result,
    fairness: d.fairness,
    fairnessOverrideReason: d.fairnessOverrideReason,
    executedAt: d.executedAt?.toISOString() ?? null,
    publishedAt: d.publishedAt?.toISOString() ?? null,
    voidReason: d.voidReason,
    voidedFrom: d.voidedFrom,
    links: {
      self: base,
      ...(d.pool ? { pool: `${base}/pool` } : {}),
      ...(d.state === 'published'
        ? { manifest: `${base}/manifest`, results: `${base}/results`, promotions: `${base}/promotions` }
        : {}),
    },
  };
}
