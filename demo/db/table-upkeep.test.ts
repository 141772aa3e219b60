/** @module demo/db: an upkeep round clears the outbox's dead row versions (real PostgreSQL), and PGlite has no autovacuum. */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';
import { migrate } from './migrations.js';
import { dueJobsSql, Outbox } from './outbox.js';
import { createPool } from './pool.js';
import { autovacuumRuns, startTableUpkeep, upkeepRound } from './table-upkeep.js';

const schema = `demo_upkeep_${process.pid}_${Date.now().toString(36)}`;
const DONE = 5000;
const OPEN = 400;

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Actual Rows': number;
  readonly 'Rows Removed by Filter'?: number;
  readonly Plans?: readonly PlanNode[];
}

describe('table upkeep', { timeout: 60_000 }, () => {
  const pool = createPool(TEST_DATABASE_URL, undefined, { max: 2 });
  const outbox = new Outbox(schema);
  beforeAll(async () => {
    await migrate(pool, schema);
  });
  afterAll(async () => {
    await pool.end();
    await dropSchema(schema);
  });

  /** n_dead_tup of the outbox once the statistics have caught up with `atLeast` (they are flushed within about 1 s). */
  const deadVersions = async (atLeast = 0): Promise<number> => {
    for (let i = 0; ; i++) {
      const r = await pool.query<{ n: string }>(`select n_dead_tup as n from pg_stat_user_tables where schemaname = $1 and relname = 'outbox'`, [schema]);
      const n = Number(r.rows[0]?.n ?? 0);
      if (n >= atLeast || i === 40) return n;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  /** Rows (and index entries) the plan's scan nodes returned or filtered out. */
  const rowsRead = async (explain: string): Promise<number> => {
    const r = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(explain);
    const sum = (n: PlanNode): number =>
      (n['Node Type'].endsWith('Scan') ? n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0) : 0) + (n.Plans ?? []).reduce((a, p) => a + sum(p), 0);
    return sum(r.rows[0]!['QUERY PLAN'][0].Plan);
  };

  it('vacuums the outbox (two dead versions per finished job), and its claim never walks past the finished jobs', async () => {
    // DONE jobs claimed and finished (each leaves its pending and processing versions dead), OPEN still pending.
    const table = `${schema}.outbox`;
    await pool.query(`insert into ${table} (topic, payload) select 'test', jsonb_build_object('i', g) from generate_series(1, ${DONE + OPEN}) g`);
    await pool.query(`update ${table} set status = 'processing', attempts = 1 where id <= ${DONE}`);
    await pool.query(`update ${table} set status = 'done', processed_at = now() where id <= ${DONE}`);
    expect(await deadVersions(2 * DONE)).toBeGreaterThanOrEqual(2 * DONE);

    // Another test's transaction on the same server can hold back what VACUUM may remove: try again, bounded.
    let left = Infinity;
    for (let round = 0; round < 20 && left > 0; round++) {
      await upkeepRound(pool, schema, round);
      left = await deadVersions();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(left).toBe(0);
    expect(await outbox.counts(pool)).toEqual({ done: DONE, pending: OPEN });

    // Analyzed while 7 % of the jobs were open, then all but one finish: statistics under which walking the primary key
    // in id order looks cheap (a soak's claim did that: 2,524 rows read for 4). It must read about the open jobs only.
    for (const job of await outbox.claim(pool, OPEN - 1, 60_000)) await outbox.complete(pool, job.id);
    const read = await rowsRead(`explain (analyze, format json) ${dueJobsSql(table).replace('$1', '20')}`);
    expect(read).toBeLessThan(DONE / 10);
    const [job] = await outbox.claim(pool, 10, 60_000);
    expect(job?.payload).toEqual({ i: DONE + OPEN });
  });

  it('stop() cancels the statement a round is running on its connection instead of waiting for it', async () => {
    const upkeepPool = createPool(TEST_DATABASE_URL, undefined, { max: 2 });
    let started!: () => void;
    const began = new Promise<void>((resolve) => (started = resolve));
    let failure: unknown;
    // A round that outlasts any test (a VACUUM of an hour's tables took seconds), needed whatever the server's autovacuum.
    const upkeep = startTableUpkeep(upkeepPool, schema, Promise.resolve(), 20, {
      needed: async () => true,
      round: async (q) => {
        started();
        try {
          await q.query('select pg_sleep(120)');
        } catch (err) {
          failure = err;
          throw err;
        }
      },
    });
    try {
      await began;
      const t0 = Date.now();
      await upkeep.stop();
      // The sleep is two minutes; a stop that waited for it would take that long (the test's limit is one).
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(String((failure as Error | undefined)?.message)).toMatch(/cancel/i);
      // The error reaches the client a moment before the backend reports itself idle: ask again, bounded.
      let sleeping = -1;
      for (let i = 0; i < 50 && sleeping !== 0; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        const r = await pool.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where query = 'select pg_sleep(120)' and state = 'active'`);
        sleeping = r.rows[0]?.n ?? -1;
      }
      expect(sleeping).toBe(0);
    } finally {
      await upkeep.stop();
      await upkeepPool.end();
    }
  });

  it('finds no autovacuum worker in embedded PGlite, and a round runs there', async () => {
    const db = await PGlite.create();
    try {
      await db.exec(`create schema s; create table s.outbox (id int); create table s.resources (id int); create table s.patient_names (id int); create table s.slot_bookings (id int)`);
      expect(await autovacuumRuns(db)).toBe(false);
      await upkeepRound(db, 's', 0);
    } finally {
      await db.close();
    }
  });
});
