/**
 * @module core/metrics: merges one series' cells of a range of seconds. A range reads the seconds it covers, not every
 * cell of the series (an hour's fault windows are seconds long); once the run has ended, a range holding most of the
 * run is the series' total less the seconds outside it, and whole minutes of other long ranges come from a merged block
 * kept on the series (~60 blocks instead of ~3,600 compressed seconds).
 */
import { mergeCell, mergeTrendScalars, newCell, type Cell, type TrendCell } from './cells.js';
import { addBuckets, encodedBuckets, newHistogram, nonZeroBuckets, releaseHistogram, subtractBuckets, type BucketCounts } from './histogram.js';
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
  /** Trend: values recorded over the whole run. */
  readonly totalCount: number;
  /** Trend: the whole run's non-zero buckets. */
  totalBuckets(): BucketCounts;
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
  if (mergeAsComplement(s, into as TrendCell, lo, hi)) return;
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

/**
 * A range that holds most of a series' seconds (an hour's fault phase) as the series' whole-run buckets less the
 * seconds outside it: the total's buckets (kept on the series like the blocks) and a few decoded seconds, where blocks
 * would decode every second of the range once. The scalars (count, sum, min, max) come from the range's own cells,
 * which need no decoding. Only when the cells hold exactly what the total holds (none spilled); false leaves it to
 * the blocks.
 */
function mergeAsComplement(s: RangeSeries, into: TrendCell, lo: number, hi: number): boolean {
  const inside = newCell('trend') as TrendCell;
  const outside: TrendCell[] = [];
  let all = 0;
  for (const [sec, cell] of s.cells) {
    const c = cell as TrendCell;
    all += c.count;
    if (sec >= lo && sec < hi) mergeTrendScalars(inside, c);
    else if (c.count > 0) outside.push(c);
  }
  if (all !== s.totalCount || 2 * outside.length > hi - lo) return false;
  if (inside.count === 0) return true;
  into.hist ??= newHistogram();
  addBuckets(into.hist, s.totalBuckets());
  for (const c of outside) {
    if (c.hist !== undefined) subtractBuckets(into.hist, nonZeroBuckets(c.hist));
    if (c.encoded !== undefined) subtractBuckets(into.hist, encodedBuckets(c.encoded));
  }
  mergeTrendScalars(into, inside);
  return true;
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
