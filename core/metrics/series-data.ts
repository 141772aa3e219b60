/** @module core/metrics: one series of the MetricStore — its per-second cells, its whole-run total, its live trend cells. */
import { addToCell, compactTrendCell, mergeCell, mergeTrendScalars, newCell, type Cell, type TrendCell } from './cells.js';
import { newHistogram, nonZeroBuckets, releaseHistogram, type BucketCounts, type Histogram } from './histogram.js';
import { BLOCK_SECONDS, type RangeSeries, type TrendBlock } from './range-merge.js';
import type { SeriesInfo } from './types.js';

/** What a series tells its store (MetricStore): the change watermark, live trend cells, the latest offset. */
export interface SeriesOwner {
  changedFrom: number;
  isBackdated(metric: string): boolean;
  noteLive(second: number, cell: TrendCell, series: SeriesData): void;
  noteTime(atMs: number, second: number): void;
}

/** A series handle: record values into it without re-hashing its tags (the engine caches these). */
export interface Series {
  readonly info: SeriesInfo;
  /** Records `value` at run offset `atMs` (ms since the run origin). */
  add(atMs: number, value: number): void;
}

/** @internal Storage of one series (exported for the disk reader). */
export class SeriesData implements Series, RangeSeries {
  readonly cells = new Map<number, Cell>();
  readonly total: Cell;
  /** Trend cells still recording (not compacted). */
  private readonly live = new Set<TrendCell>();
  private lastSecond = -1;
  private lastCell: Cell | undefined;
  /** The latest second with a value (orders gauge totals). */
  lastRecordedSecond = -1;
  /** Written at a past offset (see `MetricStore.declare`): left out of the change watermark. */
  private readonly isBackdated: boolean;
  /** Merged minutes of an ended run's range queries (range-merge.ts); a write to one of its seconds drops it. */
  private blocks: Map<number, TrendBlock> | undefined;
  /** The whole run's non-zero buckets (trend), kept like the blocks until a write changes the series. */
  private totalBucketsKept: BucketCounts | undefined;

  constructor(
    readonly info: SeriesInfo,
    private readonly store: SeriesOwner,
    /** @internal Index in the store (names the series in its spill). */
    readonly id = -1,
  ) {
    this.total = newCell(info.type);
    this.isBackdated = store.isBackdated(info.metric);
  }

  add(atMs: number, value: number): void {
    const second = Math.floor(Math.max(0, atMs) / 1000);
    let cell = second === this.lastSecond ? this.lastCell : this.cells.get(second);
    if (cell === undefined) {
      cell = newCell(this.info.type);
      this.cells.set(second, cell);
    }
    this.lastSecond = second;
    this.lastCell = cell;
    if (this.blocks !== undefined) this.blocks.delete(Math.floor(second / BLOCK_SECONDS));
    this.totalBucketsKept = undefined;
    if (second > this.lastRecordedSecond) this.lastRecordedSecond = second;
    if (!this.isBackdated && second < this.store.changedFrom) this.store.changedFrom = second;
    const type = this.info.type;
    if (addToCell(type, cell, value)) {
      this.live.add(cell as TrendCell);
      this.store.noteLive(second, cell as TrendCell, this);
    }
    if (type === 'trend') {
      // The total's histogram gets each cell's values when the cell is compacted (one merge per cell, not per value).
      const t = this.total as TrendCell;
      t.count++;
      t.sum += value;
      if (value < t.min) t.min = value;
      if (value > t.max) t.max = value;
    } else addToCell(type, this.total, value);
    this.store.noteTime(atMs, second);
  }

  /** @internal Drops a cell moved to the spill (a later write to its second starts a new part). */
  forget(second: number): void {
    this.cells.delete(second);
    this.blocks?.delete(Math.floor(second / BLOCK_SECONDS));
    this.totalBucketsKept = undefined;
    if (this.lastSecond === second) this.resetCache();
  }

  /** @internal Forgets the cell cached for the latest write (its cells were replaced). */
  resetCache(): void {
    this.lastSecond = -1;
    this.lastCell = undefined;
    this.blocks = undefined;
    this.totalBucketsKept = undefined;
  }

  /** @internal The merged block of `index`, built once and kept until one of its seconds is written. */
  block(index: number, build: () => TrendBlock): TrendBlock {
    this.blocks ??= new Map();
    let b = this.blocks.get(index);
    if (b === undefined) this.blocks.set(index, (b = build()));
    return b;
  }

  /** @internal Compacts one live trend cell, folding its values into the total. */
  compact(cell: TrendCell): void {
    if (!this.live.delete(cell)) return;
    const t = this.total as TrendCell;
    t.hist ??= newHistogram();
    compactTrendCell(cell, t.hist);
  }

  /** The whole-run cell: totals plus the values of cells not compacted yet. */
  totalCell(): Cell {
    if (this.info.type !== 'trend') return this.total;
    const t = this.total as TrendCell;
    const hist = newHistogram();
    if (t.hist) hist.add(t.hist);
    for (const c of this.live) if (c.hist) hist.add(c.hist);
    return { count: t.count, sum: t.sum, min: t.min, max: t.max, hist, encoded: undefined } satisfies TrendCell;
  }

  /** @internal Values recorded into this trend series over the whole run, compacted or not. */
  get totalCount(): number {
    return (this.total as TrendCell).count;
  }

  /** @internal The whole run's non-zero buckets of this trend series, built once and kept until a write. */
  totalBuckets(): BucketCounts {
    if (this.totalBucketsKept === undefined) {
      const h = newHistogram();
      this.addTotalHistogramTo(h);
      this.totalBucketsKept = nonZeroBuckets(h);
      releaseHistogram(h);
    }
    return this.totalBucketsKept;
  }

  private addTotalHistogramTo(into: Histogram): void {
    const t = this.total as TrendCell;
    if (t.hist) into.add(t.hist);
    for (const c of this.live) if (c.hist) into.add(c.hist);
  }

  /** @internal Adds this series' whole-run values into `into` (one histogram merge per part, no copy). */
  addTotalTo(into: Cell): void {
    if (this.info.type !== 'trend') {
      mergeCell(this.info.type, into, this.total);
      return;
    }
    const t = this.total as TrendCell;
    if (t.count === 0) return;
    const out = into as TrendCell;
    out.hist ??= newHistogram();
    this.addTotalHistogramTo(out.hist);
    mergeTrendScalars(out, t);
  }

  /** @internal Adds a whole cell (disk reader, store merge). */
  addCell(second: number, from: Cell): void {
    let cell = this.cells.get(second);
    if (cell === undefined) {
      cell = newCell(this.info.type);
      this.cells.set(second, cell);
    }
    mergeCell(this.info.type, cell, from);
    this.blocks?.delete(Math.floor(second / BLOCK_SECONDS));
    this.totalBucketsKept = undefined;
    if (second > this.lastRecordedSecond) this.lastRecordedSecond = second;
    if (second < this.store.changedFrom) this.store.changedFrom = second;
    if (this.info.type === 'trend') {
      mergeTrendScalars(this.total as TrendCell, from as TrendCell);
      this.live.add(cell as TrendCell);
      this.compact(cell as TrendCell);
    } else mergeCell(this.info.type, this.total, from);
    this.store.noteTime(second * 1000, second);
  }
}
