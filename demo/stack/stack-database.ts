/** @module demo/stack: choose the database — real PostgreSQL when configured or answering, else embedded PGlite. */
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { probePostgres } from '../db/probe-postgres.js';
import type { StackOptions } from './stack-options.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The database the stack runs on. */
export interface StackDatabase {
  readonly kind: 'postgres' | 'embedded';
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * auto: DATABASE_URL set → use it; else a PostgreSQL server on 127.0.0.1:5432 → use it;
 * nothing listening → embedded PGlite served on that address (so a proxy upstream of
 * 127.0.0.1:5432 works either way). Something else on the port → DemoDatabaseError.
 */
export async function resolveDatabase(o: StackOptions): Promise<StackDatabase> {
  const url = o.databaseUrl ?? DEFAULT_URL;
  const useReal = o.dbMode === 'real' || (o.dbMode === 'auto' && (o.databaseUrl !== undefined || (await probePostgres(url)) === 'present'));
  if (useReal) return { kind: 'postgres', url, stop: async () => undefined };
  const parsed = new URL(url);
  const embedded = await startEmbeddedPostgres({ host: parsed.hostname || '127.0.0.1', port: Number(parsed.port) || 5432 });
  return { kind: 'embedded', url: embedded.url, stop: () => embedded.stop() };
}
