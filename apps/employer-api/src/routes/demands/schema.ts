import type { DemandOrderRecord, DemandOrderVersion } from '@g2g/db';
import {
  closeOutcomes,
  type DemandTerms,
  demandStatuses,
  genders,
  type LivingTerms,
  openVacancies,
} from '@g2g/demand';
import { type Money, money, SCHEME_ID, SECTOR } from '@g2g/domain';
import { cursorParam, limitParam, moneySchema } from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { EMPLOYER_ID } from '../employers/schema.ts';

const living = (what: string) =>
  z
    .object({
      provided: z.boolean(),
      monthlyDeduction: moneySchema.openapi({
        description: `Deducted from the monthly wage for ${what}, in the wage currency; 0 when not provided.`,
      }),
      terms: z.string().trim().min(1).max(1000),
    })
    .openapi({
      description: `${what[0]!.toUpperCase()}${what.slice(1)}: provided or not, and on what terms.`,
    });

const ageRange = z
  .object({ min: z.number().int().min(14).max(80), max: z.number().int().min(14).max(80) })
  .openapi('AgeRange', { example: { min: 21, max: 40 } });

const termFields = {
  sector: z
    .string()
    .regex(SECTOR, 'lowercase slug such as plantation')
    .openapi({ example: 'plantation', description: "One of the scheme's sectors." }),
  jobTitle: z.string().trim().min(2).max(120).openapi({ example: 'Oil palm harvester' }),
  trade: z.string().trim().min(2).max(120).nullable().openapi({ example: 'harvesting' }),
  requiredSkills: z
    .array(z.string().trim().min(2).max(80))
    .max(20)
    .openapi({ example: ['harvesting', 'pruning'] }),
  workersRequested: z.number().int().min(1).max(100000),
  gender: z.enum(genders),
  ageRange,
  monthlyWage: moneySchema.openapi({ description: "In the scheme's wage currency, at least its minimum." }),
  contractMonths: z.number().int().min(1).max(120),
  workLocation: z.string().trim().min(2).max(300).openapi({ example: 'Ladang Sungai Buloh, Selangor' }),
  accommodation: living('accommodation'),
  food: living('food'),
  expectedStartDate: z.iso.date().openapi({ example: '2013-09-01' }),
};

export const createDemandBody = z
  .object({
    schemeId: z.string().regex(SCHEME_ID).openapi({ example: 'g2g-malaysia-2013' }),
    ...termFields,
    trade: termFields.trade.default(null),
    requiredSkills: termFields.requiredSkills.default([]),
  })
  .openapi('NewDemandOrder');

export const amendDemandBody = z
  .object({
    sector: termFields.sector.optional(),
    jobTitle: termFields.jobTitle.optional(),
    trade: termFields.trade.optional(),
    requiredSkills: termFields.requiredSkills.optional(),
    workersRequested: termFields.workersRequested.optional(),
    gender: termFields.gender.optional(),
    ageRange: ageRange.optional(),
    monthlyWage: moneySchema.optional(),
    contractMonths: termFields.contractMonths.optional(),
    workLocation: termFields.workLocation.optional(),
    accommodation: termFields.accommodation.optional(),
    food: termFields.food.optional(),
    expectedStartDate: termFields.expectedStartDate.optional(),
    workersApproved: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .optional()
      .openapi({ description: 'Committee only, on an approved order.' }),
    reason: z
      .string()
      .trim()
      .min(3)
      .max(1000)
      .optional()
      .openapi({ description: 'Required when amending an approved order.' }),
    expectedVersion: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'Refuse (409) unless the order is still at this version.' }),
  })
  .openapi('DemandOrderChange');

export const approveDemandBody = z
  .object({
    workersApproved: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .openapi({ description: 'At most the number requested.' }),
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .openapi('DemandApproval');

export const rejectDemandBody = z
  .object({ reason: z.string().trim().min(3).max(1000) })
  .openapi('DemandRejection');

export const closeDemandBody = z
  .object({
    outcome: z.enum(closeOutcomes).openapi({
      description: '`filled` (an approved order with no open vacancy) or `cancelled`.',
    }),
    reason: z.string().trim().min(3).max(1000),
  })
  .openapi('DemandClosure');

const termsResponse = z.object({
  ...termFields,
  monthlyWage: moneySchema,
});

export const demandOrderSchema = z
  .object({
    id: z.string().uuid(),
    employerId: z.string(),
    schemeId: z.string(),
    status: z.enum(demandStatuses),
    version: z.number().int(),
    ...termsResponse.shape,
    workersApproved: z.number().int().nullable(),
    openVacancies: z
      .number()
      .int()
      .openapi({ description: 'Approved workers not yet matched by a placement.' }),
    rejectReason: z.string().nullable(),
    closeOutcome: z.enum(closeOutcomes).nullable(),
    closeReason: z.string().nullable(),
    createdAt: z.string().datetime(),
    submittedAt: z.string().datetime().nullable(),
    approvedAt: z.string().datetime().nullable(),
    decidedAt: z.string().datetime().nullable(),
    closedAt: z.string().datetime().nullable(),
    updatedAt: z.string().datetime(),
  })
  .openapi('DemandOrder');

export const demandVersionSchema = z
  .object({
    demandId: z.string().uuid(),
    version: z.number().int(),
    ...termsResponse.shape,
    workersApproved: z.number().int().nullable().openapi({
      description: 'The approved number of workers when this version was recorded (null before approval).',
    }),
    reason: z.string().nullable(),
    recordedAt: z.string().datetime(),
    recordedByRole: z.string(),
  })
  .openapi('DemandOrderVersion');

export const demandIdParam = z.object({
  demandId: z
    .string()
    .uuid()
    .openapi({ param: { name: 'demandId', in: 'path' }, example: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' }),
});

export const versionParam = demandIdParam.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'version', in: 'path' }, example: 1, type: 'integer' }),
});

export const listDemandsQuery = z.object({
  status: z.enum(demandStatuses).optional(),
  schemeId: z.string().regex(SCHEME_ID).optional(),
  employerId: z.string().regex(EMPLOYER_ID).optional(),
  cursor: cursorParam,
  limit: limitParam(200, 50),
});

export const demandPageSchema = z
  .object({ items: z.array(demandOrderSchema), nextCursor: z.string().nullable() })
  .openapi('DemandOrderPage');

type MoneyBody = z.infer<typeof moneySchema>;
type LivingBody = z.infer<ReturnType<typeof living>>;
type TermsBody = Partial<z.infer<typeof termsResponse>>;

const moneyFrom = (m: MoneyBody): Money => money(m.amountMinor, m.currency);
const moneyView = (m: Money): MoneyBody => ({ amountMinor: Number(m.amountMinor), currency: m.currency });
const livingFrom = (l: LivingBody): LivingTerms => ({
  ...l,
  monthlyDeduction: moneyFrom(l.monthlyDeduction),
});
const livingView = (l: LivingTerms): LivingBody => ({
  ...l,
  monthlyDeduction: moneyView(l.monthlyDeduction),
});

/** The terms a request gives (all of them on creation, some on amendment), in domain form. */
export function termsFrom(body: z.infer<typeof termsResponse>): DemandTerms;
export function termsFrom(body: TermsBody): Partial<DemandTerms>;
export function termsFrom(body: TermsBody): Partial<DemandTerms> {
  const { monthlyWage, accommodation, food, ...rest } = body;
  return {
    ...rest,
    ...(monthlyWage ? { monthlyWage: moneyFrom(monthlyWage) } : {}),
    ...(accommodation ? { accommodation: livingFrom(accommodation) } : {}),
    ...(food ? { food: livingFrom(food) } : {}),
  };
}

function termsView(t: DemandTerms): z.infer<typeof termsResponse> {
  return {
    ...t,
    requiredSkills: [...t.requiredSkills],
    ageRange: { ...t.ageRange },
    monthlyWage: moneyView(t.monthlyWage),
    accommodation: livingView(t.accommodation),
    food: livingView(t.food),
  };
}

export function demandOrderView(o: DemandOrderRecord): z.infer<typeof demandOrderSchema> {
  return {
    id: o.id,
    employerId: o.employerId,
    schemeId: o.schemeId,
    status: o.status,
    version: o.version,
    ...termsView(o.terms),
    workersApproved: o.workersApproved,
    openVacancies: openVacancies(o),
    rejectReason: o.rejectReason,
    closeOutcome: o.closeOutcome,
    closeReason: o.closeReason,
    createdAt: o.createdAt.toISOString(),
    submittedAt: o.submittedAt?.toISOString() ?? null,
    approvedAt: o.approvedAt?.toISOString() ?? null,
    decidedAt: o.decidedAt?.toISOString() ?? null,
    closedAt: o.closedAt?.toISOString() ?? null,
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function demandVersionView(v: DemandOrderVersion): z.infer<typeof demandVersionSchema> {
  return {
    demandId: v.demandOrderId,
    version: v.version,
    ...termsView(v.terms),
    workersApproved: v.workersApproved,
    reason: v.reason,
    recordedAt: v.recordedAt.toISOString(),
    recordedByRole: v.recordedBy.role,
  };
}
