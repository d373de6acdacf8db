import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { digestOf } from './digest.ts';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
    // "é" (U+00E9) sorts after "z"; uppercase before lowercase.
    expect(canonicalJson({ é: 1, z: 2, Z: 3 })).toBe('{"Z":3,"z":2,"é":1}');
  });

  it('writes the same bytes whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2], z: 'a' })).toBe(canonicalJson({ z: 'a', y: [1, 2], x: 1 }));
    expect(digestOf({ x: 1, y: 2 })).toBe(digestOf({ y: 2, x: 1 }));
  });

  it('escapes strings as JSON.stringify does and keeps Bangla text as is', () => {
    expect(canonicalJson({ s: 'a"b\\c\n\u0001মোঃ' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001মোঃ"}');
  });

  it('writes bigints as strings and dates as ISO UTC', () => {
    expect(canonicalJson({ n: 12345678901234567890n, d: new Date('2013-01-14T03:00:00+06:00') })).toBe(
      '{"d":"2013-01-13T21:00:00.000Z","n":"12345678901234567890"}',
    );
  });

  it('refuses floats and non-finite numbers, which would hash differently across platforms', () => {
    expect(() => canonicalJson({ amount: 1.5 })).toThrow(/not a safe integer/);
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow(/not a safe integer/);
    expect(() => canonicalJson([2 ** 60])).toThrow(/not a safe integer/);
  });
});
