/** @module demo/db: the transactional outbox — enqueue inside a write, claim with SKIP LOCKED, settle. */
import type pg from 'pg';
import type { Queryable } from './resource-store.js';

/** One claimed outbox job. */
export interface OutboxJob {
  readonly id: string;
  readonly topic: string;
  readonly payload: Record<string, unknown>;
  readonly attempts: number;
}

/**
 * The ids of up to `$1` due jobs, oldest first, locked. Due jobs are open ones, so the planner can read them in id order
 * from the index of open jobs (migration 3) instead of walking the primary key past every finished job.
 */
export function dueJobsSql(table: string): string {
  return `select id from ${table}
          where (status = 'pending' and available_at <= now()) or (status = 'processing' and locked_until < now())
          order by id limit $1 for update skip locked`;
}

/** Outbox rows of one schema. */
export class Outbox {
  constructor(private readonly schema: string) {}

  private get table(): string {
    return `${this.schema}.outbox`;
  }

  /** Adds a job (use the same client as the business write so both commit or neither). */
  async enqueue(q: Queryable, topic: string, payload: Record<string, unknown>, delayMs = 0): Promise<string> {
    const r = await q.query<{ id: string }>(`insert into ${this.table} (topic, payload, available_at) values ($1, $2, now() + make_interval(secs => $3)) returning id`, [topic, payload, delayMs / 1000]);
    return r.rows[0]?.id ?? '';
  }

  /**
   * Claims up to `limit` due jobs. A claim is a lease (`locked_until`): a worker that dies
   * mid-job leaves the row to be claimed again after `leaseMs`.
   */
  async claim(pool: pg.Pool, limit: number, leaseMs: number): Promise<OutboxJob[]> {
    const r = await pool.query<{ id: string; topic: string; payload: Record<string, unknown>; attempts: number }>(
      `update ${this.table} set status = 'processing', attempts = attempts + 1, locked_until = now() + make_interval(secs => $2)
       where id in (${dueJobsSql(this.table)})
       returning id, topic, payload, attempts`,
      [limit, leaseMs / 1000],
    );
    return r.rows.map((row) => ({ id: String(row.id), topic: row.topic, payload: row.payload, attempts: row.attempts }));
  }

  /** Marks a job done. */
  async complete(q: Queryable, id: string): Promise<void> {
    await q.query(`update ${this.table} set status = 'done', processed_at = now(), locked_until = null where id = $1`, [id]);
  }

  /** Reschedules a failed job after `retryInMs`, or parks it as `dead` when `dead` is true. */
  async fail(q: Queryable, id: string, error: string, retryInMs: number, dead: boolean): Promise<void> {
    await q.query(
      `update ${this.table} set status = $2, last_error = $3, locked_until = null, available_at = now() + make_interval(secs => $4) where id = $1`,
      [id, dead ? 'dead' : 'pending', error.slice(0, 500), retryInMs / 1000],
    );
  }

  /** Jobs per status, for /health. */
  async counts(q: Queryable): Promise<Record<string, number>> {
    const r = await q.query<{ status: string; n: string }>(`select status, count(*) as n from ${this.table} group by status`);
    return Object.fromEntries(r.rows.map((x) => [x.status, Number(x.n)]));
  }
}
