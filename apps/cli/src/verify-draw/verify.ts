import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson, isAppError } from '@g2g/domain';
import { type DrawManifest, RESULT_FIELDS, type VerificationProblem, verifyDraw } from '@g2g/lottery';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';

/** Where each published file comes from: a local path or an http(s) URL. */
export interface VerifyInputs {
  readonly manifest: string;
  readonly pool: string;
  readonly results: string;
  readonly jwks: string;
}

export interface VerifyOutcome {
  readonly ok: boolean;
  /** One line per discrepancy, saying exactly what differs. */
  readonly problems: readonly string[];
  readonly summary: {
    readonly drawId: string | null;
    readonly poolEntries: number;
    readonly resultLines: number;
    readonly poolHash: string | null;
    readonly seed: string | null;
    readonly resultHash: string | null;
  };
}

export type Progress = (message: string) => void;

const isUrl = (source: string) => /^https?:\/\//.test(source);

/** The bytes of a file or URL as text (ASCII/UTF-8), reporting size as it goes. */
async function load(source: string, what: string, progress: Progress): Promise<string> {
  const started = performance.now();
  let text: string;
  if (isUrl(source)) {
    const res = await fetch(source, {
      headers: { accept: what === 'results' ? 'text/tab-separated-values' : '*/*' },
    });
    if (!res.ok) throw new Error(`${what}: GET ${source} answered ${res.status}`);
    text = await res.text();
  } else {
    text = await readFile(source, 'utf8');
  }
  progress(
    `read ${what}: ${(text.length / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return text;
}

function linesOf(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/**
 * Result lines in the canonical TSV form, whichever of the published encodings the file uses:
 * the canonical file itself, NDJSON (one object per line) or CSV (with its header line).
 */
export function canonicalResultLines(text: string): string[] {
  const lines = linesOf(text);
  if (lines.length === 0) return lines;
  if (lines[0]!.startsWith('{')) {
    return lines.map((line) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      return RESULT_FIELDS.map((f) => (row[f] === null || row[f] === undefined ? '' : String(row[f]))).join(
        '\t',
      );
    });
  }
  if (lines[0] === RESULT_FIELDS.join(',')) return lines.slice(1).map((l) => l.replaceAll(',', '\t'));
  return lines;
}

/** The manifest envelope `{ manifest, jws }` as served, or a bare compact JWS. */
function parseEnvelope(text: string): { manifest: unknown; jws: string } {
  const trimmed = text.trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(trimmed))
    return { manifest: null, jws: trimmed };
  const parsed = JSON.parse(trimmed) as { manifest?: unknown; jws?: unknown };
  if (typeof parsed.jws !== 'string')
    throw new Error('manifest: no "jws" member (expected { manifest, jws })');
  return { manifest: parsed.manifest ?? null, jws: parsed.jws };
}

function describe(problem: VerificationProblem): string {
  switch (problem.kind) {
    case 'algorithm':
    case 'pool-hash':
    case 'seed':
    case 'result-hash':
      return `${problem.kind}: manifest says ${problem.actual}, recomputed ${problem.expected}`;
    case 'commitment':
      return `commitment of witness ${problem.witnessId}: manifest says ${problem.actual}, SHA-256 of the revealed secret is ${problem.expected}`;
    case 'pool-line':
    case 'result-line':
      return `${problem.kind === 'pool-line' ? 'pool file' : 'result file'} line ${problem.line}: file has ${JSON.stringify(problem.actual)}, expected ${JSON.stringify(problem.expected)}`;
    case 'invalid-input':
      return `invalid input at ${problem.pointer}: ${problem.detail}`;
    default: {
      const never: never = problem;
      return JSON.stringify(never);
    }
  }
}

/** Top-level members whose values differ between two objects. */
function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => !isDeepStrictEqual(a[k], b[k]));
}

/**
 * Verifies a published draw from its public files alone: the manifest's JWS against the ministry's
 * keys, then (docs/lottery-spec.md section 12) commitments, the pool file and hash, the seed, every
 * result line and the result hash, with the engine (`verifyDraw`). Reports every discrepancy.
 */
export async function verifyPublishedDraw(
  inputs: VerifyInputs,
  progress: Progress = () => {},
): Promise<VerifyOutcome> {
  const problems: string[] = [];
  const summary = {
    drawId: null as string | null,
    poolEntries: 0,
    resultLines: 0,
    poolHash: null as string | null,
    seed: null as string | null,
    resultHash: null as string | null,
  };
  const done = () => ({ ok: problems.length === 0, problems, summary });

  const envelope = parseEnvelope(await load(inputs.manifest, 'manifest', progress));
  const jwks = JSON.parse(await load(inputs.jwks, 'jwks', progress)) as JSONWebKeySet;
  let signed: DrawManifest;
  try {
    const verified = await compactVerify(envelope.jws, createLocalJWKSet(jwks), {
      algorithms: ['EdDSA', 'ES256'],
    });
    const payload = new TextDecoder().decode(verified.payload);
    signed = JSON.parse(payload) as DrawManifest;
    if (canonicalJson(signed as never) !== payload)
      problems.push('signature: the signed payload is not canonical JSON');
    progress(`signature: valid (key ${verified.protectedHeader.kid ?? '?'})`);
  } catch (err) {
    problems.push(
      `signature: the manifest JWS does not verify against the given keys (${(err as Error).message})`,
    );
    return done();
  }
  if (envelope.manifest !== null) {
    const differ = differingKeys(
      signed as unknown as Record<string, unknown>,
      envelope.manifest as Record<string, unknown>,
    );
    for (const key of differ) {
      problems.push(
        `manifest.${key}: the published manifest says ${JSON.stringify((envelope.manifest as Record<string, unknown>)[key])}, the signed manifest says ${JSON.stringify((signed as unknown as Record<string, unknown>)[key])}`,
      );
    }
  }
  summary.drawId = signed.drawId;

  const poolLines = linesOf(await load(inputs.pool, 'pool', progress));
  summary.poolEntries = poolLines.length;
  const resultLines = canonicalResultLines(await load(inputs.results, 'results', progress));
  summary.resultLines = resultLines.length;
  progress(
    `recomputing draw ${signed.drawId}: ${poolLines.length} pool entries, ${resultLines.length} result lines`,
  );
  const started = performance.now();
  let report: ReturnType<typeof verifyDraw>;
  try {
    report = verifyDraw(signed, poolLines, resultLines);
  } catch (err) {
    if (!isAppError(err)) throw err;
    problems.push(`invalid input: ${err.detail}`);
    return done();
  }
  progress(`recomputed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  Object.assign(summary, report.recomputed);
  problems.push(...report.problems.map(describe));
  return done();
}

/** The public URLs of a draw from its base URL (`http://host:8083/v1/draws/<id>`). */
export function drawUrls(base: string, jwks?: string): VerifyInputs {
  const url = base.replace(/\/+$/, '');
  return {
    manifest: `${url}/manifest`,
    pool: `${url}/pool?format=tsv`,
    results: `${url}/results?format=tsv`,
    jwks: jwks ?? `${new URL(url).origin}/.well-known/jwks.json`,
  };
}
