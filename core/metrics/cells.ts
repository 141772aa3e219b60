/** @module core/metrics: one second of one series (trend, counter, rate or gauge) and how cells merge. */
import { addEncoded, decodeHistogram, encodeHistogram, newHistogram, releaseHistogram, toMicros, type Histogram } from './histogram.js';
import type { MetricType } from './types.js';

/**
 * Exact count/sum/min/max plus the values as HDR: `encoded` holds the compacted part, `hist` the values recorded
 * since the last compaction (both count; a cell written after compaction has both).
 */
export interface TrendCell {
  count: number;
  sum: number;
  min: number;
  max: number;
  hist: Histogram | undefined;
  encoded: string | undefined;
}

/** Counter: samples and the summed value. */
export interface CounterCell {
  count: number;
  sum: number;
}

/** Rate: samples and non-zero samples. */
export interface RateCell {
  count: number;
  passes: number;
}

/** Gauge: last value (by record order within the second) with min/max. */
export interface GaugeCell {
  count: number;
  value: number;
  min: number;
  max: number;
}

export type Cell = TrendCell | CounterCell | RateCell | GaugeCell;

export function newCell(type: MetricType): Cell {
  switch (type) {
    case 'trend':
      return { count: 0, sum: 0, min: Infinity, max: -Infinity, hist: undefined, encoded: undefined };
    case 'counter':
      return { count: 0, sum: 0 };
    case 'rate':
      return { count: 0, passes: 0 };
    case 'gauge':
      return { count: 0, value: 0, min: Infinity, max: -Infinity };
  }
}

/**
 * Adds one value. Returns true when a trend cell became live again (the caller tracks live cells
 * for compaction).
 */
export function addToCell(type: MetricType, cell: Cell, value: number): boolean {
  switch (type) {
    case 'trend': {
      const c = cell as TrendCell;
      let revived = false;
      if (c.hist === undefined) {
        c.hist = newHistogram();
        revived = true;
      }
      c.hist.recordValue(toMicros(value));
      c.count++;
      c.sum += value;
      if (value < c.min) c.min = value;
      if (value > c.max) c.max = value;
      return revived;
    }
    case 'counter': {
      const c = cell as CounterCell;
      c.count++;
      c.sum += value;
      return false;
    }
    case 'rate': {
      const c = cell as RateCell;
      c.count++;
      if (value !== 0) c.passes++;
      return false;
    }
    case 'gauge': {
      const c = cell as GaugeCell;
      c.count++;
      c.value = value;
      if (value < c.min) c.min = value;
      if (value > c.max) c.max = value;
      return false;
    }
  }
}

/**
 * Folds a trend cell's live values into its compressed encoding (and into `fold`, e.g. the series total)
 * and recycles the live histogram.
 */
export function compactTrendCell(c: TrendCell, fold?: Histogram): void {
  if (c.hist === undefined) return;
  fold?.add(c.hist);
  if (c.encoded === undefined) c.encoded = encodeHistogram(c.hist);
  else {
    const merged = decodeHistogram(c.encoded);
    merged.add(c.hist);
    c.encoded = encodeHistogram(merged);
  }
  releaseHistogram(c.hist);
  c.hist = undefined;
}

/** Adds all of a trend cell's values (live and encoded) into `into` without changing the cell. */
function mergeTrendHistogram(into: Histogram, c: TrendCell): void {
  if (c.hist !== undefined) into.add(c.hist);
  if (c.encoded !== undefined) addEncoded(into, c.encoded);
}

/** Adds count/sum/min/max of `from` to `into` (trend scalars only). */
export function mergeTrendScalars(into: TrendCell, from: Readonly<Pick<TrendCell, 'count' | 'sum' | 'min' | 'max'>>): void {
  into.count += from.count;
  into.sum += from.sum;
  if (from.min < into.min) into.min = from.min;
  if (from.max > into.max) into.max = from.max;
}

/** Merges a whole cell (used to rebuild totals and to merge stores). */
export function mergeCell(type: MetricType, into: Cell, from: Cell): void {
  switch (type) {
    case 'trend': {
      const a = into as TrendCell;
      const b = from as TrendCell;
      if (b.count === 0) return;
      a.hist ??= newHistogram();
      mergeTrendHistogram(a.hist, b);
      mergeTrendScalars(a, b);
      return;
    }
    case 'counter': {
      const a = into as CounterCell;
      const b = from as CounterCell;
      a.count += b.count;
      a.sum += b.sum;
      return;
    }
    case 'rate': {
      const a = into as RateCell;
      const b = from as RateCell;
      a.count += b.count;
      a.passes += b.passes;
      return;
    }
    case 'gauge': {
      const a = into as GaugeCell;
      const b = from as GaugeCell;
      if (b.count === 0) return;
      a.count += b.count;
      a.value = b.value;
      a.min = Math.min(a.min, b.min);
      a.max = Math.max(a.max, b.max);
      return;
    }
  }
}
