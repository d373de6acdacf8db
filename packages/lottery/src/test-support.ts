/** Deterministic pools for the tests (not exported from the package). */
import { sha256Hex } from '@g2g/domain';
import type { PoolEntry } from './pool.ts';
import { prngFor, uniformIndex } from './random.ts';

export const SECTORS = ['agriculture', 'construction', 'manufacturing', 'plantation', 'services'] as const;

/** A seed for tests: the SHA-256 of a label. */
export function seedOf(label: string): string {
  return sha256Hex(label);
}

/** The union's place in a small made-up geography: 4 unions per upazila, 3 upazilas per district. */
export function placeOf(union: number): Pick<PoolEntry, 'division' | 'district' | 'upazila' | 'union'> {
  const upazila = Math.ceil(union / 4);
  const district = Math.ceil(upazila / 3);
  return { division: Math.ceil(district / 4), district, upazila, union };
}

export interface SyntheticOptions {
  readonly size: number;
  readonly unions?: number;
  readonly days?: number;
  readonly label?: string;
}

/**
 * `size` entries with serials 1..size (registration order), spread unevenly over `unions` unions
 * and `days` registration days (day grows with the serial), random gender, age and preferences.
 */
export function syntheticEntries({
  size,
  unions = 6,
  days = 10,
  label = 'pool',
}: SyntheticOptions): PoolEntry[] {
  const next = prngFor(seedOf(label));
  const genders = ['male', 'male', 'male', 'female', 'female', 'other'] as const;
  return Array.from({ length: size }, (_, i) => {
    // Union u gets weight u, so unions differ in size.
    let pick = uniformIndex(next, (unions * (unions + 1)) / 2);
    let union = 1;
    while (pick >= union) {
      pick -= union;
      union++;
    }
    const wanted = 1 + uniformIndex(next, 3);
    const first = uniformIndex(next, SECTORS.length);
    const day = 1 + Math.floor((i * days) / size);
    return {
      registrationNumber: String(1000 + i).padStart(10, '0') + String(i % 10),
      ...placeOf(union),
      gender: genders[uniformIndex(next, genders.length)]!,
      age: 18 + uniformIndex(next, 30),
      sectors: Array.from({ length: wanted }, (_, k) => SECTORS[(first + 2 * k) % SECTORS.length]!),
      registeredOn: `2013-03-${String(day).padStart(2, '0')}`,
    };
  });
}

/** A shuffled copy (for order-independence tests). */
export function shuffled<T>(items: readonly T[], label: string): T[] {
  const out = [...items];
  const next = prngFor(seedOf(label));
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformIndex(next, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
