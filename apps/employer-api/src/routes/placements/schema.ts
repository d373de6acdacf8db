import type { DemandFill, PlacementRecord } from '@g2g/db';
import { demandStatuses, dropoutReasons, placementStages } from '@g2g/demand';
import { cursorParam, limitParam } from '@g2g/http';
import { z } from '@hono/zod-openapi';
import { demandIdParam } from '../demands/schema.ts';

export const placementParam = demandIdParam.extend({
  placementId: z
    .string()
    .uuid()
    .openapi({ param: { name: 'placementId', in: 'path' }, example: '0b6f9a2e-5c1d-4a57-9f7e-2d8c6b1e4f30' }),
});

const at = z.string().datetime().nullable();

export const placementSchema = z
  .object({
    id: z.string().uuid(),
    demandId: z.string().uuid(),
    registrationNumber: z
      .string()
      .openapi({ example: '20130000101', description: "The worker's registration number (never a name)." }),
    drawId: z.string().nullable(),
    stage: z.enum(placementStages),
    dropoutReason: z.enum(dropoutReasons).nullable(),
    replaces: z
      .string()
      .uuid()
      .nullable()
      .openapi({ description: 'The failed or dropped-out placement this one replaces.' }),
    replacedBy: z.string().uuid().nullable(),
    selectedAt: z.string().datetime(),
    medicalAt: at,
    visaIssuedAt: at,
    departedAt: at,
    arrivedAt: at,
    droppedOutAt: at,
  })
  .openapi('Placement');

export const medicalBody = z.object({ result: z.enum(['passed', 'failed']) }).openapi('MedicalResult');
export const dropoutBody = z
  .object({
    reason: z.enum(dropoutReasons).openapi({ description: 'A closed set: no personal detail in free text.' }),
  })
  .openapi('Dropout');

export const fillQuery = z.object({
  cursor: cursorParam,
  limit: limitParam(2000, 500),
});

const stageCounts = z.object(
  Object.fromEntries(placementStages.map((s) => [s, z.number().int()])) as {
    [K in (typeof placementStages)[number]]: z.ZodNumber;
  },
);

export const fillSchema = z
  .object({
    demandId: z.string().uuid(),
    status: z.enum(demandStatuses),
    workersApproved: z.number().int(),
    stages: stageCounts.openapi({ description: 'Placements per stage.' }),
    allocated: z.number().int().openapi({ description: 'Every placement made, replaced ones included.' }),
    active: z
      .number()
      .int()
      .openapi({ description: 'Placements not failed at medical and not dropped out.' }),
    openVacancies: z.number().int().openapi({ description: 'workersApproved − active (0 unless approved).' }),
    placements: z
      .array(placementSchema)
      .openapi({ description: 'A page of placements, by registration number.' }),
    nextCursor: z.string().nullable(),
  })
  .openapi('DemandFill');

export function placementView(p: PlacementRecord): z.infer<typeof placementSchema> {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: p.id,
    demandId: p.demandOrderId,
    registrationNumber: p.registrationNumber,
    drawId: p.drawId,
    stage: p.stage,
    dropoutReason: p.dropoutReason,
    replaces: p.replaces,
    replacedBy: p.replacedBy,
    selectedAt: p.selectedAt.toISOString(),
    medicalAt: iso(p.medicalAt),
    visaIssuedAt: iso(p.visaIssuedAt),
    departedAt: iso(p.departedAt),
    arrivedAt: iso(p.arrivedAt),
    droppedOutAt: iso(p.droppedOutAt),
  };
}

export function fillView(f: DemandFill, nextCursor: string | null): z.infer<typeof fillSchema> {
  return {
    demandId: f.order.id,
    status: f.order.status,
    workersApproved: f.fill.workersApproved,
    stages: { ...f.fill.stages },
    allocated: f.fill.allocated,
    active: f.fill.active,
    openVacancies: f.fill.openVacancies,
    placements: f.placements.map(placementView),
    nextCursor,
  };
}
