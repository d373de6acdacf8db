import { type Kysely, sql } from 'kysely';
import type { Database } from './types.ts';

export interface Centre {
  readonly code: string;
  readonly union: { readonly id: number; readonly name: string; readonly nameBn: string };
  readonly upazila: { readonly id: number; readonly name: string; readonly nameBn: string };
  readonly district: { readonly id: number; readonly name: string; readonly nameBn: string };
  readonly division: { readonly id: number; readonly name: string; readonly nameBn: string };
}

/** A geography filter: the numeric id, or the English name (case-insensitive). */
export type PlaceFilter = number | string;

export interface CentreQuery {
  readonly division?: PlaceFilter | undefined;
  readonly district?: PlaceFilter | undefined;
  readonly upazila?: PlaceFilter | undefined;
  /** Keyset cursor: the last centre code of the previous page. */
  readonly after?: string | undefined;
  readonly limit: number;
}

function centresBase(db: Kysely<Database>) {
  return db
    .selectFrom('unions as un')
    .innerJoin('upazilas as up', 'up.id', 'un.upazila_id')
    .innerJoin('districts as di', 'di.id', 'up.district_id')
    .innerJoin('divisions as dv', 'dv.id', 'di.division_id')
    .select([
      'un.centre_code',
      'un.id as union_id',
      'un.name as union_name',
      'un.name_bn as union_name_bn',
      'up.id as upazila_id',
      'up.name as upazila_name',
      'up.name_bn as upazila_name_bn',
      'di.id as district_id',
      'di.name as district_name',
      'di.name_bn as district_name_bn',
      'dv.id as division_id',
      'dv.name as division_name',
      'dv.name_bn as division_name_bn',
    ]);
}

type CentreRow = Awaited<ReturnType<ReturnType<typeof centresBase>['executeTakeFirstOrThrow']>>;

function toCentre(r: CentreRow): Centre {
  return {
    code: r.centre_code,
    union: { id: r.union_id, name: r.union_name, nameBn: r.union_name_bn },
    upazila: { id: r.upazila_id, name: r.upazila_name, nameBn: r.upazila_name_bn },
    district: { id: r.district_id, name: r.district_name, nameBn: r.district_name_bn },
    division: { id: r.division_id, name: r.division_name, nameBn: r.division_name_bn },
  };
}

function placeIs(alias: 'dv' | 'di' | 'up', filter: PlaceFilter) {
  return typeof filter === 'number'
    ? sql<boolean>`${sql.ref(`${alias}.id`)} = ${filter}`
    : sql<boolean>`lower(${sql.ref(`${alias}.name`)}) = ${filter.toLowerCase()}`;
}

export async function listCentres(db: Kysely<Database>, query: CentreQuery): Promise<Centre[]> {
  let q = centresBase(db);
  if (query.division !== undefined) q = q.where(placeIs('dv', query.division));
  if (query.district !== undefined) q = q.where(placeIs('di', query.district));
  if (query.upazila !== undefined) q = q.where(placeIs('up', query.upazila));
  if (query.after !== undefined) q = q.where('un.centre_code', '>', query.after);
  const rows = await q.orderBy('un.centre_code').limit(query.limit).execute();
  return rows.map(toCentre);
}

export async function findCentre(db: Kysely<Database>, code: string): Promise<Centre | undefined> {
  const row = await centresBase(db).where('un.centre_code', '=', code).executeTakeFirst();
  return row ? toCentre(row) : undefined;
}
