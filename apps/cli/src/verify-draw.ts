import { parseArgs } from 'node:util';
import { drawUrls, verifyPublishedDraw } from './verify-draw/verify.ts';

/**
 * `pnpm verify-draw --draw-url http://127.0.0.1:8083/v1/draws/<id> [--jwks <url|file>]`
 * `pnpm verify-draw --manifest <file|url> --pool <file|url> --results <file|url> --jwks <file|url>`
 *
 * Re-runs a published draw from its public files: checks the manifest's signature, the commitments,
 * the pool hash, the seed and every result line. Exit 0 only if everything matches; otherwise it
 * prints each difference and exits 1 (2 for usage errors).
 */
const usage =
  'usage: pnpm verify-draw --draw-url <base url of the draw> [--jwks <url|file>]\n' +
  '       pnpm verify-draw --manifest <file|url> --pool <file|url> --results <file|url> --jwks <file|url> [--quiet]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      'draw-url': { type: 'string' },
      manifest: { type: 'string' },
      pool: { type: 'string' },
      results: { type: 'string' },
      jwks: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (err) {
  fail((err as Error).message);
}
const get = (name: string) => values[name] as string | undefined;
const drawUrl = get('draw-url');
let inputs: ReturnType<typeof drawUrls>;
if (drawUrl !== undefined) {
  if (!/^https?:\/\//.test(drawUrl)) fail('--draw-url must be an http(s) URL');
  inputs = drawUrls(drawUrl, get('jwks'));
} else {
  const [manifest, pool, results, jwks] = [get('manifest'), get('pool'), get('results'), get('jwks')];
  if (!manifest || !pool || !results || !jwks)
    fail('give --draw-url, or all of --manifest, --pool, --results and --jwks');
  inputs = { manifest, pool, results, jwks };
}

const progress = values.quiet ? () => {} : (message: string) => process.stderr.write(`  ${message}\n`);
try {
  const outcome = await verifyPublishedDraw(inputs, progress);
  const s = outcome.summary;
  if (outcome.ok) {
    process.stdout.write(
      `OK: draw ${s.drawId} verifies: signature, ${s.poolEntries} pool entries (pool hash ${s.poolHash}), seed ${s.seed}, ${s.resultLines} result lines (result hash ${s.resultHash}).\n`,
    );
    process.exit(0);
  }
  process.stdout.write(
    `MISMATCH: draw ${s.drawId ?? '?'} does not verify (${outcome.problems.length} problems):\n`,
  );
  for (const problem of outcome.problems) process.stdout.write(`  - ${problem}\n`);
  process.exit(1);
} catch (err) {
  process.stderr.write(`verify-draw: ${(err as Error).message}\n`);
  process.exit(1);
}
