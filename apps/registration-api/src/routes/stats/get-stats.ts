import { publicAccess } from '@g2g/auth';
import { registrationStats } from '@g2g/db';
import { type ApiApp, defineRoute, jsonContent, problemResponses } from '@g2g/http';
import { WINDOW_ID } from '@g2g/registration';
import { z } from '@hono/zod-openapi';
import type { RegistrationState } from '../../deps.ts';

const count = (key: z.ZodType, name: string) => z.array(z.object({ [name]: key, count: z.number().int() }));
const named = z.array(
  z.object({ id: z.number().int(), name: z.string(), nameBn: z.string(), count: z.number().int() }),
);

const statsSchema = z
  .object({
    generatedAt: z.string(),
    windowId: z.string().nullable(),
    total: z.number().int().openapi({ description: 'Active registrations (not withdrawn).' }),
    withdrawn: z.number().int(),
    byWindow: count(z.string(), 'windowId'),
    byDivision: named.openapi({ description: 'By the division of the permanent address.' }),
    byDistrict: named.openapi({ description: 'By the district of the permanent address.' }),
    byCentre: count(z.string(), 'centre').openapi({ description: 'By the centre where they registered.' }),
    byDay: count(z.string(), 'date').openapi({ description: 'By Dhaka date of registration.' }),
    byGender: count(z.string(), 'gender'),
    bySector: count(z.string(), 'sector').openapi({
      description: 'Each registrant under every sector they named.',
    }),
    byFirstSector: count(z.string(), 'sector'),
    demand: z
      .object({
        available: z.boolean(),
        bySector: z.array(
          z.object({
            sector: z.string(),
            registrants: z.number().int(),
            approvedVacancies: z.number().int(),
            registrantsPerVacancy: z.number().nullable(),
          }),
        ),
      })
      .openapi({
        description:
          'Registrants against approved employer demand: the real odds. `available: false` until approved demand exists.',
      }),
  })
  .openapi('RegistrationStats');

export const getStatsRoute = defineRoute({
  method: 'get',
  path: '/v1/stats',
  tags: ['Stats'],
  summary: 'Registration counts and the real odds',
  description:
    'Counts of active registrations by window, division, district, centre, day, gender and sector, and registrants against approved demand per sector once demand exists. Public; recomputed in the background at most every 30 seconds.',
  access: publicAccess,
  request: { query: z.object({ window: z.string().regex(WINDOW_ID).optional() }) },
  responses: { 200: jsonContent(statsSchema, 'The counts.'), ...problemResponses() },
});

const TTL_MS = 30_000;

export function registerGetStats(app: ApiApp, state: RegistrationState): void {
  const cache = new Map<string, { at: number; value: Promise<z.infer<typeof statsSchema>> }>();
  const refreshing = new Set<string>();
  const compute = async (windowId: string | undefined): Promise<z.infer<typeof statsSchema>> => {
    const [stats, geo, demand] = await Promise.all([
      registrationStats(state.db, { windowId }),
      state.geography(),
      state.approvedDemand.approvedVacanciesBySector(state.db, { windowId }),
    ]);
    const name = (place: { name: string; nameBn: string } | undefined) => ({
      name: place?.name ?? '',
      nameBn: place?.nameBn ?? '',
    });
    return {
      generatedAt: state.now().toISOString(),
      windowId: windowId ?? null,
      total: stats.total,
      withdrawn: stats.withdrawn,
      byWindow: stats.byWindow.map((r) => ({ windowId: r.key, count: r.count })),
      byDivision: stats.byDivision.map((r) => ({
        id: r.key,
        ...name(geo.divisions.get(r.key)),
        count: r.count,
      })),
      byDistrict: stats.byDistrict.map((r) => ({
        id: r.key,
        ...name(geo.districts.get(r.key)),
        count: r.count,
      })),
      byCentre: stats.byCentre.map((r) => ({
        centre: geo.unions.get(r.key)?.centreCode ?? String(r.key),
        count: r.count,
      })),
      byDay: stats.byDay.map((r) => ({ date: r.key, count: r.count })),
      byGender: stats.byGender.map((r) => ({ gender: r.key, count: r.count })),
      bySector: stats.bySector.map((r) => ({ sector: r.key, count: r.count })),
      byFirstSector: stats.byFirstSector.map((r) => ({ sector: r.key, count: r.count })),
      demand: {
        available: demand !== undefined,
        bySector: demand
          ? [...new Set([...stats.bySector.map((r) => r.key), ...demand.keys()])].sort().map((sector) => {
              const registrants = stats.bySector.find((r) => r.key === sector)?.count ?? 0;
              const vacancies = demand.get(sector) ?? 0;
              return {
                sector,
                registrants,
                approvedVacancies: vacancies,
                registrantsPerVacancy: vacancies > 0 ? Math.round((registrants / vacancies) * 10) / 10 : null,
              };
            })
          : [],
      },
    };
  };
  app.openapi(getStatsRoute, async (c) => {
    const { window } = c.req.valid('query');
    const key = window ?? '*';
    const hit = cache.get(key);
    const now = Date.now();
    // Stale while revalidating: after the first computation nobody waits for a scan (over 1.4 million
    // rows it takes seconds); an expired entry is served once more while one refresh runs.
    if (!hit || (now - hit.at >= TTL_MS && !refreshing.has(key))) {
      const value = compute(window);
      refreshing.add(key);
      const settle = () => refreshing.delete(key);
      value.then(
        () => {
          settle();
          if (cache.size > 200) cache.clear();
          cache.set(key, { at: Date.now(), value });
        },
        () => {
          settle();
          if (!hit) cache.delete(key);
        },
      );
      if (!hit) cache.set(key, { at: now, value });
    }
    c.header('cache-control', 'public, max-age=30');
    return c.json(await (hit?.value ?? cache.get(key)!.value), 200);
  });
}
