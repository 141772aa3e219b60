/** @module demo/db: is there a PostgreSQL server at this URL, nothing, or something else? */
import pg from 'pg';

/** The database cannot be used as configured; the stack prints it and exits 3. */
export class DemoDatabaseError extends Error {
  override readonly name = 'DemoDatabaseError';
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/** `present` when a PostgreSQL server accepted us, `absent` when nothing listens; throws when something else answers. */
export async function probePostgres(url: string, timeoutMs = 3000): Promise<'present' | 'absent'> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  const where = new URL(url).host;
  try {
    await client.connect();
    await client.query('select 1');
    return 'present';
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { severity?: string };
    if (e.code === 'ECONNREFUSED') return 'absent';
    if (e.severity) {
      throw new DemoDatabaseError(`PostgreSQL at ${where} refused us: ${e.message}`, 'set DATABASE_URL (or --database-url) with the right user, password and database');
    }
    throw new DemoDatabaseError(`something that is not a usable PostgreSQL server answers on ${where}: ${e.message}`, `free ${where}, or point --database-url at a PostgreSQL server`);
  } finally {
    // end() can wait on a peer that never speaks the protocol; do not let it hold the caller.
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 500).unref())]);
  }
}
