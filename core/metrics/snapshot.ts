/** @module core/metrics: whole-run totals of every series, for outputs that push cumulative values (Prometheus remote write). */
import { aggregateOf } from './aggregate.js';
import type { TrendCell } from './cells.js';
import type { MetricStore } from './store.js';
import type { Aggregate, SeriesInfo } from './types.js';

/** hdr-histogram-js internals read directly: its iterator allocates per step and costs ~10× more. */
interface CountsArray {
  readonly countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
}

/** One series' totals since the start of the run. */
export interface SeriesSnapshot {
  readonly info: SeriesInfo;
  /** The latest run second with a value: a series whose second did not move has nothing new. */
  readonly lastSecond: number;
  /** Cumulative aggregate (counter sum, rate passes/total, gauge last value, trend stats). */
  readonly aggregate: Aggregate;
  /** Trends: calls `visit` for each distinct recorded value (ms, at the HDR's ±0.1 %) with its count, ascending. */
  forEachValue(visit: (ms: number, count: number) => void): void;
}

/**
 * Totals of the series recorded after run second `sinceSecond` (all when omitted): what changed since the
 * last push. Trend totals merge every second's HDR, so this costs one merge per changed trend series.
 */
export function seriesSnapshots(store: MetricStore, sinceSecond = -1): SeriesSnapshot[] {
  const out: SeriesSnapshot[] = [];
  const elapsed = store.elapsedMs();
  for (const s of store.allSeries()) {
    if (s.lastRecordedSecond <= sinceSecond) continue;
    const cell = s.totalCell();
    const hist = s.info.type === 'trend' ? (cell as TrendCell).hist : undefined;
    out.push({
      info: s.info,
      lastSecond: s.lastRecordedSecond,
      aggregate: aggregateOf(s.info.metric, s.info.type, cell, elapsed),
      forEachValue(visit) {
        if (hist === undefined || hist.totalCount === 0) return;
        const counts = hist as unknown as CountsArray;
        // HDR values are integer µs; each index is one distinct value at the HDR's precision.
        for (let i = 0; i < counts.countsArrayLength; i++) {
          const count = counts.getCountAtIndex(i);
          if (count > 0) visit(counts.valueFromIndex(i) / 1000, count);
        }
      },
    });
  }
  return out;
}
