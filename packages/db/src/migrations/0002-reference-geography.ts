import { districts, divisions, unions, upazillas } from 'bd-geojs';
import type { Kysely } from 'kysely';

/**
 * Reference data: the administrative geography of Bangladesh — 8 divisions, 64 districts,
 * 491 upazilas, 4,540 unions with Bangla names — from the `bd-geojs` package (MIT), pinned to an
 * exact version so that this migration always loads the same rows. Each union has one Union
 * Information and Service Centre; its centre code is `U` and the union's id in four digits.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the live Database type
export async function up(db: Kysely<any>): Promise<void> {
  const int = (value: string) => Number.parseInt(value, 10);
  const clean = (value: string) => value.normalize('NFC').replace(/\s+/g, ' ').trim();

  await db
    .insertInto('divisions')
    .values(divisions.map((d) => ({ id: int(d.id), name: clean(d.name), name_bn: clean(d.bn_name) })))
    .execute();
  await db
    .insertInto('districts')
    .values(
      districts.map((d) => ({
        id: int(d.id),
        division_id: int(d.division_id),
        name: clean(d.name),
        name_bn: clean(d.bn_name),
      })),
    )
    .execute();
  await db
    .insertInto('upazilas')
    .values(
      upazillas.map((u) => ({
        id: int(u.id),
        district_id: int(u.district_id),
        name: clean(u.name),
        name_bn: clean(u.bn_name),
      })),
    )
    .execute();
  const rows = unions.map((u) => ({
    id: int(u.id),
    upazila_id: int(u.upazilla_id),
    name: clean(u.name),
    name_bn: clean(u.bn_name),
    centre_code: `U${u.id.padStart(4, '0')}`,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('unions')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}
