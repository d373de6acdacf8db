import { grantAppRole, migrateToLatest } from '@g2g/db';
import { loadConfig } from './config.ts';
import { withDatabase } from './database.ts';

/**
 * `pnpm db:migrate`: applies pending migrations (the release step when MIGRATE_ON_START=false), then,
 * with DB_APP_ROLE set, grants the apps' role row access only.
 */
const config = loadConfig();
await withDatabase(config, async ({ db }) => {
  const { applied, latest } = await migrateToLatest(db);
  process.stdout.write(
    applied.length > 0
      ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n`
      : `Nothing to apply; the database is at ${latest}.\n`,
  );
  if (config.DB_APP_ROLE) {
    const { appendOnly } = await grantAppRole(db, config.DB_APP_ROLE);
    process.stdout.write(
      `Granted ${config.DB_APP_ROLE} row access; append-only for it: ${appendOnly.join(', ')}.\n`,
    );
  }
});
