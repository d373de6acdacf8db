import type { StoredWindow } from '@g2g/db';
import { AppError, money } from '@g2g/domain';
import { moneySchema } from '@g2g/http';
import { genders, resolveSchedule, WINDOW_ID, type WindowDefinition } from '@g2g/registration';
import { z } from '@hono/zod-openapi';

/**
 * Registration windows on the wire, shared by the ministry API (which creates and amends them) and
 * the registration API (which reads them): one schema, one view.
 */
const instant = z.iso.datetime({ offset: true }).openapi({ example: '2013-01-14T09:00:00+06:00' });
const sector = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a sector slug such as plantation');

const divisionTimes = z.object({
  divisionId: z.number().int().min(1).max(99),
  opensAt: instant,
  closesAt: instant,
});

export const windowDefinitionSchema = z.object({
  name: z.string().trim().min(3).max(120).openapi({ example: 'January 2013 registration' }),
  sectors: z
    .array(sector)
    .min(1)
    .max(50)
    .openapi({ example: ['plantation', 'manufacturing', 'construction'] }),
  opensAt: instant
    .optional()
    .openapi({ description: 'Opening time for every division not listed in divisionSchedule.' }),
  closesAt: instant.optional().openapi({ description: 'Closing time for every division not listed.' }),
  divisionSchedule: z.array(divisionTimes).max(8).default([]).openapi({
    description:
      'Times for particular divisions (2013: division by division, three days each). A division neither listed nor covered by opensAt/closesAt cannot register in this window.',
  }),
  eligibility: z.object({
    minAge: z.number().int().min(14).max(80),
    maxAge: z.number().int().min(14).max(80),
    ageReferenceDate: z.iso
      .date()
      .nullable()
      .default(null)
      .openapi({ description: 'Ages are counted on this date; null: on the day of registration.' }),
    genders: z.array(z.enum(genders)).min(1).max(3),
    citizenship: z.literal('BD').default('BD'),
  }),
  serviceCharge: moneySchema.openapi({
    description: 'Collected at the centre, BDT minor units (Tk 50 = 5000).',
    example: { amountMinor: 5000, currency: 'BDT' },
  }),
});

export const createWindowBody = windowDefinitionSchema
  .extend({
    id: z
      .string()
      .regex(WINDOW_ID, 'lowercase letters, digits and dashes, 3-63')
      .openapi({ example: 'g2g-my-2013-jan' }),
    schemeId: z.string().min(3).max(63).openapi({ example: 'g2g-malaysia-2013' }),
  })
  .openapi('NewWindow');

export const amendWindowBody = windowDefinitionSchema
  .extend({ reason: z.string().trim().min(5).max(500) })
  .openapi('WindowAmendment');

export const windowSchema = z
  .object({
    id: z.string(),
    schemeId: z.string(),
    name: z.string(),
    sectors: z.array(z.string()),
    schedule: z.array(z.object({ divisionId: z.number().int(), opensAt: z.string(), closesAt: z.string() })),
    eligibility: z.object({
      minAge: z.number().int(),
      maxAge: z.number().int(),
      ageReferenceDate: z.string().nullable(),
      genders: z.array(z.enum(genders)),
      citizenship: z.literal('BD'),
    }),
    serviceCharge: moneySchema,
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Window');

export const windowIdParam = z.object({
  windowId: z
    .string()
    .regex(WINDOW_ID)
    .openapi({ param: { name: 'windowId', in: 'path' }, example: 'g2g-my-2013-jan' }),
});

/** The definition a request describes, every division's times resolved. */
export function windowDefinitionFrom(
  body: z.infer<typeof windowDefinitionSchema>,
  divisionIds: readonly number[],
): WindowDefinition {
  if ((body.opensAt === undefined) !== (body.closesAt === undefined)) {
    const missing = body.opensAt === undefined ? 'opensAt' : 'closesAt';
    throw new AppError('validation-failed', 'Default times come as a pair.', {
      errors: [{ pointer: `/body/${missing}`, detail: 'give both opensAt and closesAt, or neither' }],
    });
  }
  if (body.opensAt === undefined && body.divisionSchedule.length === 0) {
    throw new AppError('validation-failed', 'The window would never open.', {
      errors: [
        { pointer: '/body/divisionSchedule', detail: 'give opensAt and closesAt, or times per division' },
      ],
    });
  }
  const overrides = body.divisionSchedule.map((d) => ({
    divisionId: d.divisionId,
    opensAt: new Date(d.opensAt),
    closesAt: new Date(d.closesAt),
  }));
  const schedule =
    body.opensAt !== undefined && body.closesAt !== undefined
      ? resolveSchedule(
          { opensAt: new Date(body.opensAt), closesAt: new Date(body.closesAt) },
          overrides,
          divisionIds,
        )
      : overrides;
  return {
    name: body.name,
    sectors: body.sectors,
    schedule,
    eligibility: { ...body.eligibility, citizenship: 'BD' },
    serviceCharge: money(body.serviceCharge.amountMinor, body.serviceCharge.currency),
  };
}

export function windowView(w: StoredWindow): z.infer<typeof windowSchema> {
  return {
    id: w.id,
    schemeId: w.schemeId,
    name: w.name,
    sectors: [...w.sectors],
    schedule: w.schedule.map((s) => ({
      divisionId: s.divisionId,
      opensAt: s.opensAt.toISOString(),
      closesAt: s.closesAt.toISOString(),
    })),
    eligibility: { ...w.eligibility, genders: [...w.eligibility.genders] },
    serviceCharge: { amountMinor: Number(w.serviceCharge.amountMinor), currency: w.serviceCharge.currency },
    version: w.version,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}
