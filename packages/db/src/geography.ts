import type { Kysely } from 'kysely';
import type { Database } from './types.ts';

/** Where a union lies, by id, with its centre's code and names: reference data, loaded once. */
export interface UnionPlace {
  readonly unionId: number;
  readonly centreCode: string;
  readonly name: string;
  readonly nameBn: string;
  readonly upazilaId: number;
  readonly districtId: number;
  readonly divisionId: number;
}

export interface PlaceName {
  readonly name: string;
  readonly nameBn: string;
}

export interface Geography {
  readonly unions: ReadonlyMap<number, UnionPlace>;
  readonly districts: ReadonlyMap<number, PlaceName>;
  readonly divisions: ReadonlyMap<number, PlaceName>;
  readonly divisionIds: readonly number[];
}

const loaded = new WeakMap<Kysely<Database>, Promise<Geography>>();

/**
 * The administrative geography keyed by union id. It is reference data that only a migration
 * changes, so each process loads it once per database handle (4,540 unions, a few hundred kB) and
 * the hot paths (registration, batch sync) look places up without a query.
 */
export function geography(db: Kysely<Database>): Promise<Geography> {
  let entry = loaded.get(db);
  if (!entry) {
    entry = loadGeography(db);
    entry.catch(() => loaded.delete(db));
    loaded.set(db, entry);
  }
  return entry;
}

async function loadGeography(db: Kysely<Database>): Promise<Geography> {
  const rows = await db
    .selectFrom('unions as un')
    .innerJoin('upazilas as up', 'up.id', 'un.upazila_id')
    .innerJoin('districts as di', 'di.id', 'up.district_id')
    .select([
      'un.id',
      'un.centre_code',
      'un.name',
      'un.name_bn',
      'up.id as upazila_id',
      'di.id as district_id',
      'di.division_id',
    ])
    .execute();
  const divisions = await db
    .selectFrom('divisions')
    .select(['id', 'name', 'name_bn'])
    .orderBy('id')
    .execute();
  const districts = await db.selectFrom('districts').select(['id', 'name', 'name_bn']).execute();
  return {
    unions: new Map(
      rows.map((r) => [
        r.id,
        {
          unionId: r.id,
          centreCode: r.centre_code,
          name: r.name,
          nameBn: r.name_bn,
          upazilaId: r.upazila_id,
          districtId: r.district_id,
          divisionId: r.division_id,
        },
      ]),
    ),
    districts: new Map(districts.map((d) => [d.id, { name: d.name, nameBn: d.name_bn }])),
    divisions: new Map(divisions.map((d) => [d.id, { name: d.name, nameBn: d.name_bn }])),
    divisionIds: divisions.map((d) => d.id),
  };
}

/** `U1414` -> 1414 (the token's centre claim is already checked to have this shape). */
export function unionIdOfCentre(centreCode: string): number {
  return Number.parseInt(centreCode.slice(1), 10);
}
