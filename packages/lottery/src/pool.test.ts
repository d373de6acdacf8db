import { AppError } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import {
  entryAt,
  indexOfRegistration,
  type PoolColumns,
  type PoolEntry,
  poolEntries,
  poolFromColumns,
  poolFromEntries,
} from './pool.ts';
import { parsePoolLine, poolFromLines, poolHash, poolLines } from './pool-format.ts';
import { prngFor, uniformIndex } from './random.ts';
import { placeOf, seedOf, shuffled, syntheticEntries } from './test-support.ts';

const entry: PoolEntry = {
  registrationNumber: '00000012345',
  division: 3,
  district: 26,
  upazila: 198,
  union: 1734,
  gender: 'female',
  age: 27,
  sectors: ['plantation', 'construction'],
  registeredOn: '2013-01-14',
};

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('pool lines', () => {
  it('serialises one TAB-separated line per entry, byte-exact', () => {
    const pool = poolFromEntries([
      entry,
      { ...entry, registrationNumber: '00000000017', sectors: [], age: 0 },
    ]);
    expect(poolLines(pool)).toEqual([
      '00000000017\t3\t26\t198\t1734\tfemale\t0\t\t2013-01-14',
      '00000012345\t3\t26\t198\t1734\tfemale\t27\tplantation,construction\t2013-01-14',
    ]);
  });

  it('parses back exactly what it writes', () => {
    const pool = poolFromEntries(syntheticEntries({ size: 300 }));
    const lines = poolLines(pool);
    expect(poolLines(poolFromLines(lines))).toEqual(lines);
    expect(parsePoolLine(lines[0]!)).toEqual(entryAt(pool, 0));
  });

  it('refuses lines that are not canonical', () => {
    const good = '00000012345\t3\t26\t198\t1734\tfemale\t27\tplantation\t2013-01-14';
    for (const bad of [
      good.replace('\t3\t', '\t03\t'),
      good.replace('\t27\t', '\t027\t'),
      `${good}\t`,
      good.replace('female', 'Female'),
      good.replace('2013-01-14', '2013-02-30'),
      good.replace('00000012345', '12345'),
      good.replace('plantation', 'plantation,plantation'),
      good.replaceAll('\t', ' '),
    ]) {
      expect(() => poolFromLines([bad])).toThrow(AppError);
    }
    expect(poolFromLines([good]).size).toBe(1);
  });
});

describe('canonical order', () => {
  it('does not depend on insertion order: same lines, same hash', () => {
    const entries = syntheticEntries({ size: 500 });
    const a = poolFromEntries(entries);
    const b = poolFromEntries(shuffled(entries, 'insertion order'));
    expect(poolLines(b)).toEqual(poolLines(a));
    expect(poolHash(b)).toBe(poolHash(a));
    expect(poolEntries(b)).toEqual(poolEntries(a));
  });

  it('sorts large columnar pools (radix sort) exactly like a comparison sort', () => {
    const n = 50_000;
    const next = prngFor(seedOf('radix'));
    const numbers = new Set<number>();
    while (numbers.size < n)
      numbers.add(uniformIndex(next, 99_999) * 1_000_000 + uniformIndex(next, 1_000_000));
    const values = [...numbers];
    const columns: PoolColumns = {
      size: n,
      registrationNumber: Float64Array.from(values),
      union: Int32Array.from(values, (v) => 1 + (v % 7)),
      gender: Uint8Array.from(values, (v) => v % 3),
      age: Uint8Array.from(values, (v) => 18 + (v % 40)),
      registeredOn: Int32Array.from(values, (v) => 15_700 + (v % 30)),
      preferences: Uint16Array.from(values, (v) => v % 2),
      preferenceLists: [['plantation'], []],
      geography: Array.from({ length: 7 }, (_, u) => placeOf(u + 1)),
    };
    const pool = poolFromColumns(columns);
    const sorted = [...values].sort((x, y) => x - y);
    expect([...pool.registrationNumber]).toEqual(sorted);
    // Every row moved with its registration number.
    for (let i = 0; i < n; i += 997) {
      const v = pool.registrationNumber[i]!;
      expect([pool.union[i], pool.gender[i], pool.age[i], pool.registeredOn[i], pool.preferences[i]]).toEqual(
        [1 + (v % 7), v % 3, 18 + (v % 40), 15_700 + (v % 30), v % 2],
      );
    }
  });

  it('gives the columnar and the object form the same lines', () => {
    const entries = syntheticEntries({ size: 200 });
    const fromEntries = poolFromEntries(entries);
    const columns: PoolColumns = { ...fromEntries };
    expect(poolLines(poolFromColumns(columns))).toEqual(poolLines(fromEntries));
  });

  it('finds entries by registration number', () => {
    const pool = poolFromEntries(syntheticEntries({ size: 100 }));
    expect(indexOfRegistration(pool, poolEntries(pool)[42]!.registrationNumber)).toBe(42);
    expect(indexOfRegistration(pool, '99999999999')).toBe(-1);
    expect(indexOfRegistration(pool, 'nonsense')).toBe(-1);
  });
});

describe('validation', () => {
  it('refuses duplicate registration numbers', () => {
    const error = refusal(() => poolFromEntries([entry, { ...entry, union: 1735 }]));
    expect(error.code).toBe('validation-failed');
    expect(error.detail).toContain('00000012345 appears twice');
  });

  it('points at the first invalid field', () => {
    const cases: [Partial<Record<keyof PoolEntry, unknown>>, string][] = [
      [{ registrationNumber: '1234567890' }, '/pool/1/registrationNumber'],
      [{ registrationNumber: 12345678901 }, '/pool/1/registrationNumber'],
      [{ union: 0 }, '/pool/1/union'],
      [{ district: 1.5 }, '/pool/1/district'],
      [{ gender: 'm' }, '/pool/1/gender'],
      [{ age: 151 }, '/pool/1/age'],
      [{ age: -1 }, '/pool/1/age'],
      [{ sectors: ['Plantation'] }, '/pool/1/sectors/0'],
      [{ sectors: ['a', 'a'] }, '/pool/1/sectors/1'],
      [{ sectors: 'plantation' }, '/pool/1/sectors'],
      [{ registeredOn: '2013-13-01' }, '/pool/1/registeredOn'],
      // Dates and lists are checked once and then looked up: a list that only joins to a known one
      // (a name with a comma) is still checked.
      [{ sectors: ['plantation,construction'] }, '/pool/1/sectors/0'],
      [{ sectors: ['plantation', 'construction', 'plantation'] }, '/pool/1/sectors/2'],
    ];
    for (const [change, pointer] of cases) {
      const bad = { ...entry, registrationNumber: '00000000019', ...change } as PoolEntry;
      const error = refusal(() => poolFromEntries([entry, bad]));
      expect(error.code).toBe('validation-failed');
      expect(error.errors?.[0]?.pointer).toBe(pointer);
    }
  });

  it('refuses a geography that is not a tree', () => {
    const other = { ...entry, registrationNumber: '00000000019' };
    expect(() => poolFromEntries([entry, { ...other, upazila: 199 }])).toThrow(/union 1734 is placed/);
    expect(() => poolFromEntries([entry, { ...other, union: 1735, district: 27 }])).toThrow(
      /upazila 198 is in two/,
    );
    expect(() => poolFromEntries([entry, { ...other, union: 1735, upazila: 199, division: 4 }])).toThrow(
      /district 26 is in two/,
    );
  });

  it('refuses columns that disagree with their geography or lists', () => {
    const pool = poolFromEntries(syntheticEntries({ size: 10 }));
    const copy = (): PoolColumns => ({
      ...pool,
      union: pool.union.slice(),
      preferences: pool.preferences.slice(),
    });
    const unknownUnion = copy();
    unknownUnion.union[3] = 999;
    expect(refusal(() => poolFromColumns(unknownUnion)).errors?.[0]?.pointer).toBe('/pool/3/union');
    const unknownList = copy();
    unknownList.preferences[4] = 9_999;
    expect(refusal(() => poolFromColumns(unknownList)).errors?.[0]?.pointer).toBe('/pool/4/preferences');
    expect(() => poolFromColumns({ ...copy(), size: 11 })).toThrow(AppError);
  });
});

describe('limits', () => {
  const base: PoolEntry = {
    registrationNumber: '00000012345',
    ...placeOf(1),
    gender: 'male',
    age: 30,
    sectors: ['plantation'],
    registeredOn: '2013-01-14',
  };

  it('refuses registration dates spanning more than 65,535 days', () => {
    const late = { ...base, registrationNumber: '00000012346', registeredOn: '2200-01-01' };
    expect(() => poolFromEntries([base, late])).toThrow(/span at most 65535 days/);
    expect(poolFromEntries([base, { ...late, registeredOn: '2150-01-01' }]).size).toBe(2);
  });

  it('refuses more than 16 preferred sectors and columnar pools beyond the size limit', () => {
    const sectors = Array.from({ length: 17 }, (_, k) => `sector-${k}`);
    expect(refusal(() => poolFromEntries([{ ...base, sectors }])).errors?.[0]?.pointer).toBe(
      '/pool/0/sectors',
    );
    const pool = poolFromEntries([base]);
    expect(() => poolFromColumns({ ...pool, size: 2 ** 26 })).toThrow(/at most 67108863 entries/);
  });
});
