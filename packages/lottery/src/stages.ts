import { AppError } from '@g2g/domain';
import { type DrawResult, SELECTED, WAITLISTED } from './draw.ts';
import { type CanonicalPool, indexOfRegistration } from './pool.ts';

/** Changes between two stages: selected entries who left, waitlisted entries promoted into their place. */
export interface StageChanges {
  readonly withdrawn?: readonly string[];
  readonly promoted?: readonly string[];
}

/**
 * The pool of the next stage of a multi-stage draw (shortlist -> medical -> ...): the entries the
 * previous draw selected, minus `withdrawn`, plus `promoted`, unchanged and in canonical order. The
 * next stage is an ordinary draw with its own draw id, pool hash, ceremony and seed.
 */
export function nextStagePool(result: DrawResult, changes: StageChanges = {}): CanonicalPool {
  const pool = result.pool;
  const keep = new Uint8Array(pool.size);
  for (let i = 0; i < pool.size; i++) keep[i] = result.outcome[i] === SELECTED ? 1 : 0;
  const mark = (list: readonly string[] | undefined, name: string, from: number, value: number) => {
    (list ?? []).forEach((registrationNumber, k) => {
      const i = indexOfRegistration(pool, registrationNumber);
      if (i < 0 || result.outcome[i] !== from || keep[i] === value) {
        const expected = from === SELECTED ? 'a selected' : 'a waitlisted';
        throw new AppError(
          'rule-violated',
          `${registrationNumber} is not ${expected} entry of the previous draw.`,
          {
            errors: [{ pointer: `/${name}/${k}`, detail: `not ${expected} entry, or listed twice` }],
          },
        );
      }
      keep[i] = value;
    });
  };
  mark(changes.withdrawn, 'withdrawn', SELECTED, 0);
  mark(changes.promoted, 'promoted', WAITLISTED, 1);

  let size = 0;
  for (let i = 0; i < pool.size; i++) size += keep[i]!;
  const next = {
    size,
    registrationNumber: new Float64Array(size),
    union: new Int32Array(size),
    gender: new Uint8Array(size),
    age: new Uint8Array(size),
    registeredOn: new Int32Array(size),
    preferences: new Uint16Array(size),
    preferenceLists: pool.preferenceLists,
    geography: pool.geography,
  };
  for (let i = 0, j = 0; i < pool.size; i++) {
    if (keep[i] !== 1) continue;
    next.registrationNumber[j] = pool.registrationNumber[i]!;
    next.union[j] = pool.union[i]!;
    next.gender[j] = pool.gender[i]!;
    next.age[j] = pool.age[i]!;
    next.registeredOn[j] = pool.registeredOn[i]!;
    next.preferences[j] = pool.preferences[i]!;
    j++;
  }
  // A subset of a canonical pool is canonical: same order, no duplicates, validated values.
  return next as unknown as CanonicalPool;
}
