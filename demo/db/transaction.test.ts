/** @module demo/db: a transaction whose link stalls leaves no stuck client in the pool. */
import { afterAll, describe, expect, it } from 'vitest';
import { startDelayProxy } from '../testing/delay-proxy.js';
import { TEST_DATABASE_URL } from '../testing/test-database.js';
import { createPool } from './pool.js';
import { inTransaction } from './transaction.js';

describe('inTransaction', { timeout: 20_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('destroys a client whose query timed out, so the next transaction gets a fresh connection', async () => {
    const url = new URL(TEST_DATABASE_URL);
    const proxy = await startDelayProxy({ host: url.hostname, port: Number(url.port) || 5432 });
    const pool = createPool(TEST_DATABASE_URL, { host: '127.0.0.1', port: proxy.port }, { max: 1, connectionTimeoutMs: 2000, queryTimeoutMs: 300 });
    cleanups.push(() => proxy.close(), () => pool.end());
    expect(await inTransaction(pool, async (c) => (await c.query<{ n: number }>('select 1 as n')).rows[0]?.n)).toBe(1);
    proxy.delayMs = 5000;
    await expect(inTransaction(pool, (c) => c.query('select 2'))).rejects.toThrow(/read timeout/);
    proxy.delayMs = 0;
    expect(await inTransaction(pool, async (c) => (await c.query<{ n: number }>('select 3 as n')).rows[0]?.n)).toBe(3);
  });

  it('rolls back and keeps the client when the statement itself fails', async () => {
    const pool = createPool(TEST_DATABASE_URL, undefined, { max: 1 });
    cleanups.push(() => pool.end());
    await expect(inTransaction(pool, (c) => c.query('select * from no_such_table_here'))).rejects.toThrow(/does not exist/);
    expect(pool.totalCount).toBe(1);
    expect(await inTransaction(pool, async (c) => (await c.query<{ n: number }>('select 4 as n')).rows[0]?.n)).toBe(4);
  });
});
