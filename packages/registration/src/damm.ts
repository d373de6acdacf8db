/**
 * The Damm check digit (H. Michael Damm, 2004) over decimal digits. Its table is a weakly totally
 * anti-symmetric quasigroup of order 10: every row and every column is a permutation (so any
 * single-digit error changes the result), and `T[T[c][a]][b] !== T[T[c][b]][a]` whenever a !== b (so
 * any swap of two adjacent digits changes it). A valid string, check digit included, ends in state 0.
 */
export const DAMM_TABLE: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

const DIGITS = /^[0-9]+$/;

/** The state after feeding `digits` (ASCII 0-9) through the table, starting from 0. */
export function dammState(digits: string): number {
  let state = 0;
  for (let i = 0; i < digits.length; i++) {
    state = DAMM_TABLE[state]![digits.charCodeAt(i) - 48]!;
  }
  return state;
}

/** The digit to append to `digits` so that the whole string is Damm-valid. */
export function dammCheckDigit(digits: string): number {
  if (!DIGITS.test(digits)) throw new RangeError('dammCheckDigit: digits 0-9 only');
  // The table's diagonal is all zeros (T[s][s] = 0), so appending the state itself ends in 0.
  return dammState(digits);
}

/** True when `digits` (check digit last) passes the Damm check. */
export function isDammValid(digits: string): boolean {
  return digits.length > 1 && DIGITS.test(digits) && dammState(digits) === 0;
}
