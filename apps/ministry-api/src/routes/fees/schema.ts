import { currencies, SCHEME_ID } from '@g2g/domain';
import { localDateSchema } from '@g2g/fee-routes';
import { type CapRule, type CategoryRule, type CostCategory, costCategories } from '@g2g/fees';
import { moneySchema } from '@g2g/http';
import { z } from '@hono/zod-openapi';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const capSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('fixed'), amount: moneySchema }),
    z.object({ kind: z.literal('wage_months'), months: z.number().int().min(1).max(120) }),
    z.object({ kind: z.literal('zero') }),
  ])
  .openapi('FeeCap', { example: { kind: 'fixed', amount: { amountMinor: 4000000, currency: 'BDT' } } });

const categoryRuleSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('worker_may_pay'), limit: moneySchema.nullable().default(null) }),
    z.object({ kind: z.literal('employer_only') }),
  ])
  .openapi('FeeCategoryRule');

const categoriesSchema = z
  .object(
    Object.fromEntries(costCategories.map((c) => [c, categoryRuleSchema])) as Record<
      CostCategory,
      typeof categoryRuleSchema
    >,
  )
  .strict()
  .openapi('FeeCategories', {
    description: 'Every cost category, marked worker-may-pay (optional limit) or employer-only.',
  });

export const policyVersionBody = z
  .object({
    id: z.string().regex(IDENTIFIER).openapi({ example: 'g2g-2013' }),
    currency: z
      .enum(currencies)
      .openapi({ description: 'The scheme currency (the same for every version).' }),
    matchWindowDays: z.number().int().min(0).max(366).default(14),
    effectiveFrom: localDateSchema.openapi({ example: '2013-01-01' }),
    effectiveTo: localDateSchema
      .nullable()
      .default(null)
      .openapi({ description: 'First day it no longer applies; null: until the next version starts.' }),
    cap: capSchema,
    categories: categoriesSchema,
  })
  .openapi('NewFeePolicyVersion');

export const policyVersionSchema = z
  .object({
    id: z.string(),
    schemeId: z.string(),
    currency: z.string(),
    matchWindowDays: z.number().int(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    recordedEffectiveTo: z.string().nullable(),
    cap: z.unknown(),
    categories: z.unknown(),
    recordedAt: z.string(),
    recordedBy: z.string(),
  })
  .openapi('FeePolicyVersion');

export function capFrom(body: z.infer<typeof capSchema>): CapRule {
  return body.kind === 'fixed'
    ? {
        kind: 'fixed',
        amount: { amountMinor: BigInt(body.amount.amountMinor), currency: body.amount.currency },
      }
    : body;
}

export function categoriesFrom(
  body: z.infer<typeof categoriesSchema>,
): Readonly<Record<CostCategory, CategoryRule>> {
  return Object.fromEntries(
    Object.entries(body).map(([c, r]) => [
      c,
      r.kind === 'worker_may_pay'
        ? {
            kind: 'worker_may_pay',
            limit: r.limit && { amountMinor: BigInt(r.limit.amountMinor), currency: r.limit.currency },
          }
        : r,
    ]),
  ) as Record<CostCategory, CategoryRule>;
}

/** bigint -> number for JSON (minor units of a policy stay far below 2^53). */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
}

export const schemeIdParam = z.object({
  schemeId: z
    .string()
    .regex(SCHEME_ID)
    .openapi({ param: { name: 'schemeId', in: 'path' }, example: 'g2g-malaysia-2013' }),
});

export const schemeIdQuery = z.string().regex(SCHEME_ID).optional().openapi({ example: 'g2g-malaysia-2013' });
