import { cursorParam, limitParam } from '@g2g/http';
import { z } from '@hono/zod-openapi';

const place = z.object({ id: z.number().int(), name: z.string(), nameBn: z.string() });

export const centreSchema = z
  .object({
    code: z.string().openapi({ example: 'U1414', description: 'Stable centre code: U and the union id.' }),
    union: place,
    upazila: place,
    district: place,
    division: place,
  })
  .openapi('Centre');

const placeFilter = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(60)
    .transform((v) => (/^[0-9]+$/.test(v) ? Number.parseInt(v, 10) : v))
    .optional()
    .openapi({ description: `${what} id, or English name (case-insensitive).`, type: 'string' });

export const listCentresQuery = z.object({
  division: placeFilter('Division'),
  district: placeFilter('District'),
  upazila: placeFilter('Upazila'),
  cursor: cursorParam,
  limit: limitParam(500, 100),
});

export const centrePageSchema = z
  .object({ items: z.array(centreSchema), nextCursor: z.string().nullable() })
  .openapi('CentrePage');
