import { COUNTRY, SCHEME_ID, type Scheme, SECTOR } from '@g2g/domain';
import { moneySchema } from '@g2g/http';
import { z } from '@hono/zod-openapi';

const rules = z.object({
  sectors: z
    .array(z.string().regex(SECTOR, 'lowercase slug such as plantation'))
    .min(1)
    .max(50)
    .openapi({ example: ['plantation', 'manufacturing', 'construction', 'services'] }),
  minMonthlyWage: moneySchema.openapi({ description: 'Lowest monthly wage a demand order may offer.' }),
  maxContractMonths: z.number().int().min(1).max(120),
  minAge: z.number().int().min(14).max(80),
  maxAge: z.number().int().min(14).max(80),
});

export const schemeRulesSchema = rules.openapi('SchemeRules');

export const createSchemeBody = z
  .object({
    id: z
      .string()
      .regex(SCHEME_ID, 'lowercase letters, digits and dashes, 3-63')
      .openapi({ example: 'g2g-malaysia-2013' }),
    name: z.string().trim().min(3).max(120).openapi({ example: 'G2G Malaysia 2013' }),
    originCountry: z.string().regex(COUNTRY).default('BD'),
    destinationCountry: z.string().regex(COUNTRY).openapi({ example: 'MY' }),
    rules: schemeRulesSchema,
  })
  .openapi('NewScheme');

export const changeRulesBody = z
  .object({ rules: schemeRulesSchema, reason: z.string().trim().min(5).max(500) })
  .openapi('SchemeRulesChange');

export const schemeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    originCountry: z.string(),
    destinationCountry: z.string(),
    wageCurrency: z.string(),
    rules: schemeRulesSchema,
  })
  .openapi('Scheme');

export const schemeIdParam = z.object({
  schemeId: z
    .string()
    .regex(SCHEME_ID)
    .openapi({ param: { name: 'schemeId', in: 'path' }, example: 'g2g-malaysia-2013' }),
});

export function schemeRulesFrom(input: z.infer<typeof rules>) {
  return {
    sectors: input.sectors,
    minMonthlyWageMinor: BigInt(input.minMonthlyWage.amountMinor),
    maxContractMonths: input.maxContractMonths,
    minAge: input.minAge,
    maxAge: input.maxAge,
  };
}

export function schemeView(scheme: Scheme): z.infer<typeof schemeSchema> {
  return {
    id: scheme.id,
    name: scheme.name,
    originCountry: scheme.originCountry,
    destinationCountry: scheme.destinationCountry,
    wageCurrency: scheme.wageCurrency,
    rules: {
      sectors: [...scheme.rules.sectors],
      minMonthlyWage: {
        amountMinor: Number(scheme.rules.minMonthlyWageMinor),
        currency: scheme.wageCurrency,
      },
      maxContractMonths: scheme.rules.maxContractMonths,
      minAge: scheme.rules.minAge,
      maxAge: scheme.rules.maxAge,
    },
  };
}
