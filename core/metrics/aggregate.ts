/** @module core/metrics: turns a merged cell into the k6 aggregations (count, rate, avg, min, max, med, p(N), value). */
import { countAtOrBelowMs, countsAtOrBelowMs, newHistogram, percentileMs, type Histogram } from './histogram.js';
import { mergeCell, newCell, type Cell, type CounterCell, type GaugeCell, type RateCell, type TrendCell } from './cells.js';
import type { Aggregate, MetricType } from './types.js';

/** Merges cells of one type into a fresh cell (trend: into a histogram from the pool, which the caller may give back). */
export function mergeCells(type: MetricType, cells: Iterable<Cell>): Cell {
  const out = newCell(type);
  if (type === 'trend') (out as TrendCell).hist = newHistogram();
  for (const c of cells) mergeCell(type, out, c);
  return out;
}

/** Builds the Aggregate of a merged cell; `elapsedMs` is the time base of a counter's per-second rate. */
export function aggregateOf(metric: string, type: MetricType, cell: Cell, elapsedMs: number): Aggregate {
  const seconds = elapsedMs > 0 ? elapsedMs / 1000 : 0;
  switch (type) {
    case 'trend': {
      const c = cell as TrendCell;
      const hist = c.hist;
      const empty = c.count === 0;
      return build(metric, type, {
        samples: c.count,
        count: c.count,
        rate: seconds > 0 ? c.count / seconds : 0,
        passes: c.count,
        sum: c.sum,
        avg: empty ? 0 : c.sum / c.count,
        min: empty ? 0 : c.min,
        max: empty ? 0 : c.max,
        value: empty ? 0 : c.max,
        hist,
        exact: { min: c.min, max: c.max },
      });
    }
    case 'counter': {
      const c = cell as CounterCell;
      return build(metric, type, { samples: c.count, count: c.sum, rate: seconds > 0 ? c.sum / seconds : 0, passes: c.sum, sum: c.sum, avg: c.count === 0 ? 0 : c.sum / c.count, min: 0, max: 0, value: c.sum });
    }
    case 'rate': {
      const c = cell as RateCell;
      return build(metric, type, { samples: c.count, count: c.count, rate: c.count === 0 ? 0 : c.passes / c.count, passes: c.passes, sum: c.passes, avg: c.count === 0 ? 0 : c.passes / c.count, min: 0, max: 0, value: c.count === 0 ? 0 : c.passes / c.count });
    }
    case 'gauge': {
      const c = cell as GaugeCell;
      const empty = c.count === 0;
      return build(metric, type, { samples: c.count, count: c.count, rate: 0, passes: 0, sum: 0, avg: 0, min: empty ? 0 : c.min, max: empty ? 0 : c.max, value: c.value });
    }
  }
}

interface Parts {
  samples: number;
  count: number;
  rate: number;
  passes: number;
  sum: number;
  avg: number;
  min: number;
  max: number;
  value: number;
  hist?: Histogram | undefined;
  exact?: { min: number; max: number };
}

function build(metric: string, type: MetricType, p: Parts): Aggregate {
  const hist = p.hist;
  const exact = p.exact;
  // p(0) and p(100) are the exact min and max; in between the HDR value (±0.1 %).
  const percentile = (n: number): number => {
    if (hist === undefined || p.samples === 0) return 0;
    if (exact && n <= 0) return exact.min;
    if (exact && n >= 100) return exact.max;
    return Math.min(percentileMs(hist, n), exact ? exact.max : Infinity);
  };
  return {
    metric,
    type,
    samples: p.samples,
    count: p.count,
    rate: p.rate,
    passes: p.passes,
    sum: p.sum,
    avg: p.avg,
    min: p.min,
    max: p.max,
    // A getter: most callers never read the median, and each percentile walks the histogram.
    get med() {
      return percentile(50);
    },
    value: p.value,
    percentile,
    countAtOrBelow: (ms: number): number => {
      if (hist === undefined || p.samples === 0) return 0;
      if (exact && ms >= exact.max) return p.samples;
      if (exact && ms < exact.min) return 0;
      return countAtOrBelowMs(hist, ms);
    },
    countsAtOrBelow: (ascendingMs: readonly number[]): number[] => {
      if (hist === undefined || p.samples === 0) return ascendingMs.map(() => 0);
      const counts = countsAtOrBelowMs(hist, ascendingMs);
      // Exact at the edges, as countAtOrBelow.
      return ascendingMs.map((ms, i) => (exact && ms >= exact.max ? p.samples : exact && ms < exact.min ? 0 : (counts[i] as number)));
    },
  };
}
