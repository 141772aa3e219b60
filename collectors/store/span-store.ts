/**
 * @module collectors/store: everything received during a run. Every span feeds the aggregates (per phase, and per
 * second × service × span name with self time) as it completes its trace; raw spans are then kept by tail sampling
 * (compressed, rotated files in the run folder, or a bounded list in memory). Logs and metric points spill to ndjson.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecordData, MetricPointData, SpanRecord } from '../otlp/types.js';
import type { OtlpSink } from '../otlp/ingest.js';
import { SecondsSpill } from '../../core/metrics/index.js';
import { SPAN_SECONDS_FILE, type SpanSeconds } from '../traces/span-seconds.js';
import { keptSpansInMemory, keptSpansOnDisk, type KeptSpans } from './kept-spans.js';
import { LatencySketch, type LatencySummary } from './latency-sketch.js';
import { OTHER_SPANS } from './other-spans.js';
import { logSizer, sizeOfMetricPoint, spanSizer } from './record-size.js';
import { createPhaseTimeline } from './phase-timeline.js';
import { selfTimesOf } from './self-time.js';
import { removeSpanFiles, type SpanFileStats } from './span-files.js';
import { DEFAULT_SPAN_SETTINGS, type SpanSettings } from './spans-schema.js';
import { SpillQueue, type SpillStats } from './spill-queue.js';
import { TailSampler, type SamplingStats } from './tail-sampler.js';
import { TraceBuffer } from './trace-buffer.js';
import { RecentTraceIds } from './recent-trace-ids.js';
import { TraceSettler } from './trace-settler.js';

export interface SpanStoreOptions {
  /** Kept spans held in memory without `spillDir` (default 100 000); past it the oldest are dropped. */
  readonly maxSpansInMemory?: number;
  /** Logs and metric points kept in memory each (default 50 000). */
  readonly maxRecordsInMemory?: number;
  /**
   * Estimated heap bytes of received records kept in memory (default DEFAULT_STORE_BYTES): half for spans (traces
   * waiting for their decision; past it the oldest are judged early), a quarter each for logs and metric points.
   */
  readonly maxBytesInMemory?: number;
  /**
   * Run folder for spans-NNNN.ndjson.gz / logs.ndjson / metrics.ndjson / span-seconds.ndjson.gz (emptied at start);
   * without it, kept spans and the settled per-second statistics stay in memory.
   */
  readonly spillDir?: string;
  /** Which raw spans are kept and how much disk they take (default: keep `all` — the plan's default is `sampled`). */
  readonly spans?: Partial<SpanSettings>;
  /** True for the trace id of a load exemplar: such traces are kept when sampling. */
  readonly isExemplar?: (traceId: string) => boolean;
  /** The arrival clock (epoch ms) trace completion and the reservoir rate run on (default Date.now). */
  readonly now?: () => number;
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
  /** `total`: spans received; `inMemory`: waiting for their trace's decision or kept in memory; `dropped`: kept spans lost to a cap. */
  readonly spans: SpillStats;
  readonly sampling: SamplingStats;
  /** The span files, when there is a run folder. */
  readonly files?: SpanFileStats;
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
  /** Also called for every accepted log record (e.g. the PHI scan at ingest). */
  onLog(listener: (log: LogRecordData) => void): () => void;
  /** Run offset 0 (epoch ms): from it on, spans feed the per-second statistics. */
  setOrigin(epochMs: number): void;
  /** In-memory spans of one trace: waiting for its decision, or kept in memory (not those in files). */
  spansOf(traceId: string): readonly SpanRecord[];
  /** True when a SERVER-kind span of this trace arrived (spilled or not; the latest SERVER_TRACE_MEMORY or more traces). */
  hasServerSpan(traceId: string): boolean;
  aggregates(): SpanAggregate[];
  /** The merged latency sketch of the aggregates matching the filter. */
  sketchOf(filter: { phase?: string; service?: string; span?: string }): LatencySketch;
  selfTime(): SelfTimeEntry[];
  /** Per second × service × span name statistics of every span of completed traces (after `flush`, of all). */
  spanSeconds(): SpanSeconds;
  /** The kept raw spans (files, or memory), then those of traces still waiting for their decision (`flush` judges them). */
  scanSpans(): AsyncGenerator<SpanRecord>;
  scanLogs(): AsyncGenerator<LogRecordData>;
  scanMetrics(): AsyncGenerator<MetricPointData>;
  /** Judges every waiting trace and writes what is gathered to the files (spans may still arrive after). */
  flush(): void;
  stats(): SpanStoreStats;
}

/** Default memory cap of the store, in estimated bytes (128 MiB). */
export const DEFAULT_STORE_BYTES = 128 * 1024 * 1024;

export { OTHER_SPANS };

/** How often waiting traces are checked for completion, and gathered kept spans written out (ms). */
const TICK_MS = 250;
const WRITE_EVERY_MS = 5000;
/**
 * Traces with a SERVER span the store remembers for the request join (two generations of this many): the latest
 * 120 000 to 240 000, at most ~9.4 MB whatever the run's length (a generation fits a 2^18-slot TraceIdSet). The join
 * (JOIN_GENERATION) looks requests up well within it, leaving room for the server traces no load request caused
 * (probes, the ledger's read-backs).
 */
export const SERVER_TRACE_MEMORY = 120_000;
/** A trace is judged this long after its first span whatever else (its entry span may never come). */
const MAX_TRACE_WAIT_MS = 60_000;

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
  const settings: SpanSettings = { ...DEFAULT_SPAN_SETTINGS, keep: 'all', ...options.spans };
  if (dir) {
    mkdirSync(dir, { recursive: true });
    // The store owns these files: start them empty so a reused folder never mixes two runs.
    removeSpanFiles(dir);
    for (const file of ['logs.ndjson', 'metrics.ndjson']) writeFileSync(join(dir, file), '');
  }
  const now = options.now ?? Date.now;
  const timeline = createPhaseTimeline();
  const phaseAt = options.phaseAt ?? timeline.at;
  const serverTraces = new RecentTraceIds(SERVER_TRACE_MEMORY);
  const aggregates = new Map<string, Aggregate>();
  const listeners = new Set<(span: SpanRecord, phase: string) => void>();
  const logListeners = new Set<(log: LogRecordData) => void>();
  const maxRecords = options.maxRecordsInMemory ?? 50_000;
  const maxAggregates = options.maxAggregates ?? 10_000;
  const budget = options.maxBytesInMemory ?? DEFAULT_STORE_BYTES;
  // Spans get half the budget: all of it for waiting traces with a run folder, else shared with the kept ones.
  const waitingBytes = dir ? budget / 2 : budget / 4;
  const kept: KeptSpans = dir
    ? keptSpansOnDisk(dir, { rotateBytes: settings.rotateBytes, maxBytes: settings.maxBytes })
    : keptSpansInMemory({ maxItems: options.maxSpansInMemory ?? 100_000, maxBytes: budget / 4, sizeOf: spanSizer() });
  let origin: number | undefined;
  const sampler = new TailSampler({
    keep: settings.keep, reservoirPerSecond: settings.reservoir, slowestPerSecond: settings.slowestPerSecond,
    ...(options.isExemplar ? { isExemplar: options.isExemplar } : {}),
  });
  const secondsSpill = dir ? new SecondsSpill(join(dir, SPAN_SECONDS_FILE)) : undefined;
  const settler = new TraceSettler({ sampler, kept, phaseAt, originEpochMs: () => origin, now, ...(secondsSpill ? { secondsSpill } : {}) });
  const buffer = new TraceBuffer({
    quietMs: settings.decisionWait, maxWaitMs: Math.max(MAX_TRACE_WAIT_MS, settings.decisionWait), maxBytes: waitingBytes,
    maxTraces: 200_000, sizeOf: spanSizer(), onSettle: (id, spans) => settler.settle(id, spans),
  });
  const logs = new SpillQueue<LogRecordData>({ maxItems: maxRecords, maxBytes: budget / 4, sizeOf: logSizer() }, dir && join(dir, 'logs.ndjson'));
  const metrics = new SpillQueue<MetricPointData>({ maxItems: maxRecords, maxBytes: budget / 4, sizeOf: sizeOfMetricPoint }, dir && join(dir, 'metrics.ndjson'));
  let spansSeen = 0;
  let lastTick = 0;
  let lastWrite = now();
  let timer: NodeJS.Timeout | undefined;

  function tick(): void {
    const t = now();
    lastTick = t;
    buffer.tick(t);
    // Seconds no trace can still add to (apart from rare late spans, which reopen them) are packed small.
    if (origin !== undefined) settler.seconds.packBefore(t - origin - MAX_TRACE_WAIT_MS - 10_000);
    if (t - lastWrite >= WRITE_EVERY_MS) {
      lastWrite = t;
      kept.flush();
    }
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
      const t = now();
      for (const span of batch) {
        const phase = phaseAt(span.startEpochMs);
        if (span.kind === 2) serverTraces.add(span.traceId);
        aggregate(span, phase);
        for (const listener of listeners) listener(span, phase);
        buffer.add(span, t);
        spansSeen++;
      }
      if (t - lastTick >= TICK_MS) tick();
      // Traces complete while nothing arrives, too (the end of a run, a quiet target).
      timer ??= setInterval(tick, 1000).unref();
    },
    addLogs(batch) {
      for (const log of batch) for (const listener of logListeners) listener(log);
      logs.push(batch);
    },
    addMetrics: (batch) => metrics.push(batch),
    setPhase: (name, atEpochMs) => timeline.set(name, atEpochMs),
    phaseAt,
    onSpan(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    onLog(listener) {
      logListeners.add(listener);
      return () => void logListeners.delete(listener);
    },
    setOrigin(epochMs) {
      origin = epochMs;
    },
    spansOf(traceId) {
      const id = traceId.toLowerCase();
      const waiting = buffer.spansOf(id);
      const inMemory = kept.spansOf(id);
      return waiting.length === 0 ? inMemory : inMemory.length === 0 ? waiting : [...inMemory, ...waiting];
    },
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
      const totals = new Map(settler.selfTimeTotals());
      // Traces still waiting count too, as they are now.
      for (const id of buffer.traceIds()) {
        const spans = buffer.spansOf(id);
        selfTimesOf(spans.map((s) => ({ spanId: s.spanId, parentSpanId: s.parentSpanId, start: s.startEpochMs, end: s.startEpochMs + s.durationMs })))
          .forEach((ms, i) => {
            const s = spans[i] as SpanRecord;
            const key = `${phaseAt(s.startEpochMs)}\u0000${s.service}`;
            totals.set(key, (totals.get(key) ?? 0) + ms);
          });
      }
      return [...totals].map(([key, selfTimeMs]) => {
        const [phase, service] = key.split('\u0000') as [string, string];
        return { phase, service, selfTimeMs, spans: spansOf.get(key) ?? 0 };
      });
    },
    spanSeconds: () => settler.seconds,
    async *scanSpans() {
      const waiting = [...buffer.traceIds()].flatMap((id) => buffer.spansOf(id));
      yield* kept.scan();
      yield* waiting;
    },
    scanLogs: () => logs.scan(),
    scanMetrics: () => metrics.scan(),
    flush() {
      buffer.drain();
      kept.flush();
      secondsSpill?.flush();
      if (timer) clearInterval(timer);
      timer = undefined;
      logs.flush();
      metrics.flush();
    },
    stats() {
      const k = kept.stats();
      const b = buffer.stats();
      return {
        spans: { total: spansSeen, inMemory: b.spans + k.inMemory, onDisk: k.onDisk, dropped: k.dropped, bytesInMemory: b.bytes + k.bytesInMemory },
        sampling: sampler.stats(),
        ...(k.files ? { files: k.files } : {}),
        logs: logs.stats(), metricPoints: metrics.stats(),
        tracesInMemory: b.traces, tracesWithServerSpan: serverTraces.added,
      };
    },
  };
}
