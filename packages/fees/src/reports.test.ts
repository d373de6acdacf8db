import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.ts';
import { nearestRank } from './reports.ts';

describe('nearest-rank percentile', () => {
  it('matches hand-checked arrays', () => {
    const a = [15, 20, 35, 40, 50];
    expect([5, 30, 40, 50, 100].map((p) => nearestRank(a, p))).toEqual([15, 20, 20, 35, 50]);
    const b = [3, 6, 7, 8, 8, 10, 13, 15, 16, 20];
    expect([25, 50, 75, 90, 100].map((p) => nearestRank(b, p))).toEqual([7, 8, 15, 16, 20]);
    expect([50, 90].map((p) => nearestRank([10, 20, 30, 40], p))).toEqual([20, 40]); // median: lower middle
    expect(nearestRank([7], 1)).toBe(7);
    expect(nearestRank([], 50)).toBeUndefined();
    expect(() => nearestRank([1], 0)).toThrow();
    expect(() => nearestRank([1], 50.5)).toThrow();
  });

  it('returns the smallest value with at least p % of the values at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1 }),
        fc.integer({ min: 1, max: 100 }),
        (xs, p) => {
          const sorted = [...xs].sort((x, y) => x - y);
          const v = nearestRank(sorted, p)!;
          const n = sorted.length;
          expect(sorted.filter((x) => x <= v).length * 100).toBeGreaterThanOrEqual(p * n);
          expect(sorted.filter((x) => x < v).length * 100).toBeLessThan(p * n);
        },
      ),
    );
  });
});

/** A strict RFC 4180 reader, for round-trip checks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (ch === '"' || ch === '\r' || ch === '\n') throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('missing final CRLF');
  return records;
}

describe('CSV', () => {
  it('quotes fields with quotes, commas and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('')).toBe('');
  });

  it('neutralises formulas in free-text columns only', () => {
    expect(csvField('=HYPERLINK("x")', true)).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-193550.00', false)).toBe('-193550.00');
    expect(csvField('@broker', true)).toBe(`'@broker`);
  });

  it('round-trips any fields through a strict reader, with CRLF after every record', () => {
    const cols = [0, 1, 2].map((i) => ({ header: `c${i}`, value: (r: string[]) => r[i]! }));
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 3, maxLength: 3 })),
        (rows) => {
          const text = toCsv(cols, rows);
          expect(text.endsWith('\r\n')).toBe(true);
          expect(parseCsv(text)).toEqual([['c0', 'c1', 'c2'], ...rows]);
        },
      ),
    );
  });
});
