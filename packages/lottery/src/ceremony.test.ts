import { AppError, canonicalJson, sha256Hex } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import { commitmentOf, deriveSeed } from './ceremony.ts';
import { ALGORITHM_ID } from './random.ts';
import { seedOf } from './test-support.ts';

const secretA = 'a'.repeat(64);
const secretB = seedOf('witness b');
const poolHash = seedOf('pool');

describe('commitmentOf', () => {
  it('is the SHA-256 of the 64 ASCII characters of the secret', () => {
    expect(commitmentOf(secretA)).toBe(sha256Hex(secretA));
    // printf %s aaaa...a | sha256sum
    expect(commitmentOf(secretA)).toBe('ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb');
  });

  it('refuses secrets that are not 64 lowercase hex characters', () => {
    for (const bad of ['', 'A'.repeat(64), 'a'.repeat(63), 'my secret']) {
      expect(() => commitmentOf(bad)).toThrow(AppError);
    }
  });
});

describe('deriveSeed', () => {
  const inputs = {
    drawId: 'draw-2013-01',
    poolHash,
    reveals: [
      { witnessId: 'w-b', secret: secretB },
      { witnessId: 'w-a', secret: secretA },
    ],
    beacon: null,
  };

  it('hashes the canonical JSON of algorithm, beacon, draw id, pool hash and reveals sorted by witness', () => {
    const expected = sha256Hex(
      canonicalJson({
        algorithm: ALGORITHM_ID,
        beacon: null,
        drawId: 'draw-2013-01',
        poolHash,
        reveals: [
          { secret: secretA, witnessId: 'w-a' },
          { secret: secretB, witnessId: 'w-b' },
        ],
      }),
    );
    expect(deriveSeed(inputs)).toBe(expected);
    expect(deriveSeed({ ...inputs, reveals: [...inputs.reveals].reverse() })).toBe(expected);
  });

  it('changes with every input', () => {
    const seed = deriveSeed(inputs);
    const variants = [
      { ...inputs, drawId: 'draw-2013-02' },
      { ...inputs, poolHash: seedOf('another pool') },
      { ...inputs, beacon: '' },
      { ...inputs, beacon: 'pulse 42' },
      { ...inputs, reveals: [inputs.reveals[0]!] },
      { ...inputs, reveals: [inputs.reveals[0]!, { witnessId: 'w-a', secret: seedOf('other') }] },
      { ...inputs, reveals: [inputs.reveals[0]!, { witnessId: 'w-c', secret: secretA }] },
    ];
    const seeds = new Set(variants.map(deriveSeed));
    expect(seeds.size).toBe(variants.length);
    expect(seeds.has(seed)).toBe(false);
  });

  it('refuses malformed inputs with pointers', () => {
    const pointerOf = (bad: Parameters<typeof deriveSeed>[0]) => {
      try {
        deriveSeed(bad);
      } catch (e) {
        return (e as AppError).errors?.map((x) => x.pointer);
      }
      return undefined;
    };
    expect(pointerOf({ ...inputs, drawId: 'draw 1' })).toEqual(['/drawId']);
    expect(pointerOf({ ...inputs, poolHash: 'abc' })).toEqual(['/poolHash']);
    expect(pointerOf({ ...inputs, reveals: [] })).toEqual(['/reveals']);
    expect(pointerOf({ ...inputs, reveals: [inputs.reveals[0]!, inputs.reveals[0]!] })).toEqual([
      '/reveals/1/witnessId',
    ]);
    expect(pointerOf({ ...inputs, reveals: [{ witnessId: 'w', secret: secretA.toUpperCase() }] })).toEqual([
      '/reveals/0/secret',
    ]);
    // A beacon alone is enough entropy for a seed.
    expect(deriveSeed({ ...inputs, reveals: [], beacon: 'pulse' })).toMatch(/^[0-9a-f]{64}$/);
  });
});
