/**
 * @module core/metrics: the MetricStore's spill — settled per-second cells moved to a gzip ndjson file in the run folder
 * (a long run's cells cost disk, not memory) and brought back, exactly, when a query reads their seconds.
 */
import { join } from 'node:path';
import { compactTrendCell, mergeCell, type Cell, type TrendCell } from './cells.js';
import { SecondsSpill } from './seconds-spill.js';
import type { MetricType } from './types.js';

/** What the spill needs of a series: its index, type and cells (SeriesData). */
export interface SpillableSeries {
  readonly id: number;
  readonly info: { readonly type: MetricType };
  readonly cells: Map<number, Cell>;
  forget(second: number): void;
  resetCache(): void;
}

/**
 * Seconds behind the newest before a cell is spilled: late writes (a request recorded at its intended start when it
 * ends, after a timeout) land in memory; those that still come later start a new part, merged on the way back.
 */
export const SPILL_AFTER_S = 90;
/** Exemplars stay longer: the span store's tail sampling asks for those of the last 180 s (run/exemplar-trace-ids.ts). */
export const EXEMPLAR_SPILL_AFTER_S = 240;
/** The spill files' names in the folder given to `MetricStore.spillTo`. */
export const METRIC_SECONDS_FILE = 'metric-seconds.ndjson.gz';
export const EXEMPLAR_SECONDS_FILE = 'exemplar-seconds.ndjson.gz';

/** One spilled cell: series index, second, the cell's numbers (trend: count, sum, min, max, encoded HDR). */
interface SpilledCell {
  readonly i: number;
  readonly s: number;
  readonly c: readonly (number | string | null)[];
}

/** The metric cells' spill file. */
export class MetricSpill {
  private readonly file: SecondsSpill;
  /** Cells read back so far (`readNext`), per series and second. */
  private readonly parts = new Map<SpillableSeries, Map<number, Cell>>();
  private nextMember = 0;
  private failed: unknown;

  constructor(dir: string, batchRecords?: number) {
    this.file = new SecondsSpill(join(dir, METRIC_SECONDS_FILE), batchRecords);
  }

  /** Moves settled cells of seconds up to `through` to the file (trend cells only once compacted). */
  spillThrough(series: readonly SpillableSeries[], through: number): void {
    for (const s of series) {
      const type = s.info.type;
      for (const [second, cell] of s.cells) {
        if (second > through || (type === 'trend' && (cell as TrendCell).hist !== undefined)) continue;
        this.file.append({ i: s.id, s: second, c: spilledOf(type, cell) } satisfies SpilledCell);
        s.forget(second);
      }
    }
  }

  /**
   * Reads the next member of the file into cells held aside (merged into the series by `restoreInto`), so a caller may
   * read the file a member at a time between other work. False once every member is read.
   */
  readNext(seriesById: readonly SpillableSeries[]): boolean {
    // A member that failed half read would add its first cells twice if read again: the failure stands.
    if (this.failed !== undefined) throw this.failed;
    if (this.nextMember === 0) this.file.flush();
    if (this.nextMember >= this.file.memberCount()) return false;
    try {
      this.file.forEachOf<SpilledCell>(this.nextMember++, (r) => this.take(seriesById, r));
    } catch (err) {
      this.failed = err;
      throw err;
    }
    return this.nextMember < this.file.memberCount();
  }

  /** Keeps one spilled cell aside, merged with an earlier part of its second. */
  private take(seriesById: readonly SpillableSeries[], r: SpilledCell): void {
    const series = seriesById[r.i] as SpillableSeries;
    let cells = this.parts.get(series);
    if (!cells) this.parts.set(series, (cells = new Map()));
    const cell = cellFromSpill(series.info.type, r.c);
    const earlier = cells.get(r.s);
    if (earlier) mergeCell(series.info.type, earlier, cell);
    else cells.set(r.s, cell);
  }

  /**
   * Brings every spilled cell back into its series (merged with what was written to its second since) and removes
   * the file. Every live trend cell must be compacted first, so merged cells fold nothing twice.
   */
  restoreInto(seriesById: readonly SpillableSeries[]): void {
    while (this.readNext(seriesById));
    for (const [series, cells] of this.parts) {
      // Spilled parts are older than what was written to the same second since (gauges keep the last value).
      for (const [second, cell] of series.cells) {
        const earlier = cells.get(second);
        if (earlier) mergeCell(series.info.type, earlier, cell);
        else cells.set(second, cell);
      }
      const ordered = [...cells].sort((a, b) => a[0] - b[0]);
      series.cells.clear();
      for (const [second, cell] of ordered) {
        // A merged trend cell is compacted without folding (its values are in the total already): a later write
        // revives it as usual and folds only itself.
        if (series.info.type === 'trend') compactTrendCell(cell as TrendCell);
        series.cells.set(second, cell);
      }
      series.resetCache();
    }
    this.parts.clear();
    this.file.remove();
  }
}

function spilledOf(type: MetricType, cell: Cell): (number | string)[] {
  switch (type) {
    case 'trend': {
      const c = cell as TrendCell;
      return [c.count, c.sum, c.min, c.max, c.encoded ?? ''];
    }
    case 'counter':
      return [(cell as { count: number }).count, (cell as { sum: number }).sum];
    case 'rate':
      return [(cell as { count: number }).count, (cell as { passes: number }).passes];
    case 'gauge': {
      const c = cell as { count: number; value: number; min: number; max: number };
      return [c.count, c.value, c.min, c.max];
    }
  }
}

/** JSON writes ±Infinity (the min/max of an empty cell) as null. */
const num = (v: number | string | null | undefined, empty: number): number => (typeof v === 'number' ? v : empty);

function cellFromSpill(type: MetricType, v: readonly (number | string | null)[]): Cell {
  switch (type) {
    case 'trend': {
      const encoded = v[4];
      return { count: num(v[0], 0), sum: num(v[1], 0), min: num(v[2], Infinity), max: num(v[3], -Infinity), hist: undefined, encoded: typeof encoded === 'string' && encoded !== '' ? encoded : undefined } satisfies TrendCell;
    }
    case 'counter':
      return { count: num(v[0], 0), sum: num(v[1], 0) };
    case 'rate':
      return { count: num(v[0], 0), passes: num(v[1], 0) };
    case 'gauge':
      return { count: num(v[0], 0), value: num(v[1], 0), min: num(v[2], Infinity), max: num(v[3], -Infinity) };
  }
}
