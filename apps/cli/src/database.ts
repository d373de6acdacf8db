import { type DatabaseHandle, openDatabase } from '@g2g/db';
import type { PlatformConfig } from '@g2g/http';

/** Opens the configured database for a one-shot command, runs `work`, and always closes it. */
export async function withDatabase<T>(
  config: PlatformConfig,
  work: (database: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: 2,
  });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
