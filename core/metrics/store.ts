/** @module core/metrics: the MetricStore — per-second HDR histograms and counters per metric × tag set, bounded memory. */
import { join } from 'node:path';
import { AUTH_METRICS, BUILTIN_METRICS, HL7_METRICS } from '../threshold.js';
import { newCell, type Cell, type TrendCell } from './cells.js';
import { releaseHistogram, type Histogram } from './histogram.js';
import { aggregateOf, mergeCells } from './aggregate.js';
import { ExemplarStore } from './exemplars.js';
import { mergeSeriesRange } from './range-merge.js';
import { SecondsSpill } from './seconds-spill.js';
import { EXEMPLAR_SECONDS_FILE, EXEMPLAR_SPILL_AFTER_S, MetricSpill, SPILL_AFTER_S } from './store-spill.js';
import { SeriesData, type Series } from './series-data.js';
import type { Aggregate, MetricQuery, MetricType, SeriesInfo, Tags } from './types.js';

/** Metrics whose values are durations in ms (k6 `contains: time`). */
export const TIME_METRICS: ReadonlySet<string> = new Set(['http_req_duration', 'http_req_duration_corrected', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'iteration_duration', 'iteration_duration_corrected', 'group_duration', 'auth_token_duration', 'hl7_msg_duration']);

/** Type of a metric codeblue records; custom names must be declared with `declare()`. */
export const METRIC_TYPES: Readonly<Record<string, MetricType>> = {
  ...BUILTIN_METRICS, http_req_duration_corrected: 'trend',
  /** A whole iteration from its intended start (the open model's schedule) to its end. */
  iteration_duration_corrected: 'trend',
  /** Requests codeblue cut off in flight (Ctrl-C, halt, end of a scenario): neither a response nor a target failure. */
  http_reqs_aborted: 'counter',
  /** Token fetches of the plan's `auth` (never counted as target requests), and 401s that made a VU fetch anew. */
  ...AUTH_METRICS,
  auth_retries: 'counter',
  /** Messages of `mllp` steps: sent, round trip to the ACK, failed (not AA/CA, timeout, garbage, closed). */
  ...HL7_METRICS,
};

/**
 * Every metric of a run, one series per metric × exact tag set, one cell per second.
 * Trend cells stay live (recording) for the current seconds and are compacted to their compressed HDR encoding
 * once 2 s old, so memory grows with series × seconds (a few hundred bytes each), never with samples.
 * @example
 * const store = new MetricStore();
 * store.series('http_req_duration', { scenario: 's', status: '200' }).add(1200, 35.2);
 * store.query({ metric: 'http_req_duration', tags: { scenario: 's' } }).percentile(95);
 */
export class MetricStore {
  /** Per endpoint and second of intended start: the slowest requests and a small sample, with trace ids. */
  readonly exemplars = new ExemplarStore();
  private readonly byKey = new Map<string, SeriesData>();
  private readonly types = new Map<string, MetricType>(Object.entries(METRIC_TYPES));
  private live: { second: number; cell: TrendCell; series: SeriesData }[] = [];
  private readonly backdated = new Set<string>();
  /** @internal The lowest second written since `SettledQueries` last looked (backdated metrics aside). */
  changedFrom = Infinity;
  private compactedThrough = -1;
  private readonly seriesById: SeriesData[] = [];
  private spill: MetricSpill | undefined;
  /** The spill being read back by `restoreSpilledInBackground` (no longer written to). */
  private restoring: MetricSpill | undefined;
  /** Cells of this second and older may be in the spill (kept after the spill is restored: queries compare with it). */
  private spilledThrough = -1;
  private maxAtMs = 0;
  private endMs: number | undefined;

  /**
   * Declares a custom metric's type (built-in k6 metrics are known). A `backdated` metric is recorded at a past
   * offset (e.g. a request's scheduled start, written when it finishes): live caches never keep it.
   */
  declare(metric: string, type: MetricType, options: { readonly backdated?: boolean } = {}): void {
    this.types.set(metric, type);
    if (options.backdated) this.backdated.add(metric);
  }

  /** @internal */
  isBackdated(metric: string): boolean {
    return this.backdated.has(metric);
  }

  /** The type of a metric, or undefined when it is neither built in nor declared. */
  typeOf(metric: string): MetricType | undefined {
    return this.types.get(metric);
  }

  /** Gets or creates the series of `metric` with exactly these tags. */
  series(metric: string, tags: Tags): Series {
    return this.seriesData(metric, tags);
  }

  /** @internal */
  seriesData(metric: string, tags: Tags): SeriesData {
    const key = seriesKey(metric, tags);
    let s = this.byKey.get(key);
    if (s === undefined) {
      const type = this.types.get(metric);
      if (type === undefined) throw new TypeError(`unknown metric "${metric}": declare its type first`);
      s = new SeriesData({ metric, type, tags: { ...tags }, isTime: TIME_METRICS.has(metric) }, this, this.seriesById.length);
      this.byKey.set(key, s);
      this.seriesById.push(s);
    }
    return s;
  }

  /** Records one value (convenience; hot paths keep the `Series` handle). */
  add(metric: string, tags: Tags, atMs: number, value: number): void {
    this.seriesData(metric, tags).add(atMs, value);
  }

  /** Every series recorded so far. */
  list(): SeriesInfo[] {
    return [...this.byKey.values()].map((s) => s.info);
  }

  /** Metric names recorded so far. */
  metrics(): string[] {
    return [...new Set([...this.byKey.values()].map((s) => s.info.metric))];
  }

  /** Marks the end of the run (the time base of counter rates). */
  /** True once `markEnd` was called: the run's load is over. */
  hasEnded(): boolean {
    return this.endMs !== undefined;
  }

  markEnd(atMs: number): void {
    this.endMs = atMs;
  }

  /** The run's elapsed ms: the marked end, or the latest recorded offset. */
  elapsedMs(): number {
    return this.endMs ?? this.maxAtMs;
  }

  /** Aggregates one metric over matching series and a time range (k6 sub-metric semantics for `tags`). */
  query(q: MetricQuery): Aggregate {
    const type = this.types.get(q.metric) ?? 'counter';
    const matching = this.matching(q.metric, q.tags);
    const ranged = q.fromMs !== undefined || q.toMs !== undefined;
    const from = Math.floor((q.fromMs ?? 0) / 1000);
    const to = q.toMs === undefined ? Infinity : Math.ceil(q.toMs / 1000);
    if (ranged && from <= this.spilledThrough) this.restoreSpilled();
    const elapsed = q.elapsedMs ?? (ranged ? Math.min(q.toMs ?? this.elapsedMs(), this.elapsedMs()) - (q.fromMs ?? 0) : this.elapsedMs());
    if (ranged && type !== 'gauge') {
      const into = mergeCells(type, []);
      // Merged minutes only once the run has ended: a live run's blocks would be rebuilt as its seconds fill.
      for (const s of matching) mergeSeriesRange(s, type, into, from, to, this.hasEnded());
      return aggregateOf(q.metric, type, into, elapsed);
    }
    const cells: [number, Cell][] = [];
    for (const s of matching) {
      if (!ranged) cells.push([s.lastRecordedSecond, s.totalCell()]);
      else for (const [sec, cell] of s.cells) if (sec >= from && sec < to) cells.push([sec, cell]);
    }
    // Gauges keep the value recorded last, so merge in time order.
    if (type === 'gauge') cells.sort((a, b) => a[0] - b[0]);
    return aggregateOf(q.metric, type, mergeCells(type, cells.map((c) => c[1])), elapsed);
  }

  /**
   * Calls `each` with the whole-run aggregate of one metric per distinct value of the `by` tags (a missing tag
   * reads ''), grouping in one pass over the series: what /metrics exposes at each scrape. A trend aggregate is
   * valid only during its call (its merged histogram goes back to the pool after it).
   */
  forEachGroup(metric: string, by: readonly string[], each: (tags: Tags, aggregate: Aggregate) => void): void {
    const type = this.types.get(metric) ?? 'counter';
    const groups = new Map<string, { tags: Tags; series: SeriesData[] }>();
    for (const s of this.byKey.values()) {
      if (s.info.metric !== metric) continue;
      const values = by.map((k) => s.info.tags[k] ?? '');
      const key = values.join('\u0000');
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { tags: Object.fromEntries(by.map((k, i) => [k, values[i] as string])), series: [] }));
      g.series.push(s);
    }
    const elapsed = this.elapsedMs();
    for (const { tags, series } of groups.values()) {
      // Gauges keep the value recorded last.
      if (type === 'gauge') series.sort((a, b) => a.lastRecordedSecond - b.lastRecordedSecond);
      const cell = newCell(type);
      for (const s of series) s.addTotalTo(cell);
      each(tags, aggregateOf(metric, type, cell, elapsed));
      // Reused by the next group: no new (and resized) histogram per group and scrape.
      if (type === 'trend' && (cell as TrendCell).hist) releaseHistogram((cell as TrendCell).hist as Histogram);
    }
  }

  /**
   * One aggregate per second in [fromMs, toMs) (all recorded seconds by default), in time order, for time-series
   * charts. A trend aggregate is valid until the next one is asked for: its merged histogram goes back to the pool
   * then, so an hour's timeline holds one histogram at a time (an array of them held ~200 MB).
   */
  *timeline(q: MetricQuery): Generator<{ second: number; aggregate: Aggregate }, void, undefined> {
    const type = this.types.get(q.metric) ?? 'counter';
    const bySecond = new Map<number, Cell[]>();
    const from = Math.floor((q.fromMs ?? 0) / 1000);
    const to = q.toMs === undefined ? Infinity : Math.ceil(q.toMs / 1000);
    if (from <= this.spilledThrough) this.restoreSpilled();
    for (const s of this.matching(q.metric, q.tags)) {
      for (const [sec, cell] of s.cells) {
        if (sec < from || sec >= to) continue;
        const list = bySecond.get(sec) ?? [];
        list.push(cell);
        bySecond.set(sec, list);
      }
    }
    for (const [second, cells] of [...bySecond.entries()].sort((a, b) => a[0] - b[0])) {
      const merged = mergeCells(type, cells);
      try {
        yield { second, aggregate: aggregateOf(q.metric, type, merged, 1000) };
      } finally {
        if (type === 'trend') releaseHistogram((merged as TrendCell).hist as Histogram);
      }
    }
  }

  /**
   * Moves the cells of seconds more than SPILL_AFTER_S behind the newest to `dir`/metric-seconds.ndjson.gz, and the
   * exemplar reservoirs' more than EXEMPLAR_SPILL_AFTER_S behind to `dir`/exemplar-seconds.ndjson.gz (gzip ndjson in
   * the run folder), so a long run's per-second cells cost disk, not memory. Queries of those seconds bring them back
   * (exactly) and stop the spilling: the end-of-run evaluation, or a live view that reads the whole run, works from
   * memory as before.
   */
  spillTo(dir: string, options: { readonly batchRecords?: number } = {}): void {
    this.spill = new MetricSpill(dir, options.batchRecords);
    this.exemplars.spillTo(new SecondsSpill(join(dir, EXEMPLAR_SECONDS_FILE), options.batchRecords));
  }

  /** @internal Brings every spilled cell back into its series and stops spilling (removes the file). */
  restoreSpilled(): void {
    const spill = this.spill ?? this.restoring;
    // Called as the run's metrics are read whole (their file): the exemplars come back too, so no spill file stays.
    if (spill !== undefined && this.hasEnded()) this.exemplars.restoreSpilled();
    if (spill === undefined) return;
    this.spill = undefined;
    this.restoring = undefined;
    // Every cell compacted first (values folded into the totals once), so merged cells below fold nothing twice.
    this.compactAll();
    spill.restoreInto(this.seriesById);
  }

  /**
   * `restoreSpilled`, a gzip member at a time with the event loop free between members: called as the load ends, the
   * spilled seconds come back while the run reads its ledger back and stops the target, not when the verdict waits for
   * them. Spilling stops at once; a query that needs the seconds before this is done finishes it there and then.
   */
  async restoreSpilledInBackground(): Promise<void> {
    const spill = this.spill;
    if (spill === undefined) return;
    this.spill = undefined;
    this.restoring = spill;
    while (this.restoring === spill && spill.readNext(this.seriesById)) await new Promise((resolve) => setImmediate(resolve));
    if (this.restoring === spill) this.restoreSpilled();
  }

  /** @internal Every series' storage (disk writer). */
  allSeries(): Iterable<SeriesData> {
    return this.byKey.values();
  }

  /** Merges another store into this one (e.g. several k6 runners' outputs). */
  mergeFrom(other: MetricStore): void {
    other.restoreSpilled();
    for (const s of other.allSeries()) {
      if (!this.types.has(s.info.metric)) this.types.set(s.info.metric, s.info.type);
      const mine = this.seriesData(s.info.metric, s.info.tags);
      for (const [sec, cell] of s.cells) mine.addCell(sec, cell);
    }
    this.exemplars.mergeFrom(other.exemplars);
    if (other.endMs !== undefined) this.endMs = Math.max(this.endMs ?? 0, other.endMs);
  }

  /** Compresses every live trend cell now (call before writing to disk or when the run ends). */
  compactAll(): void {
    for (const l of this.live) l.series.compact(l.cell);
    this.live = [];
  }

  /** @internal */
  noteLive(second: number, cell: TrendCell, series: SeriesData): void {
    this.live.push({ second, cell, series });
  }

  /** @internal Tracks the latest offset and compacts trend cells older than 2 s once per new second. */
  noteTime(atMs: number, second: number): void {
    if (atMs > this.maxAtMs) this.maxAtMs = atMs;
    if (second - 2 > this.compactedThrough) {
      this.compactedThrough = second - 2;
      const keep: { second: number; cell: TrendCell; series: SeriesData }[] = [];
      for (const l of this.live) {
        if (l.second <= this.compactedThrough) l.series.compact(l.cell);
        else keep.push(l);
      }
      this.live = keep;
      if (this.spill) {
        this.spillThrough(second - SPILL_AFTER_S);
        this.exemplars.spillThrough(second - EXEMPLAR_SPILL_AFTER_S);
      }
    }
  }

  /** Moves settled cells of seconds up to `through` to the spill (trend cells only once compacted). */
  private spillThrough(through: number): void {
    (this.spill as MetricSpill).spillThrough(this.seriesById, through);
    if (through > this.spilledThrough) this.spilledThrough = through;
  }

  /** @internal The series a query with these tags reads (k6 sub-metric semantics). */
  matching(metric: string, tags: Tags | undefined): SeriesData[] {
    const out: SeriesData[] = [];
    const filter = tags ? Object.entries(tags) : [];
    for (const s of this.byKey.values()) {
      if (s.info.metric !== metric) continue;
      if (filter.every(([k, v]) => s.info.tags[k] === v)) out.push(s);
    }
    return out;
  }
}

/** The canonical key of a series: metric plus tags sorted by name. */
export function seriesKey(metric: string, tags: Tags): string {
  const names = Object.keys(tags).sort();
  let key = metric;
  for (const n of names) key += `\u0001${n}=${tags[n]}`;
  return key;
}
