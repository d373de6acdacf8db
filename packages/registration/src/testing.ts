import { dammCheckDigit } from './damm.ts';
import type { WorkerInput } from './worker.ts';

/**
 * Synthetic workers for tests and benchmarks, derived from an index alone (no randomness): worker
 * `i` always has the same 17-digit NID, name, birth date and union, and different indexes never share
 * an NID. Unions cycle over the ids given (by default 1-4540, the real unions).
 */
const FIRST = ['Abdul', 'Rahim', 'Karim', 'Jamal', 'Rafiq', 'Shafiq', 'Nasir', 'Habib', 'Mizan', 'Sohel'];
const FIRST_BN = ['আব্দুল', 'রহিম', 'করিম', 'জামাল', 'রফিক', 'শফিক', 'নাসির', 'হাবিব', 'মিজান', 'সোহেল'];
const LAST = ['Hossain', 'Rahman', 'Islam', 'Uddin', 'Ahmed', 'Mia', 'Sarkar', 'Sheikh', 'Khan', 'Ali'];
const LAST_BN = ['হোসেন', 'রহমান', 'ইসলাম', 'উদ্দিন', 'আহমেদ', 'মিয়া', 'সরকার', 'শেখ', 'খান', 'আলী'];
const SECTORS = ['plantation', 'construction', 'manufacturing'];

export function syntheticWorker(
  i: number,
  options: { unionIds?: readonly number[]; birthYearFrom?: number } = {},
): WorkerInput {
  const year = (options.birthYearFrom ?? 1970) + (i % 25);
  const month = 1 + (i % 12);
  const day = 1 + (i % 28);
  // The 13-digit legacy core: a district code (10-73) and the index, made unique by construction.
  const core = `${10 + (i % 64)}${String(i).padStart(11, '0')}`;
  const unionIds = options.unionIds;
  const union = unionIds ? unionIds[i % unionIds.length]! : 1 + (i % 4540);
  const mobile = `017${String(i % 100_000_000).padStart(8, '0')}`;
  const s = i % SECTORS.length;
  return {
    identity: { kind: 'nid', number: `${year}${core}` },
    nameEn: `${FIRST[i % 10]} ${LAST[Math.floor(i / 10) % 10]}`,
    nameBn: `${FIRST_BN[i % 10]} ${LAST_BN[Math.floor(i / 10) % 10]}`,
    gender: 'male',
    dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    mobile,
    permanentUnionCode: `U${String(union).padStart(4, '0')}`,
    preferredSectors: [SECTORS[s]!, SECTORS[(s + 1) % SECTORS.length]!],
    education: 'ssc',
    trade: 'Mason',
    skills: ['brick laying'],
    experienceYears: i % 10,
  };
}

/** A valid-looking check digit helper for tests that need "some other" 11-digit number. */
export function numberWithBadCheckDigit(valid: string): string {
  const body = valid.slice(0, 10);
  return `${body}${(dammCheckDigit(body) + 1) % 10}`;
}
