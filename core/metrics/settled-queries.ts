/**
 * @module core/metrics: store queries for a run still being recorded, asked again every second (the live control
 * room's evaluation). Seconds older than a settle horizon are merged once and kept: a window that grows with the run
 * costs its newest seconds, not its whole length. Answers equal `MetricStore.query`'s.
 */
import { mergeCell, mergeTrendScalars, type Cell, type TrendCell } from './cells.js';
import { addBuckets, nonZeroBuckets, type BucketCounts, type Histogram } from './histogram.js';
import { aggregateOf, mergeCells } from './aggregate.js';
import { mergeSeriesRange } from './range-merge.js';
import type { SeriesData } from './series-data.js';
import type { MetricStore } from './store.js';
import type { Aggregate, MetricQuery, MetricType } from './types.js';

/** Seconds behind the newest one a value may still land in: a request is recorded in the second it finished. */
const SETTLE_SECONDS = 3;

interface Prefix {
  /** Values of seconds [from, through), merged. */
  readonly cell: Cell;
  through: number;
  /** A trend prefix's buckets, read once per extension: copying them beats adding a whole histogram. */
  buckets?: BucketCounts;
}

export interface SettledQueries {
  /** Moves the settle horizon to the store's newest second; forgets what writes into older seconds changed. */
  refresh(): void;
  /** Seconds below this were settled at the last `refresh` (per-second caches may keep them). */
  settledSecond(): number;
  /** The lowest second written between the last two `refresh` calls: caches of it and later seconds are stale. */
  changedFrom(): number;
  /** `MetricStore.query`, from cached merges where the seconds are settled. */
  query(q: MetricQuery): Aggregate;
}

export function createSettledQueries(store: MetricStore): SettledQueries {
  // Merges read the cells directly: a live view of the whole run keeps them in memory.
  store.restoreSpilled();
  const prefixes = new Map<string, Prefix>();
  const closed = new Map<string, Aggregate>();
  let settled = 0;
  let changedFrom = Infinity;

  /** Merges the matching series' cells of seconds [from, to) into `into`. */
  return {
    refresh() {
      const changed = store.changedFrom;
      store.changedFrom = Infinity;
      changedFrom = changed;
      settled = Math.max(0, Math.floor(store.elapsedMs() / 1000) - SETTLE_SECONDS);
      // A write into an old second (a merged store, a late sample): forget every merge that covered it.
      if (changed < settled) {
        for (const [key, p] of prefixes) if (p.through > changed) prefixes.delete(key);
        closed.clear();
      }
    },
    settledSecond: () => settled,
    changedFrom: () => changedFrom,
    query(q) {
      const type = store.typeOf(q.metric) ?? 'counter';
      // Gauges merge in time order across series, backdated metrics change old seconds: the store answers those.
      if (q.fromMs === undefined || q.toMs === undefined || type === 'gauge' || store.isBackdated(q.metric)) return store.query(q);
      const from = Math.floor(q.fromMs / 1000);
      const to = Math.ceil(q.toMs / 1000);
      const elapsed = q.elapsedMs ?? Math.min(q.toMs, store.elapsedMs()) - q.fromMs;
      const tagKey = JSON.stringify(q.tags ?? {});
      if (to <= settled) {
        const key = `${q.metric}\u0000${tagKey}\u0000${q.fromMs}\u0000${q.toMs}\u0000${elapsed}`;
        let hit = closed.get(key);
        if (!hit) closed.set(key, (hit = store.query(q)));
        return hit;
      }
      const series = store.matching(q.metric, q.tags);
      // One growing prefix per window start: the run and the phase in progress reuse it as the run goes on.
      const key = `${q.metric}\u0000${tagKey}\u0000${from}`;
      let p = prefixes.get(key);
      if (!p) prefixes.set(key, (p = { cell: emptyCell(type), through: from }));
      if (p.through < settled) {
        mergeRange(series, type, p.cell, p.through, settled);
        p.through = settled;
        p.buckets = undefined;
      }
      const out = emptyCell(type);
      if (type === 'trend') copyTrend(p, out as TrendCell);
      else mergeCell(type, out, p.cell);
      mergeRange(series, type, out, p.through, to);
      return aggregateOf(q.metric, type, out, elapsed);
    },
  };
}

function copyTrend(p: Prefix, out: TrendCell): void {
  const from = p.cell as TrendCell;
  if (from.count === 0) return;
  p.buckets ??= nonZeroBuckets(from.hist as Histogram);
  addBuckets(out.hist as Histogram, p.buckets);
  mergeTrendScalars(out, from);
}

/** A fresh cell to merge into (a trend one with its own histogram). */
const emptyCell = (type: MetricType): Cell => mergeCells(type, []);

/** Merges the series' cells of seconds [from, to) into `into`. */
function mergeRange(series: readonly SeriesData[], type: MetricType, into: Cell, from: number, to: number): void {
  for (const s of series) mergeSeriesRange(s, type, into, from, to, false);
}
