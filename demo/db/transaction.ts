/** @module demo/db: run a function on one pooled client — inside one transaction, or as plain statements. */
import type pg from 'pg';

/**
 * True when the client's link, not the statement, failed: a read timeout (pg leaves the query
 * waiting on the wire, so the client would stall whoever gets it next) or a network error.
 * Errors the server reported carry a `severity`; application errors carry neither.
 */
function isLinkFailure(err: unknown): boolean {
  if (!(err instanceof Error) || 'severity' in err) return false;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return /^E[A-Z]+$/.test(code) || /read timeout|Connection terminated|not queryable|timeout expired/i.test(err.message);
}

/** Runs `fn` between begin and commit; any throw rolls back. A client whose link failed is destroyed, not pooled. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let out: T;
  try {
    await client.query('begin');
    out = await fn(client);
    await client.query('commit');
  } catch (err) {
    if (isLinkFailure(err)) {
      client.release(err as Error);
      throw err;
    }
    try {
      await client.query('rollback');
      client.release();
    } catch (rollbackErr) {
      client.release(rollbackErr as Error);
    }
    throw err;
  }
  client.release();
  return out;
}

/**
 * Runs `fn`'s statements on one pooled client without a transaction: one wait for the pool instead of one per
 * statement (under load each wait is the longest part of a query). A client whose link failed is destroyed.
 */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let out: T;
  try {
    out = await fn(client);
  } catch (err) {
    client.release(isLinkFailure(err) ? (err as Error) : undefined);
    throw err;
  }
  client.release();
  return out;
}
