/**
 * @module core/metrics: merges one series' cells of a range of seconds. A range reads the seconds it covers, not every
 * cell of the series (an hour's fault windows are seconds long); once the run has ended, whole minutes of a trend
 * series come from a merged block kept on the series, so the whole run and each long phase merge ~60 blocks instead
 * of ~3,600 compressed seconds each.
 */
import { mergeCell, mergeTrendScalars, newCell, type Cell, type TrendCell } from './cells.js';
import { addBuckets, newHistogram, nonZeroBuckets, releaseHistogram, type BucketCounts } from './histogram.js';
import type { MetricType } from './types.js';

/** Seconds per merged block (phases and plans are usually whole minutes, so blocks fit their edges). */
export const BLOCK_SECONDS = 60;

/** One block's values: the trend scalars and its non-zero HDR buckets. */
export interface TrendBlock {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly buckets: BucketCounts;
}

/** What a range merge needs of a series (SeriesData). */
export interface RangeSeries {
  readonly cells: ReadonlyMap<number, Cell>;
  readonly lastRecordedSecond: number;
  /** The block of `index` (seconds [index × BLOCK_SECONDS, +BLOCK_SECONDS)), kept until a write changes one of them. */
  block(index: number, build: () => TrendBlock): TrendBlock;
}

/** Merges the series' cells of seconds [from, to) into `into`; `blocks`: whole minutes of a trend series from merged blocks. */
export function mergeSeriesRange(s: RangeSeries, type: MetricType, into: Cell, from: number, to: number, blocks: boolean): void {
  const lo = Math.max(0, from);
  const hi = Math.min(to, s.lastRecordedSecond + 1);
  if (hi <= lo) return;
  if (!blocks || type !== 'trend' || hi - lo < 2 * BLOCK_SECONDS) {
    mergeSeconds(s.cells, type, into, lo, hi);
    return;
  }
  const first = Math.ceil(lo / BLOCK_SECONDS);
  const end = Math.floor(hi / BLOCK_SECONDS);
  mergeSeconds(s.cells, type, into, lo, first * BLOCK_SECONDS);
  const out = into as TrendCell;
  for (let b = first; b < end; b++) {
    const block = s.block(b, () => buildBlock(s.cells, b));
    if (block.count === 0) continue;
    out.hist ??= newHistogram();
    addBuckets(out.hist, block.buckets);
    mergeTrendScalars(out, block);
  }
  mergeSeconds(s.cells, type, into, end * BLOCK_SECONDS, hi);
}

/** Cells of [lo, hi): looked up second by second, or the whole map filtered when it holds fewer cells than that. */
function mergeSeconds(cells: ReadonlyMap<number, Cell>, type: MetricType, into: Cell, lo: number, hi: number): void {
  if (hi <= lo) return;
  if (hi - lo > cells.size) {
    for (const [sec, cell] of cells) if (sec >= lo && sec < hi) mergeCell(type, into, cell);
    return;
  }
  for (let sec = lo; sec < hi; sec++) {
    const cell = cells.get(sec);
    if (cell !== undefined) mergeCell(type, into, cell);
  }
}

function buildBlock(cells: ReadonlyMap<number, Cell>, index: number): TrendBlock {
  const merged = newCell('trend') as TrendCell;
  const lo = index * BLOCK_SECONDS;
  mergeSeconds(cells, 'trend', merged, lo, lo + BLOCK_SECONDS);
  const hist = merged.hist;
  const buckets = hist ? nonZeroBuckets(hist) : { indexes: new Uint32Array(0), counts: new Float64Array(0) };
  if (hist) releaseHistogram(hist);
  return { count: merged.count, sum: merged.sum, min: merged.min, max: merged.max, buckets };
}
