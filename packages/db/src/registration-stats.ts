import { type Kysely, sql } from 'kysely';
import { geography } from './geography.ts';
import type { Database } from './types.ts';

export interface CountRow<K> {
  readonly key: K;
  readonly count: number;
}

/** Active registrations (withdrawn ones are counted apart), broken down every way the public asks. */
export interface RegistrationStats {
  readonly total: number;
  readonly withdrawn: number;
  readonly byWindow: readonly CountRow<string>[];
  /** By the division, district and upazila of the permanent address: where registrants come from. */
  readonly byDivision: readonly CountRow<number>[];
  readonly byDistrict: readonly CountRow<number>[];
  /** By the centre where they registered (its union id). */
  readonly byCentre: readonly CountRow<number>[];
  /** By the Dhaka date of registration. */
  readonly byDay: readonly CountRow<string>[];
  readonly byGender: readonly CountRow<string>[];
  /** By sector: a registrant counts once under every sector they named. */
  readonly bySector: readonly CountRow<string>[];
  /** By first-choice sector. */
  readonly byFirstSector: readonly CountRow<string>[];
}

/**
 * Counts of registrations, optionally for one window: one grouping-sets scan plus one for sectors;
 * places are rolled up from union ids with the in-memory geography.
 */
export async function registrationStats(
  db: Kysely<Database>,
  query: { windowId?: string | undefined } = {},
): Promise<RegistrationStats> {
  const where = query.windowId === undefined ? sql`true` : sql`window_id = ${query.windowId}`;
  const { rows } = await sql<{ dim: string; key: string | null; n: string; w: string }>`
    with r as (
      select window_id, permanent_union_id, centre_union_id, gender, preferred_sectors[1] as first_sector,
             status = 'withdrawn' as withdrawn,
             ((registered_at at time zone 'UTC') + interval '6 hours')::date as day
      from registrations where ${where}
    )
    select case
             when grouping(window_id) = 0 then 'window'
             when grouping(permanent_union_id) = 0 then 'union'
             when grouping(centre_union_id) = 0 then 'centre'
             when grouping(day) = 0 then 'day'
             when grouping(gender) = 0 then 'gender'
             when grouping(first_sector) = 0 then 'first_sector'
             else 'total'
           end as dim,
           coalesce(window_id, permanent_union_id::text, centre_union_id::text, day::text, gender, first_sector)
             as key,
           (count(*) filter (where not withdrawn))::text as n,
           (count(*) filter (where withdrawn))::text as w
    from r
    group by grouping sets ((), (window_id), (permanent_union_id), (centre_union_id), (day), (gender),
                            (first_sector))
  `.execute(db);
  const sectors = await sql<{ key: string; n: string }>`
    select s as key, count(*)::text as n
    from registrations, unnest(preferred_sectors) as s
    where ${where} and status <> 'withdrawn'
    group by s
  `.execute(db);
  return shapeStats(rows, sectors.rows, await geography(db));
}

function shapeStats(
  rows: readonly { dim: string; key: string | null; n: string; w: string }[],
  sectors: readonly { key: string; n: string }[],
  geo: Awaited<ReturnType<typeof geography>>,
): RegistrationStats {
  const dims = new Map<string, Map<string, number>>();
  let total = 0;
  let withdrawn = 0;
  for (const r of rows) {
    if (r.dim === 'total') {
      total = Number(r.n);
      withdrawn = Number(r.w);
    } else if (r.key !== null && Number(r.n) > 0) {
      const dim = dims.get(r.dim) ?? new Map<string, number>();
      dim.set(r.key, Number(r.n));
      dims.set(r.dim, dim);
    }
  }
  const list = <K>(dim: string, toKey: (k: string) => K) =>
    [...(dims.get(dim) ?? new Map<string, number>()).entries()]
      .map(([k, count]) => ({ key: toKey(k), count }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byUnion = list('union', Number);
  const rollUp = (pick: (unionId: number) => number | undefined) => {
    const counts = new Map<number, number>();
    for (const { key, count } of byUnion) {
      const id = pick(key);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + count);
    }
    return [...counts.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => a.key - b.key);
  };
  return {
    total,
    withdrawn,
    byWindow: list('window', String),
    byDivision: rollUp((u) => geo.unions.get(u)?.divisionId),
    byDistrict: rollUp((u) => geo.unions.get(u)?.districtId),
    byCentre: list('centre', Number).sort((a, b) => a.key - b.key),
    byDay: list('day', String),
    byGender: list('gender', String),
    bySector: sectors.map((s) => ({ key: s.key, count: Number(s.n) })).sort((a, b) => b.count - a.count),
    byFirstSector: list('first_sector', String),
  };
}
