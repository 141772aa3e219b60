/**
 * @module demo/db: vacuum and analyze of the demo's own tables when no autovacuum worker runs — autovacuum switched
 * off on the server (some test machines), or embedded PGlite (single-user PostgreSQL, no background workers).
 * Without it, as a soak showed (PostgreSQL 52 → 108 % of a core in 10 minutes): the outbox, which leaves two dead row
 * versions per job, bloats and its claim reads them all; the Patient identifier index (GIN) keeps every new entry in
 * its unsorted pending list, which each identifier search reads through (4 → 12 ms); and tables never analyzed leave
 * the planner guessing.
 */
import type pg from 'pg';
import { withClient } from './transaction.js';

/** Tables of the schema that churn (every round) and that only grow (every `GROWING_EVERY` rounds). */
const CHURNING = ['outbox'] as const;
const GROWING = ['resources', 'patient_names', 'slot_bookings'] as const;
const GROWING_EVERY = 4;

/** What a round needs of a connection: pg's Pool and PGlite both have it. */
interface SqlRunner {
  query<R>(sql: string): Promise<{ rows: R[] }>;
}

/** True when the server runs an autovacuum launcher (then nothing here is needed). */
export async function autovacuumRuns(q: SqlRunner): Promise<boolean> {
  const r = await q.query<{ runs: boolean }>(
    `select current_setting('autovacuum') = 'on' and exists (select 1 from pg_stat_activity where backend_type = 'autovacuum launcher') as runs`,
  );
  return r.rows[0]?.runs === true;
}

/**
 * One round: VACUUM ANALYZE of the churning tables, and every `GROWING_EVERY`-th round of the growing ones too (their
 * VACUUM is cheap — pages already all-visible are skipped — and it is what merges a GIN index's pending list).
 */
export async function upkeepRound(q: SqlRunner, schema: string, round: number, stopped: () => boolean = () => false): Promise<void> {
  const tables = round % GROWING_EVERY === 0 ? [...CHURNING, ...GROWING] : CHURNING;
  for (const table of tables) {
    if (stopped()) return;
    await q.query(`vacuum (analyze) ${schema}.${table}`);
  }
}

/** A running upkeep loop. */
export interface TableUpkeep {
  stop(): Promise<void>;
}

/** What a loop runs: whether a round is needed (no autovacuum worker), and the round on the loop's own connection. */
export interface UpkeepWork {
  readonly needed: (q: SqlRunner) => Promise<boolean>;
  readonly round: (q: SqlRunner, schema: string, round: number, stopped: () => boolean) => Promise<void>;
}

const VACUUM_WHEN_NO_AUTOVACUUM: UpkeepWork = { needed: async (q) => !(await autovacuumRuns(q)), round: upkeepRound };

/**
 * Every `everyMs`, once `ready` has resolved (migrations ran), runs an upkeep round when the server has no
 * autovacuum worker; asks again on each round, so a server that gains one is left to it. Failures (the database
 * down mid-drill, a fault on its link) are skipped: the next round tries again. `stop()` cancels a VACUUM under way
 * (pg_cancel_backend; safe, it only stops early) rather than waiting for it: after an hour's soak the growing
 * tables' round took seconds, and the run's verdict waited for the target to stop.
 */
export function startTableUpkeep(pool: pg.Pool, schema: string, ready: Promise<void>, everyMs: number, work: UpkeepWork = VACUUM_WHEN_NO_AUTOVACUUM): TableUpkeep {
  let round = 0;
  let running: Promise<void> | null = null;
  let stopped = false;
  let backendPid: number | undefined;
  const tick = async (): Promise<void> => {
    await ready;
    if (stopped || !(await work.needed(pool))) return;
    await withClient(pool, async (client) => {
      try {
        backendPid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
        if (!stopped) await work.round(client, schema, round++, () => stopped);
      } finally {
        backendPid = undefined;
      }
    });
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch(() => undefined)
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running && backendPid !== undefined) await pool.query('select pg_cancel_backend($1)', [backendPid]).catch(() => undefined);
      await running;
    },
  };
}
