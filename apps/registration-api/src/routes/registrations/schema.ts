import { cursorParam, limitParam, moneySchema } from '@g2g/http';
import { educationLevels, genders, identityKinds, registrationStatuses, WINDOW_ID } from '@g2g/registration';
import { z } from '@hono/zod-openapi';

/**
 * The shape of a registration request. Only types and outer lengths are checked here; formats
 * (identity numbers, Bangla digits, names, mobile numbers, dates, union codes) are checked by
 * `checkWorker` in @g2g/registration, which reports every problem with its pointer.
 */
export const registrationBody = z
  .object({
    windowId: z.string().regex(WINDOW_ID).openapi({ example: 'g2g-my-2013-jan' }),
    identity: z.object({
      kind: z.enum(identityKinds).openapi({
        description: 'nid: national ID (10 digits, legacy 13, or 17); birth-registration: 17 digits.',
      }),
      number: z.string().min(1).max(40).openapi({ example: '19902691234567890' }),
    }),
    nameEn: z.string().max(300).openapi({ example: 'Md. Abdul Karim' }),
    nameBn: z.string().max(300).openapi({ example: 'মোঃ আব্দুল করিম' }),
    gender: z.enum(genders),
    dateOfBirth: z
      .string()
      .max(20)
      .openapi({ example: '1990-03-14', description: 'YYYY-MM-DD; Bangla digits accepted.' }),
    mobile: z.string().max(30).openapi({ example: '01712345678' }),
    permanentUnionCode: z
      .string()
      .max(10)
      .openapi({ example: 'U1414', description: 'Union of the permanent address.' }),
    preferredSectors: z
      .array(z.string().max(40))
      .max(10)
      .openapi({ example: ['plantation', 'construction'] }),
    education: z.enum(educationLevels),
    trade: z.string().max(200).optional().openapi({ example: 'Mason' }),
    skills: z.array(z.string().max(100)).max(10).optional(),
    experienceYears: z.union([z.number().int(), z.string().max(4)]).optional(),
    passportNumber: z.string().max(20).optional(),
  })
  .openapi('NewRegistration');

export type RegistrationBody = z.infer<typeof registrationBody>;

const place = z.object({ code: z.string(), name: z.string(), nameBn: z.string() });

export const registrationSchema = z
  .object({
    registrationNumber: z
      .string()
      .openapi({ example: '00000123452', description: '11 digits: serial + Damm check digit.' }),
    displayNumber: z.string().openapi({ example: '0000-0123-452' }),
    status: z.enum(registrationStatuses),
    waitlistPosition: z.number().int().nullable(),
    channel: z.enum(['online', 'offline']),
    window: z.object({ id: z.string(), name: z.string() }),
    centre: place,
    registeredAt: z.string(),
    serviceCharge: moneySchema,
    worker: z.object({
      nameEn: z.string(),
      nameBn: z.string(),
      gender: z.enum(genders),
      dateOfBirth: z.string(),
      identity: z.object({ kind: z.enum(identityKinds), last4: z.string() }),
      mobile: z.string(),
      permanentUnion: place,
      preferredSectors: z.array(z.string()),
      education: z.enum(educationLevels),
      trade: z.string().nullable(),
      skills: z.array(z.string()),
      experienceYears: z.number().int(),
      passportNumber: z.string().nullable(),
    }),
    withdrawal: z.object({ at: z.string(), reason: z.string() }).nullable(),
    receiptUrl: z.string(),
  })
  .openapi('Registration');

export const registrationNumberParam = z.object({
  registrationNumber: z
    .string()
    .max(30)
    .openapi({ param: { name: 'registrationNumber', in: 'path' }, example: '00000123452' }),
});

export const listRegistrationsQuery = z.object({
  window: z.string().regex(WINDOW_ID).optional(),
  status: z.enum(registrationStatuses).optional(),
  from: z.iso.date().optional().openapi({ description: 'Registered on or after this Dhaka date.' }),
  to: z.iso.date().optional().openapi({ description: 'Registered on or before this Dhaka date.' }),
  q: z.string().trim().min(2).max(100).optional().openapi({
    description: 'A registration number (any form, Bangla digits too) or part of the English or Bangla name.',
  }),
  cursor: cursorParam,
  limit: limitParam(200, 50),
});

export const registrationPageSchema = z
  .object({ items: z.array(registrationSchema), nextCursor: z.string().nullable() })
  .openapi('RegistrationPage');

export const amendmentBody = z
  .looseObject({
    reason: z.string().trim().min(5).max(500),
    mobile: z.string().max(30).optional(),
    education: z.enum(educationLevels).optional(),
    trade: z.string().max(200).nullable().optional(),
    skills: z.array(z.string().max(100)).max(10).optional(),
    experienceYears: z.union([z.number().int(), z.string().max(4)]).optional(),
    passportNumber: z.string().max(20).nullable().optional(),
  })
  .openapi('RegistrationAmendment', {
    description:
      'Contact details and skills only. Identity fields (identity, names, gender, date of birth, permanent address, sectors) cannot change: withdraw and register again.',
  });

export const withdrawalBody = z.object({ reason: z.string().trim().min(5).max(500) }).openapi('Withdrawal');
