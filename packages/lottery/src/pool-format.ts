import { AppError, dateFromDayNumber } from '@g2g/domain';
import {
  type ChunkSink,
  collectLines,
  FragmentTable,
  LineBuffer,
  putFragment,
  sha256OfChunks,
} from './bytes.ts';
import {
  type CanonicalPool,
  GENDERS,
  type Gender,
  geographyLookup,
  MAX_AGE,
  PoolBuilder,
  type PoolEntry,
} from './pool.ts';

/**
 * The pool file: one line per entry in canonical order, each ending in LF, nine TAB-separated
 * fields: registration number, division, district, upazila, union, gender, age, sectors
 * (comma-separated, most preferred first; empty if none), registration date. ASCII only.
 */
export const POOL_FIELDS = [
  'registrationNumber',
  'division',
  'district',
  'upazila',
  'union',
  'gender',
  'age',
  'sectors',
  'registeredOn',
] as const;

/** Writes the canonical bytes of a pool (or of its rows `from .. to`), in chunks. */
export function writePool(pool: CanonicalPool, sink: ChunkSink, from = 0, to = pool.size): void {
  // After the registration number, a line is four fragments: place, gender and age, sectors, date.
  const { division, district, upazila } = geographyLookup(pool);
  const placeTexts: string[] = [];
  for (const { union } of pool.geography) {
    placeTexts[union] = `${division[union]}\t${district[union]}\t${upazila[union]}\t${union}\t`;
  }
  const places = new FragmentTable(placeTexts);
  const people = new FragmentTable(
    GENDERS.flatMap((gender) => Array.from({ length: MAX_AGE + 1 }, (_, age) => `${gender}\t${age}\t`)),
  );
  const lists = new FragmentTable(pool.preferenceLists.map((list) => `${list.join(',')}\t`));
  let firstDay = to > from ? pool.registeredOn[from]! : 0;
  let lastDay = firstDay;
  for (let i = from; i < to; i++) {
    const day = pool.registeredOn[i]!;
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  // A pool's registration dates span at most MAX_DATE_SPAN_DAYS, so a table of every day is small.
  const dates = new FragmentTable(
    Array.from({ length: lastDay - firstDay + 1 }, (_, d) => `${dateFromDayNumber(firstDay + d)}\n`),
  );

  const { registrationNumber, union, gender, age, registeredOn, preferences } = pool;
  const out = new LineBuffer(to - from, sink);
  const view = out.view;
  let pos = 0;
  for (let i = from; i < to; i++) {
    pos = out.startLine(pos, registrationNumber[i]!);
    pos = putFragment(view, pos, places, union[i]!);
    pos = putFragment(view, pos, people, gender[i]! * (MAX_AGE + 1) + age[i]!);
    pos = putFragment(view, pos, lists, preferences[i]!);
    pos = putFragment(view, pos, dates, registeredOn[i]! - firstDay);
  }
  out.end(pos);
}

/** SHA-256 (lowercase hex) of the pool file's bytes. */
export function poolHash(pool: CanonicalPool): string {
  return sha256OfChunks((sink) => writePool(pool, sink));
}

/** The pool file's lines, without newlines. One string per entry: for small pools. */
export function poolLines(pool: CanonicalPool): string[] {
  return collectLines((sink) => writePool(pool, sink));
}

const GEOGRAPHY_ID = /^[1-9]\d{0,7}$/;
const AGE = /^(0|[1-9]\d{0,2})$/;

/** One pool line as an entry. Strict: anything `writePool` would not produce is refused. */
export function parsePoolLine(line: string, pointer = '/poolLines/0'): PoolEntry {
  const fields = line.split('\t');
  if (fields.length !== POOL_FIELDS.length)
    throw refuseLine(pointer, `expected ${POOL_FIELDS.length} TAB-separated fields`);
  const [registrationNumber, division, district, upazila, union, gender, age, sectors, registeredOn] =
    fields as [string, string, string, string, string, string, string, string, string];
  // Fields 1-4: division, district, upazila, union.
  for (let k = 1; k <= 4; k++) {
    if (!GEOGRAPHY_ID.test(fields[k]!))
      throw refuseLine(pointer, `${POOL_FIELDS[k]} must be a decimal id without leading zeros`);
  }
  if (!AGE.test(age)) throw refuseLine(pointer, 'age must be a decimal number without leading zeros');
  return {
    registrationNumber,
    division: Number(division),
    district: Number(district),
    upazila: Number(upazila),
    union: Number(union),
    gender: gender as Gender,
    age: Number(age),
    sectors: sectors === '' ? [] : sectors.split(','),
    registeredOn,
  };
}

function refuseLine(pointer: string, detail: string): AppError {
  return new AppError('validation-failed', `Invalid pool line: ${detail}`, { errors: [{ pointer, detail }] });
}

/** The canonical pool of a pool file's lines (any order; each line without its newline). */
export function poolFromLines(lines: Iterable<string>): CanonicalPool {
  const builder = new PoolBuilder();
  let i = 0;
  for (const line of lines) {
    const pointer = `/poolLines/${i++}`;
    builder.add(parsePoolLine(line, pointer), pointer);
  }
  return builder.build();
}
