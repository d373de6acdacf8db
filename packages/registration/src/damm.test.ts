import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAMM_TABLE, dammCheckDigit, dammState, isDammValid } from './damm.ts';
import {
  formatRegistrationNumber,
  isRegistrationNumber,
  parseRegistrationNumber,
  registrationNumberFromSerial,
  serialOf,
} from './registration-number.ts';

const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const step = (state: number, d: number) => DAMM_TABLE[state]![d]!;

describe('the Damm check digit', () => {
  // A number is checked by running its digits through the table from state 0; it is valid when the
  // run ends in 0. Whatever came before a position, the run is in one of ten states there, and what
  // follows maps states one-to-one (every column is a permutation). So proving "the state after the
  // changed position differs" for every state and every change proves detection for every number of
  // every length, at every position: ten states x all digit pairs, checked exhaustively here.
  it('every column is a permutation: the rest of a number carries a difference through to the end', () => {
    for (const d of digits) expect(new Set(digits.map((s) => step(s, d))).size).toBe(10);
  });

  it('catches every single-digit error, at any position after any prefix', () => {
    for (const state of digits) {
      for (const a of digits) {
        for (const b of digits) if (a !== b) expect(step(state, a)).not.toBe(step(state, b));
      }
    }
  });

  it('catches every transposition of two adjacent different digits, after any prefix', () => {
    for (const state of digits) {
      for (const a of digits) {
        for (const b of digits) {
          if (a !== b) expect(step(step(state, a), b)).not.toBe(step(step(state, b), a));
        }
      }
    }
  });

  it('and so, checked directly, every single-digit error and adjacent swap of 11-digit numbers', () => {
    // Exhaustive over every mistake in each of the first 3,000 registration numbers and a seeded
    // spread of others; the state argument above covers the rest.
    const serials = [
      ...Array.from({ length: 3000 }, (_, i) => i + 1),
      ...fc.sample(fc.integer({ min: 1, max: 9_999_999_999 }), { numRuns: 2000, seed: 2013 }),
    ];
    let checked = 0;
    const missed: string[] = [];
    for (const serial of serials) {
      const n = registrationNumberFromSerial(serial);
      if (!isDammValid(n)) missed.push(`${n} itself`);
      for (let i = 0; i < 11; i++) {
        for (const d of digits) {
          if (String(d) === n[i]) continue;
          const wrong = n.slice(0, i) + d + n.slice(i + 1);
          if (isDammValid(wrong)) missed.push(`${n} -> ${wrong}`);
          checked++;
        }
        if (i < 10 && n[i] !== n[i + 1]) {
          const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
          if (isDammValid(swapped)) missed.push(`${n} -> ${swapped}`);
          checked++;
        }
      }
    }
    expect(missed).toEqual([]);
    expect(checked).toBeGreaterThan(5000 * 99);
  });

  it('matches the published example (572 -> 4)', () => {
    expect(dammCheckDigit('572')).toBe(4);
    expect(isDammValid('5724')).toBe(true);
    expect(dammState('5727')).not.toBe(0);
  });
});

describe('registration numbers', () => {
  it('are 11 digits: the zero-padded serial and its check digit', () => {
    const n = registrationNumberFromSerial(12345);
    expect(n).toMatch(/^0000012345[0-9]$/);
    expect(isRegistrationNumber(n)).toBe(true);
    expect(serialOf(n)).toBe(12345n);
    expect(formatRegistrationNumber(n)).toBe(`0000-0123-45${n[10]}`);
    expect(() => registrationNumberFromSerial(0)).toThrow(RangeError);
    expect(() => registrationNumberFromSerial(10_000_000_000n)).toThrow(RangeError);
  });

  it('are read back from the display form, with Bangla digits, and a typo is named as such', () => {
    const n = registrationNumberFromSerial(1_442_776);
    const bangla = formatRegistrationNumber(n).replace(/[0-9]/g, (d) =>
      String.fromCodePoint(0x09e6 + Number(d)),
    );
    expect(parseRegistrationNumber(` ${bangla} `)).toEqual({ ok: true, number: n });
    expect(parseRegistrationNumber('1234')).toEqual({ ok: false, reason: 'shape' });
    const typo = `${n.slice(0, 10)}${(Number(n[10]) + 1) % 10}`;
    expect(parseRegistrationNumber(typo)).toEqual({ ok: false, reason: 'check-digit' });
  });
});
