import type { EmployerAccount, EmployerProfile } from '@g2g/db';
import { employerStatuses } from '@g2g/demand';
import { COUNTRY, SECTOR } from '@g2g/domain';
import { cursorParam, limitParam } from '@g2g/http';
import { z } from '@hono/zod-openapi';

export const EMPLOYER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const contact = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).nullable().default(null),
    phone: z
      .string()
      .regex(/^\+[0-9]{6,15}$/, 'E.164, such as +60312345678')
      .openapi({ example: '+60312345678' }),
  })
  .openapi('EmployerContact', { description: 'The contact person (personal data: never in audit details).' });

const profile = {
  legalName: z.string().trim().min(2).max(200).openapi({ example: 'Felda Plantations Sdn Bhd' }),
  country: z
    .string()
    .regex(COUNTRY)
    .default('MY')
    .openapi({ description: 'Where the company is registered.' }),
  companyRegistrationNumber: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .openapi({ example: '200301012345', description: 'The company registration number in that country.' }),
  sector: z.string().regex(SECTOR, 'lowercase slug such as plantation').openapi({ example: 'plantation' }),
  address: z.string().trim().min(5).max(500).openapi({ example: 'Jalan Gurney 1, 54000 Kuala Lumpur' }),
  contact,
};

export const createEmployerBody = z
  .object({
    id: z.string().regex(EMPLOYER_ID).optional().openapi({
      description:
        "The account id: the `employer` claim of the employer's tokens. An employer may omit it (its own claim is used); the committee must give it.",
      example: 'felda-1',
    }),
    ...profile,
  })
  .openapi('NewEmployer');

export const updateEmployerBody = z
  .object({
    legalName: profile.legalName.optional(),
    country: z.string().regex(COUNTRY).optional(),
    companyRegistrationNumber: profile.companyRegistrationNumber.optional(),
    sector: profile.sector.optional(),
    address: profile.address.optional(),
    contact: contact.optional(),
  })
  .openapi('EmployerChange', {
    description: 'Fields to change. An employer may change its address and contact; the committee anything.',
  });

export const statusReasonBody = z
  .object({ reason: z.string().trim().min(3).max(1000) })
  .openapi('EmployerStatusReason');

export const employerSchema = z
  .object({
    id: z.string(),
    legalName: z.string(),
    country: z.string(),
    companyRegistrationNumber: z.string(),
    sector: z.string(),
    address: z.string(),
    contact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string() }),
    status: z.enum(employerStatuses),
    statusReason: z.string().nullable(),
    createdAt: z.string().datetime(),
    approvedAt: z.string().datetime().nullable(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Employer');

export const employerIdParam = z.object({
  employerId: z
    .string()
    .regex(EMPLOYER_ID)
    .openapi({ param: { name: 'employerId', in: 'path' }, example: 'felda-1' }),
});

export const listEmployersQuery = z.object({
  status: z.enum(employerStatuses).optional(),
  cursor: cursorParam,
  limit: limitParam(500, 100),
});

export const employerPageSchema = z
  .object({ items: z.array(employerSchema), nextCursor: z.string().nullable() })
  .openapi('EmployerPage');

export function employerView(a: EmployerAccount): z.infer<typeof employerSchema> {
  return {
    id: a.id,
    legalName: a.legalName,
    country: a.country,
    companyRegistrationNumber: a.companyRegistrationNumber,
    sector: a.sector,
    address: a.address,
    contact: { ...a.contact },
    status: a.status,
    statusReason: a.statusReason,
    createdAt: a.createdAt.toISOString(),
    approvedAt: a.approvedAt?.toISOString() ?? null,
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function profileFrom(body: z.infer<typeof createEmployerBody>): EmployerProfile {
  const { id: _id, ...rest } = body;
  return rest;
}
