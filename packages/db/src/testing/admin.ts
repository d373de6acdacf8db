import pg from 'pg';

/**
 * Admin helpers shared by the global setup and the per-file test databases. Kept apart from
 * `index.ts` because the global setup must not import 'vitest' (it runs outside a test worker).
 */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement on a short-lived admin connection, retrying while the template is busy. */
export async function adminQuery(url: string, statement: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    } finally {
      await client.end();
    }
  }
}
