import { type Kysely, sql } from 'kysely';
import type { Database } from '../types.ts';

/**
 * Inserts `count` synthetic registrations into a window in one statement (benchmarks and draw tests):
 * numbers 3xxxxxxxxxx from `from`, spread over every union (home union and centre), one in five
 * female, ages 9-33 years before 2004, three preference lists, registered over nine days from
 * `registeredFrom`. Deterministic: the same arguments give the same rows.
 */
export async function insertSyntheticRegistrations(
  db: Kysely<Database>,
  windowId: string,
  count: number,
  options: { from?: number; registeredFrom?: Date } = {},
): Promise<void> {
  const from = options.from ?? 1;
  const at = options.registeredFrom ?? new Date('2013-01-13T04:00:00Z');
  await sql`
    insert into registrations (registration_number, window_id, centre_union_id, permanent_union_id, id_kind,
      id_hash, id_last4, name_en, name_bn, gender, date_of_birth, mobile, preferred_sectors, education, channel,
      registered_at, registered_by)
    select lpad((30000000000 + i)::text, 11, '0'), ${windowId}, 1 + i % 4540, 1 + (i * 7) % 4540, 'nid',
      sha256(convert_to('synthetic:' || ${windowId} || ':' || i, 'UTF8')), lpad((i % 10000)::text, 4, '0'),
      'Synthetic Worker', 'কৃত্রিম কর্মী', case when i % 5 = 0 then 'female' else 'male' end,
      date '1980-01-01' + (i % 9000), '+88017' || lpad((i % 100000000)::text, 8, '0'),
      (case i % 3 when 0 then '{plantation,construction}' when 1 then '{construction,manufacturing}'
        else '{manufacturing,plantation}' end)::text[],
      'ssc', 'online', ${at.toISOString()}::timestamptz + (i % 9) * interval '1 day', 'synthetic'
    from generate_series(${from}::int, ${from + count - 1}::int) as i
  `.execute(db);
}
