import { isAppError } from '@g2g/domain';
import type { ChunkSink } from './bytes.ts';
import { commitmentOf, deriveSeed, type Reveal } from './ceremony.ts';
import { runDraw } from './draw.ts';
import type { DrawPolicy } from './policy.ts';
import { poolFromLines, poolHash, writePool } from './pool-format.ts';
import { ALGORITHM_ID } from './random.ts';
import { resultHash, writeResult } from './result-format.ts';

/** A reveal as the manifest records it, with the commitment the witness made before the draw. */
export interface ManifestReveal extends Reveal {
  readonly commitment: string;
}

/** The fields of a published draw manifest that the engine can check. */
export interface DrawManifest {
  readonly algorithm: string;
  readonly drawId: string;
  readonly poolHash: string;
  readonly policy: DrawPolicy;
  readonly reveals: readonly ManifestReveal[];
  readonly beacon: string | null;
  readonly seed: string;
  readonly resultHash: string;
}

/**
 * One discrepancy. `expected` is what the engine recomputed, `actual` what the manifest or file says;
 * `line` is 1-based. `invalid-input` means the input could not be read far enough to recompute.
 */
export type VerificationProblem =
  | {
      readonly kind: 'algorithm' | 'pool-hash' | 'seed' | 'result-hash';
      readonly expected: string;
      readonly actual: string;
    }
  | {
      readonly kind: 'commitment';
      readonly witnessId: string;
      readonly expected: string;
      readonly actual: string;
    }
  | {
      readonly kind: 'pool-line' | 'result-line';
      readonly line: number;
      readonly expected: string | null;
      readonly actual: string | null;
    }
  | { readonly kind: 'invalid-input'; readonly pointer: string; readonly detail: string };

export interface VerificationReport {
  readonly ok: boolean;
  readonly problems: readonly VerificationProblem[];
  /** What the engine computed from the pool lines and the manifest (null where it could not). */
  readonly recomputed: {
    readonly poolHash: string | null;
    readonly seed: string | null;
    readonly resultHash: string | null;
  };
}

/**
 * Recomputes a draw from its manifest and pool file and compares everything: the algorithm id, each
 * witness's commitment, the pool file's canonical form and hash, the seed, every result line and the
 * result hash. Reports each mismatch (the first differing line of each file), not just a verdict.
 * Lines are given without their newline.
 */
export function verifyDraw(
  manifest: DrawManifest,
  poolFileLines: readonly string[],
  resultFileLines: readonly string[],
): VerificationReport {
  const problems: VerificationProblem[] = [];
  const recomputed: { poolHash: string | null; seed: string | null; resultHash: string | null } = {
    poolHash: null,
    seed: null,
    resultHash: null,
  };
  const report = (): VerificationReport => ({ ok: problems.length === 0, problems, recomputed });
  const compare = (
    kind: 'algorithm' | 'pool-hash' | 'seed' | 'result-hash',
    expected: string,
    actual: string,
  ) => {
    if (expected !== actual) problems.push({ kind, expected, actual });
  };

  compare('algorithm', ALGORITHM_ID, manifest.algorithm);
  for (const reveal of manifest.reveals ?? []) {
    const expected = attempt(problems, () => commitmentOf(reveal.secret));
    if (expected !== null && expected !== reveal.commitment) {
      problems.push({ kind: 'commitment', witnessId: reveal.witnessId, expected, actual: reveal.commitment });
    }
  }

  const pool = attempt(problems, () => poolFromLines(poolFileLines));
  if (pool === null) return report();
  const firstPoolDifference = firstDifference((sink) => writePool(pool, sink), poolFileLines);
  if (firstPoolDifference !== null) problems.push({ kind: 'pool-line', ...firstPoolDifference });
  recomputed.poolHash = poolHash(pool);
  compare('pool-hash', recomputed.poolHash, manifest.poolHash);

  const seed = attempt(problems, () =>
    deriveSeed({
      drawId: manifest.drawId,
      poolHash: recomputed.poolHash!,
      reveals: manifest.reveals,
      beacon: manifest.beacon,
    }),
  );
  if (seed === null) return report();
  recomputed.seed = seed;
  compare('seed', seed, manifest.seed);

  const result = attempt(problems, () => runDraw(pool, manifest.policy, seed));
  if (result === null) return report();
  const firstResultDifference = firstDifference((sink) => writeResult(result, sink), resultFileLines);
  if (firstResultDifference !== null) problems.push({ kind: 'result-line', ...firstResultDifference });
  recomputed.resultHash = resultHash(result);
  compare('result-hash', recomputed.resultHash, manifest.resultHash);
  return report();
}

/** The first line where a serialisation and a file's lines differ, or null. Streams the serialisation. */
function firstDifference(
  write: (sink: ChunkSink) => void,
  file: readonly string[],
): { line: number; expected: string | null; actual: string | null } | null {
  let found: { line: number; expected: string | null; actual: string | null } | null = null;
  let line = 0;
  let partial = '';
  write((chunk) => {
    if (found !== null) return;
    const lines = (
      partial + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1')
    ).split('\n');
    partial = lines.pop()!;
    for (const expected of lines) {
      const actual = line < file.length ? file[line]! : null;
      line++;
      if (expected !== actual) {
        found = { line, expected, actual };
        return;
      }
    }
  });
  if (found === null && line < file.length) found = { line: line + 1, expected: null, actual: file[line]! };
  return found;
}

/** Runs a step; an AppError becomes an `invalid-input` problem and null. */
function attempt<T>(problems: VerificationProblem[], step: () => T): T | null {
  try {
    return step();
  } catch (error) {
    if (!isAppError(error)) throw error;
    const first = error.errors?.[0];
    problems.push({
      kind: 'invalid-input',
      pointer: first?.pointer ?? '',
      detail: first?.detail ?? error.detail,
    });
    return null;
  }
}
