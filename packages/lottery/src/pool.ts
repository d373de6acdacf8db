import { AppError, dateFromDayNumber, dayNumber, isLocalDate } from '@g2g/domain';

/** Gender codes of the columnar form are indices into this list. */
export const GENDERS = ['male', 'female', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

/** One registration as the ministry snapshots it when the pool is frozen: no names, no IDs. */
export interface PoolEntry {
  /** 11 decimal digits: a 10-digit serial and a Damm check digit. */
  readonly registrationNumber: string;
  readonly division: number;
  readonly district: number;
  readonly upazila: number;
  readonly union: number;
  readonly gender: Gender;
  /** Whole years on the window's reference date. */
  readonly age: number;
  /** Preferred sectors, most preferred first. */
  readonly sectors: readonly string[];
  /** `YYYY-MM-DD`; read only by the fairness report, never by selection. */
  readonly registeredOn: string;
}

/** Where a union sits in the administrative geography. */
export interface UnionGeography {
  readonly union: number;
  readonly upazila: number;
  readonly district: number;
  readonly division: number;
}

/**
 * The columnar form of a pool, for pools too large for one object per entry. Row i of every
 * per-entry column describes one entry. Registration numbers are stored as numbers (11 digits are
 * below 2^53, so exact) and registration dates as day numbers (days since 1970-01-01). Since the
 * geography is a tree, an entry stores only its union; `geography` gives each union's upazila,
 * district and division. An entry's preferred sectors are `preferenceLists[preferences[i]]`.
 */
export interface PoolColumns {
  readonly size: number;
  readonly registrationNumber: Float64Array;
  readonly union: Int32Array;
  /** Index into GENDERS. */
  readonly gender: Uint8Array;
  readonly age: Uint8Array;
  readonly registeredOn: Int32Array;
  readonly preferences: Uint16Array;
  readonly preferenceLists: readonly (readonly string[])[];
  /** One row per union used by the pool (more are allowed). */
  readonly geography: readonly UnionGeography[];
}

declare const canonicalBrand: unique symbol;

/**
 * A validated pool in canonical order: ascending registration number, no duplicates, a consistent
 * geography. Only `poolFromColumns`, `poolFromEntries`, `poolFromLines` and `PoolBuilder` make one,
 * so a draw never runs on an unchecked or unordered pool.
 */
export interface CanonicalPool extends PoolColumns {
  readonly [canonicalBrand]: true;
}

export const MAX_REGISTRATION_NUMBER = 99_999_999_999;
/** Most entries in one pool: 2^26 - 1 (67 million, three times the largest diversity-visa pools). */
export const MAX_POOL_SIZE = 2 ** 26 - 1;
export const MAX_GEOGRAPHY_ID = 16_777_215;
export const MAX_AGE = 150;
/** Most sectors one entry may prefer. */
export const MAX_PREFERENCES = 16;
/** Most distinct preference lists in one pool (14 bits; see `reorder`). */
export const MAX_PREFERENCE_LISTS = 16_384;
/** Widest span of registration dates in one pool, in days (about 179 years). */
export const MAX_DATE_SPAN_DAYS = 65_535;
export const SECTOR_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const REGISTRATION_NUMBER = /^\d{11}$/;
/** Day numbers of 0001-01-01 and 9999-12-31, the dates a `YYYY-MM-DD` string can name. */
const FIRST_DAY = dayNumber('0001-01-01');
const LAST_DAY = dayNumber('9999-12-31');
const GEOGRAPHY_LEVELS = ['union', 'upazila', 'district', 'division'] as const;

function invalid(pointer: string, detail: string): AppError {
  return new AppError('validation-failed', `Invalid pool: ${detail}`, { errors: [{ pointer, detail }] });
}

function isGeographyId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_GEOGRAPHY_ID;
}

export function formatRegistrationNumber(value: number): string {
  return String(value).padStart(11, '0');
}

/** The numeric value of an 11-digit registration number, or null if it is not one. */
export function parseRegistrationNumber(text: string): number | null {
  return REGISTRATION_NUMBER.test(text) ? Number(text) : null;
}

/** Checks a preference list; `pointer` locates it for error reports. */
function checkPreferenceList(list: unknown, pointer: string): readonly string[] {
  if (!Array.isArray(list)) throw invalid(pointer, 'expected an array of sector names');
  if (list.length > MAX_PREFERENCES) throw invalid(pointer, `at most ${MAX_PREFERENCES} preferred sectors`);
  list.forEach((name, k) => {
    if (typeof name !== 'string' || !SECTOR_NAME.test(name)) {
      throw invalid(
        `${pointer}/${k}`,
        'sector names are 1-64 of a-z 0-9 _ - (starting with a letter or digit)',
      );
    }
    if (list.indexOf(name) !== k) throw invalid(`${pointer}/${k}`, `sector ${name} is listed twice`);
  });
  return list;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * The geography of a pool, checked to be a tree: each union in one upazila, each upazila in one
 * district, each district in one division. Dense lookups by union id for the hot loops.
 */
class GeographyIndex {
  readonly #rows = new Map<number, UnionGeography>();
  readonly #upazilaDistrict = new Map<number, number>();
  readonly #districtDivision = new Map<number, number>();

  /** Adds a union (or confirms a known one); `pointer` locates the row or entry that says so. */
  add(row: UnionGeography, pointer: string): void {
    if (typeof row !== 'object' || row === null) throw invalid(pointer, 'expected an object');
    for (const level of GEOGRAPHY_LEVELS) {
      if (!isGeographyId(row[level])) {
        throw invalid(`${pointer}/${level}`, `geography ids are integers 1..${MAX_GEOGRAPHY_ID}`);
      }
    }
    const known = this.#rows.get(row.union);
    if (known !== undefined) {
      if (
        known.upazila !== row.upazila ||
        known.district !== row.district ||
        known.division !== row.division
      ) {
        throw invalid(
          pointer,
          `union ${row.union} is placed in two different upazilas, districts or divisions`,
        );
      }
      return;
    }
    const district = this.#upazilaDistrict.get(row.upazila) ?? row.district;
    const division = this.#districtDivision.get(row.district) ?? row.division;
    if (district !== row.district) throw invalid(pointer, `upazila ${row.upazila} is in two districts`);
    if (division !== row.division) throw invalid(pointer, `district ${row.district} is in two divisions`);
    this.#upazilaDistrict.set(row.upazila, row.district);
    this.#districtDivision.set(row.district, row.division);
    const { union, upazila } = row;
    this.#rows.set(union, { union, upazila, district: row.district, division: row.division });
  }

  rows(): UnionGeography[] {
    return [...this.#rows.values()].sort((a, b) => a.union - b.union);
  }
}

export type AncestorLevel = 'upazila' | 'district' | 'division';
const lookups = new WeakMap<PoolColumns, Record<AncestorLevel, Int32Array>>();

/**
 * For each level above the union, every union's ancestor id, indexed by union id (0 for ids that
 * are not unions of the pool). Computed once per pool.
 */
export function geographyLookup(pool: PoolColumns): Record<AncestorLevel, Int32Array> {
  let lookup = lookups.get(pool);
  if (lookup === undefined) {
    let maxUnion = 0;
    for (const row of pool.geography) maxUnion = Math.max(maxUnion, row.union);
    lookup = {
      upazila: new Int32Array(maxUnion + 1),
      district: new Int32Array(maxUnion + 1),
      division: new Int32Array(maxUnion + 1),
    };
    for (const row of pool.geography) {
      lookup.upazila[row.union] = row.upazila;
      lookup.district[row.union] = row.district;
      lookup.division[row.union] = row.division;
    }
    lookups.set(pool, lookup);
  }
  return lookup;
}

/**
 * Validates a columnar pool and puts it in canonical order. Takes ownership of the arrays: rows not
 * already in ascending registration order are reordered in place (no second copy of a large pool).
 */
export function poolFromColumns(columns: PoolColumns): CanonicalPool {
  const n = columns.size;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_POOL_SIZE) {
    throw invalid('/pool/size', `a pool holds at most ${MAX_POOL_SIZE} entries`);
  }
  const perEntry = [
    columns.registrationNumber,
    columns.union,
    columns.gender,
    columns.age,
    columns.registeredOn,
    columns.preferences,
  ];
  if (perEntry.some((column) => column.length !== n)) {
    throw invalid('/pool', 'every per-entry column must hold exactly `size` rows');
  }
  if (columns.preferenceLists.length > MAX_PREFERENCE_LISTS) {
    throw invalid('/pool/preferenceLists', `at most ${MAX_PREFERENCE_LISTS} distinct preference lists`);
  }
  columns.preferenceLists.forEach((list, k) => {
    checkPreferenceList(list, `/pool/preferenceLists/${k}`);
  });
  const geography = new GeographyIndex();
  columns.geography.forEach((row, k) => {
    geography.add(row, `/pool/geography/${k}`);
  });
  const known = geographyLookup(columns).upazila;

  const { registrationNumber: reg, union, gender, age, registeredOn, preferences } = columns;
  const lists = columns.preferenceLists.length;
  let sorted = true;
  let firstDay = LAST_DAY;
  let lastDay = FIRST_DAY;
  for (let i = 0; i < n; i++) {
    const r = reg[i]!;
    if (!(Number.isInteger(r) && r >= 0 && r <= MAX_REGISTRATION_NUMBER)) {
      throw invalid(`/pool/${i}/registrationNumber`, 'not an 11-digit registration number');
    }
    if (i > 0 && r <= reg[i - 1]!) sorted = false;
    const u = union[i]!;
    if (!(u >= 1 && u < known.length && known[u] !== 0)) {
      throw invalid(`/pool/${i}/union`, `union ${u} is not in the pool's geography`);
    }
    if (gender[i]! >= GENDERS.length) throw invalid(`/pool/${i}/gender`, 'unknown gender code');
    if (age[i]! > MAX_AGE) throw invalid(`/pool/${i}/age`, `age must be 0..${MAX_AGE}`);
    const day = registeredOn[i]!;
    if (!(day >= FIRST_DAY && day <= LAST_DAY)) throw invalid(`/pool/${i}/registeredOn`, 'date out of range');
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
    if (preferences[i]! >= lists) throw invalid(`/pool/${i}/preferences`, 'unknown preference list');
  }
  checkDateSpan(firstDay, lastDay);
  return sorted ? (columns as CanonicalPool) : reorder(columns);
}

function checkDateSpan(firstDay: number, lastDay: number): void {
  if (lastDay - firstDay > MAX_DATE_SPAN_DAYS) {
    throw invalid('/pool', `registration dates may span at most ${MAX_DATE_SPAN_DAYS} days`);
  }
}

/**
 * Puts rows in ascending registration order and rejects duplicates. An LSD radix sort (four passes
 * of 10-bit digits; numbers are below 2^40, and `& mask` on an integer-valued double keeps its low
 * bits exactly) carries each row's other fields packed into two 32-bit words, so that no column has
 * to be gathered afterwards: random reads from 20-million-row columns cost far more than the extra
 * bytes moved. Word a = union·2^8 + age; word b = ((day - firstDay)·4 + gender)·2^14 + preference
 * list (which is why a pool may span at most 2^16 days and hold at most 2^14 preference lists).
 * The columns are rewritten in place.
 */
function reorder(columns: PoolColumns): CanonicalPool {
  const n = columns.size;
  const { registrationNumber: reg, union, age, gender, registeredOn, preferences } = columns;
  let firstDay = n > 0 ? registeredOn[0]! : 0;
  for (let i = 0; i < n; i++) if (registeredOn[i]! < firstDay) firstDay = registeredOn[i]!;
  let keys = Float64Array.from(reg);
  let a = new Uint32Array(n);
  let b = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = union[i]! * 256 + age[i]!;
    b[i] = ((registeredOn[i]! - firstDay) * 4 + gender[i]!) * 16_384 + preferences[i]!;
  }
  let spareKeys = new Float64Array(n);
  let spareA = new Uint32Array(n);
  let spareB = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const divisor = 2 ** (10 * pass);
    const position = new Uint32Array(1025);
    for (let i = 0; i < n; i++) position[(Math.floor(keys[i]! / divisor) & 1023) + 1]!++;
    for (let d = 0; d < 1024; d++) position[d + 1] = position[d + 1]! + position[d]!;
    for (let i = 0; i < n; i++) {
      const x = keys[i]!;
      const to = position[Math.floor(x / divisor) & 1023]!++;
      spareKeys[to] = x;
      spareA[to] = a[i]!;
      spareB[to] = b[i]!;
    }
    [keys, spareKeys] = [spareKeys, keys];
    [a, spareA] = [spareA, a];
    [b, spareB] = [spareB, b];
  }
  for (let i = 1; i < n; i++) {
    if (keys[i] === keys[i - 1]) {
      const row = reg.lastIndexOf(keys[i]!);
      const value = formatRegistrationNumber(keys[i]!);
      throw invalid(`/pool/${row}/registrationNumber`, `registration number ${value} appears twice`);
    }
  }
  reg.set(keys);
  for (let i = 0; i < n; i++) {
    const wordA = a[i]!;
    const wordB = b[i]!;
    union[i] = wordA >>> 8;
    age[i] = wordA & 255;
    preferences[i] = wordB & 16_383;
    gender[i] = (wordB >>> 14) & 3;
    registeredOn[i] = firstDay + (wordB >>> 16);
  }
  return columns as CanonicalPool;
}

/**
 * Builds a pool from entries one at a time (object entries, parsed pool lines), validating each
 * field and reporting a JSON pointer to the first invalid one.
 */
export class PoolBuilder {
  #size = 0;
  #reg = new Float64Array(16);
  #union = new Int32Array(16);
  #gender = new Uint8Array(16);
  #age = new Uint8Array(16);
  #registeredOn = new Int32Array(16);
  #preferences = new Uint16Array(16);
  readonly #lists: (readonly string[])[] = [];
  readonly #listIndex = new Map<string, number>();
  readonly #days = new Map<string, number>();
  readonly #geography = new GeographyIndex();
  #firstDay = LAST_DAY;
  #lastDay = FIRST_DAY;

  /** Adds one entry; `pointer` locates it in the caller's input for error reports. */
  add(entry: PoolEntry, pointer: string): void {
    if (typeof entry !== 'object' || entry === null) throw invalid(pointer, 'an entry must be an object');
    const reg =
      typeof entry.registrationNumber === 'string' ? parseRegistrationNumber(entry.registrationNumber) : null;
    if (reg === null) throw invalid(`${pointer}/registrationNumber`, 'expected exactly 11 decimal digits');
    this.#geography.add(entry, pointer);
    const gender = GENDERS.indexOf(entry.gender);
    if (gender < 0) throw invalid(`${pointer}/gender`, `expected one of ${GENDERS.join(', ')}`);
    if (!(Number.isInteger(entry.age) && entry.age >= 0 && entry.age <= MAX_AGE)) {
      throw invalid(`${pointer}/age`, `expected an integer 0..${MAX_AGE}`);
    }
    // A pool has few distinct dates and preference lists: each is checked once, then looked up.
    let day = this.#days.get(entry.registeredOn);
    if (day === undefined) {
      if (!isLocalDate(entry.registeredOn))
        throw invalid(`${pointer}/registeredOn`, 'expected a valid YYYY-MM-DD date');
      day = dayNumber(entry.registeredOn);
      this.#days.set(entry.registeredOn, day);
      this.#firstDay = Math.min(this.#firstDay, day);
      this.#lastDay = Math.max(this.#lastDay, day);
    }
    const sectors = entry.sectors;
    let list = Array.isArray(sectors) ? this.#listIndex.get(sectors.join(',')) : undefined;
    // The joined key alone could match a list of other names (a name with a comma is invalid, but
    // would join to the same key): only an element-wise equal list counts as already checked.
    if (list !== undefined && !sameList(this.#lists[list]!, sectors)) list = undefined;
    if (list === undefined) {
      checkPreferenceList(sectors, `${pointer}/sectors`);
      const key = sectors.join(',');
      if (this.#lists.length >= MAX_PREFERENCE_LISTS) {
        throw invalid(`${pointer}/sectors`, `more than ${MAX_PREFERENCE_LISTS} distinct preference lists`);
      }
      list = this.#lists.length;
      this.#lists.push([...sectors]);
      this.#listIndex.set(key, list);
    }

    const i = this.#size;
    if (i === MAX_POOL_SIZE) throw invalid(pointer, `a pool holds at most ${MAX_POOL_SIZE} entries`);
    if (i === this.#reg.length) this.#grow();
    this.#reg[i] = reg;
    this.#union[i] = entry.union;
    this.#gender[i] = gender;
    this.#age[i] = entry.age;
    this.#registeredOn[i] = day;
    this.#preferences[i] = list;
    this.#size = i + 1;
  }

  /** The canonical pool; rejects duplicate registration numbers. The builder must not be reused. */
  build(): CanonicalPool {
    checkDateSpan(this.#firstDay, this.#lastDay);
    const n = this.#size;
    const columns: PoolColumns = {
      size: n,
      registrationNumber: this.#reg.subarray(0, n),
      union: this.#union.subarray(0, n),
      gender: this.#gender.subarray(0, n),
      age: this.#age.subarray(0, n),
      registeredOn: this.#registeredOn.subarray(0, n),
      preferences: this.#preferences.subarray(0, n),
      preferenceLists: this.#lists,
      geography: this.#geography.rows(),
    };
    const reg = columns.registrationNumber;
    for (let i = 1; i < n; i++) {
      if (reg[i]! <= reg[i - 1]!) return reorder(columns);
    }
    return columns as CanonicalPool;
  }

  #grow(): void {
    const capacity = this.#reg.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(from: T, to: T): T => {
      (to as Float64Array).set(from as Float64Array);
      return to;
    };
    this.#reg = grow(this.#reg, new Float64Array(capacity));
    this.#union = grow(this.#union, new Int32Array(capacity));
    this.#gender = grow(this.#gender, new Uint8Array(capacity));
    this.#age = grow(this.#age, new Uint8Array(capacity));
    this.#registeredOn = grow(this.#registeredOn, new Int32Array(capacity));
    this.#preferences = grow(this.#preferences, new Uint16Array(capacity));
  }
}

/** The canonical pool of object entries (any order). */
export function poolFromEntries(entries: readonly PoolEntry[]): CanonicalPool {
  const builder = new PoolBuilder();
  entries.forEach((entry, i) => {
    builder.add(entry, `/pool/${i}`);
  });
  return builder.build();
}

/** Entry i of a pool as an object. */
export function entryAt(pool: CanonicalPool, i: number): PoolEntry {
  const union = pool.union[i]!;
  const { division, district, upazila } = geographyLookup(pool);
  return {
    registrationNumber: formatRegistrationNumber(pool.registrationNumber[i]!),
    division: division[union]!,
    district: district[union]!,
    upazila: upazila[union]!,
    union,
    gender: GENDERS[pool.gender[i]!]!,
    age: pool.age[i]!,
    sectors: [...pool.preferenceLists[pool.preferences[i]!]!],
    registeredOn: dateFromDayNumber(pool.registeredOn[i]!),
  };
}

/** All entries of a pool, in canonical order. One object per entry: for small pools. */
export function poolEntries(pool: CanonicalPool): PoolEntry[] {
  return Array.from({ length: pool.size }, (_, i) => entryAt(pool, i));
}

/** The canonical index of a registration number (binary search), or -1. */
export function indexOfRegistration(pool: CanonicalPool, registrationNumber: string): number {
  const value = parseRegistrationNumber(registrationNumber);
  if (value === null) return -1;
  const reg = pool.registrationNumber;
  let lo = 0;
  let hi = pool.size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = reg[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
