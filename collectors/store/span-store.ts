/**
 * @module collectors/store: everything received during a run — spans indexed by trace id, logs, metric
 * points — under a memory cap (spilling to the run folder), with aggregates per phase × service × span name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecordData, MetricPointData, SpanRecord } from '../otlp/types.js';
import type { OtlpSink } from '../otlp/ingest.js';
import { LatencySketch, type LatencySummary } from './latency-sketch.js';
import { logSizer, sizeOfMetricPoint, spanSizer } from './record-size.js';
import { createPhaseTimeline } from './phase-timeline.js';
import { SelfTimeTracker } from './self-time.js';
import { SpillQueue, type SpillStats } from './spill-queue.js';
import { TraceIdSet } from './trace-id-set.js';

export interface SpanStoreOptions {
  /** Spans kept in memory (default 100 000); older ones go to `spillDir/spans.ndjson`. */
  readonly maxSpansInMemory?: number;
  /** Logs and metric points kept in memory each (default 50 000). */
  readonly maxRecordsInMemory?: number;
  /**
   * Estimated heap bytes of received records kept in memory (default DEFAULT_STORE_BYTES): half for spans,
   * a quarter each for logs and metric points. Past it the oldest spill (or, without `spillDir`, are dropped).
   */
  readonly maxBytesInMemory?: number;
  /** Run folder for spans.ndjson / logs.ndjson / metrics.ndjson (emptied at start); without it, the oldest are dropped. */
  readonly spillDir?: string;
  /** Distinct phase × service × span-name rows (default 10 000); more are counted under span `(other)`. */
  readonly maxAggregates?: number;
  /** Overrides the phase lookup (epoch ms → phase); by default the timeline fed by `setPhase`. */
  readonly phaseAt?: (epochMs: number) => string;
}

/** Per phase × service × span name. Errors are spans with status ERROR. */
export interface SpanAggregate {
  readonly phase: string;
  readonly service: string;
  readonly span: string;
  readonly count: number;
  readonly errors: number;
  readonly latency: LatencySummary;
}

/** Time a service spent itself (children excluded) in a phase; `spans` to turn it into a mean per span. */
export interface SelfTimeEntry {
  readonly phase: string;
  readonly service: string;
  readonly selfTimeMs: number;
  readonly spans: number;
}

export interface SpanStoreStats {
  readonly spans: SpillStats;
  readonly logs: SpillStats;
  readonly metricPoints: SpillStats;
  readonly tracesInMemory: number;
  readonly tracesWithServerSpan: number;
}

export interface SpanStore extends OtlpSink {
  /** The orchestrator marks phase changes (epoch ms); spans are placed by their start time. */
  setPhase(name: string, atEpochMs: number): void;
  phaseAt(epochMs: number): string;
  /** Called for every accepted span (e.g. the metrics registry). Returns an unsubscribe function. */
  onSpan(listener: (span: SpanRecord, phase: string) => void): () => void;
  /** In-memory spans of one trace (spilled ones are only in `scanSpans`). */
  spansOf(traceId: string): readonly SpanRecord[];
  /** True when a SERVER-kind span of this trace arrived (kept for every span, spilled or not). */
  hasServerSpan(traceId: string): boolean;
  aggregates(): SpanAggregate[];
  /** The merged latency sketch of the aggregates matching the filter. */
  sketchOf(filter: { phase?: string; service?: string; span?: string }): LatencySketch;
  selfTime(): SelfTimeEntry[];
  scanSpans(): AsyncGenerator<SpanRecord>;
  scanLogs(): AsyncGenerator<LogRecordData>;
  scanMetrics(): AsyncGenerator<MetricPointData>;
  /** Writes what is only in memory to the spill files (needs `spillDir`). */
  flush(): void;
  stats(): SpanStoreStats;
}

/** Default memory cap of the store, in estimated bytes (128 MiB). */
export const DEFAULT_STORE_BYTES = 128 * 1024 * 1024;

/** The span name of the aggregate row that collects names past `maxAggregates`. */
export const OTHER_SPANS = '(other)';

interface Aggregate {
  phase: string;
  service: string;
  span: string;
  count: number;
  errors: number;
  sketch: LatencySketch;
}

export function createSpanStore(options: SpanStoreOptions = {}): SpanStore {
  const dir = options.spillDir;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    // The store owns these files: start them empty so a reused folder never mixes two runs.
    for (const file of ['spans.ndjson', 'logs.ndjson', 'metrics.ndjson']) writeFileSync(join(dir, file), '');
  }
  const timeline = createPhaseTimeline();
  const phaseAt = options.phaseAt ?? timeline.at;
  const byTrace = new Map<string, SpanRecord[]>();
  const serverTraces = new TraceIdSet();
  const aggregates = new Map<string, Aggregate>();
  const selfTimes = new SelfTimeTracker();
  const listeners = new Set<(span: SpanRecord, phase: string) => void>();
  const maxRecords = options.maxRecordsInMemory ?? 50_000;
  const maxAggregates = options.maxAggregates ?? 10_000;
  const budget = options.maxBytesInMemory ?? DEFAULT_STORE_BYTES;
  const spans = new SpillQueue<SpanRecord>(
    { maxItems: options.maxSpansInMemory ?? 100_000, maxBytes: budget / 2, sizeOf: spanSizer() }, dir && join(dir, 'spans.ndjson'), unindex,
  );
  const logs = new SpillQueue<LogRecordData>({ maxItems: maxRecords, maxBytes: budget / 4, sizeOf: logSizer() }, dir && join(dir, 'logs.ndjson'));
  const metrics = new SpillQueue<MetricPointData>({ maxItems: maxRecords, maxBytes: budget / 4, sizeOf: sizeOfMetricPoint }, dir && join(dir, 'metrics.ndjson'));

  function unindex(span: SpanRecord): void {
    const list = byTrace.get(span.traceId);
    if (!list) return;
    // Eviction is oldest first, so the span is nearly always the head of its trace's list.
    if (list[0] === span) list.shift();
    else {
      const i = list.indexOf(span);
      if (i >= 0) list.splice(i, 1);
    }
    if (list.length === 0) byTrace.delete(span.traceId);
  }

  function aggregate(span: SpanRecord, phase: string): void {
    let name = span.name;
    let key = `${phase}\u0000${span.service}\u0000${name}`;
    // Span names with ids in them would grow the map without end: past the cap, new names share one row.
    if (!aggregates.has(key) && aggregates.size >= maxAggregates) {
      name = OTHER_SPANS;
      key = `${phase}\u0000${span.service}\u0000${name}`;
    }
    let agg = aggregates.get(key);
    if (!agg) {
      agg = { phase, service: span.service, span: name, count: 0, errors: 0, sketch: new LatencySketch() };
      aggregates.set(key, agg);
    }
    agg.count++;
    if (span.status.code === 2) agg.errors++;
    agg.sketch.add(span.durationMs);
  }

  return {
    addSpans(batch) {
      for (const span of batch) {
        const phase = phaseAt(span.startEpochMs);
        const list = byTrace.get(span.traceId);
        if (list) list.push(span);
        else byTrace.set(span.traceId, [span]);
        if (span.kind === 2) serverTraces.add(span.traceId);
        aggregate(span, phase);
        const key = `${phase}\u0000${span.service}`;
        selfTimes.add(span.traceId, span.spanId, span.parentSpanId, key, span.startEpochMs, span.startEpochMs + span.durationMs);
        for (const listener of listeners) listener(span, phase);
      }
      spans.push(batch);
    },
    addLogs: (batch) => logs.push(batch),
    addMetrics: (batch) => metrics.push(batch),
    setPhase: (name, atEpochMs) => timeline.set(name, atEpochMs),
    phaseAt,
    onSpan(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    spansOf: (traceId) => byTrace.get(traceId.toLowerCase()) ?? [],
    hasServerSpan: (traceId) => serverTraces.has(traceId),
    aggregates: () =>
      [...aggregates.values()].map((a) => ({
        phase: a.phase, service: a.service, span: a.span, count: a.count, errors: a.errors, latency: a.sketch.summary(),
      })),
    sketchOf(filter) {
      const merged = new LatencySketch();
      for (const a of aggregates.values()) {
        if ((filter.phase === undefined || a.phase === filter.phase) && (filter.service === undefined || a.service === filter.service)
          && (filter.span === undefined || a.span === filter.span)) merged.merge(a.sketch);
      }
      return merged;
    },
    selfTime() {
      const spansOf = new Map<string, number>();
      for (const a of aggregates.values()) {
        const key = `${a.phase}\u0000${a.service}`;
        spansOf.set(key, (spansOf.get(key) ?? 0) + a.count);
      }
      return [...selfTimes.totals()].map(([key, selfTimeMs]) => {
        const [phase, service] = key.split('\u0000') as [string, string];
        return { phase, service, selfTimeMs, spans: spansOf.get(key) ?? 0 };
      });
    },
    scanSpans: () => spans.scan(),
    scanLogs: () => logs.scan(),
    scanMetrics: () => metrics.scan(),
    flush() {
      spans.flush();
      logs.flush();
      metrics.flush();
    },
    stats: () => ({
      spans: spans.stats(), logs: logs.stats(), metricPoints: metrics.stats(),
      tracesInMemory: byTrace.size, tracesWithServerSpan: serverTraces.size,
    }),
  };
}
