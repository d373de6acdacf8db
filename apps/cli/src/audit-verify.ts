import { verifyAuditChain } from '@g2g/db';
import { loadConfig } from './config.ts';
import { withDatabase } from './database.ts';

/** `pnpm audit:verify`: walks the audit chain; exits 1 at the first broken link. */
const config = loadConfig();
await withDatabase(config, async ({ db }) => {
  const result = await verifyAuditChain(db, {
    onProgress: (checked) => {
      if (process.stderr.isTTY) process.stderr.write(`\rchecked ${checked.toLocaleString('en')} links`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (result.ok) {
    const pending = result.unchained > 0 ? `; ${result.unchained} event(s) recorded but not yet chained` : '';
    process.stdout.write(`Audit chain intact: ${result.checked} link(s), head ${result.head}${pending}.\n`);
    return;
  }
  const b = result.firstBreak!;
  const event = 'eventId' in b ? `, event ${b.eventId}` : '';
  process.stdout.write(
    `Audit chain BROKEN at seq ${b.seq} (${b.kind}${event}) after ${result.checked} good link(s).\n`,
  );
  process.exitCode = 1;
});
