/**
 * @module collectors/traces: one pass over a run's spans (spans.ndjson, arrival order) after the run — per
 * window service × span-name statistics with self time, server span p95 per service per second, and the
 * slowest traces of each window as waterfalls. Memory is bounded: traces are settled oldest first.
 */
import type { SpanRecord } from '../otlp/types.js';
import { selfTimesOf } from '../store/self-time.js';
import { ServiceSeconds, type ServiceSecond } from './service-seconds.js';
import { buildWaterfall, type TraceSpanInput, type TraceWaterfall } from './trace-tree.js';
import { WindowAccumulator, type SpanWindow, type SpanWindowStats } from './window-stats.js';

export interface AnalyzeSpansOptions {
  /** Epoch ms of run offset 0. */
  readonly originEpochMs: number;
  /** Windows to compare (a baseline, each fault window); a span counts in every window its start falls in. */
  readonly windows: readonly SpanWindow[];
  /** Slowest traces kept per window, as waterfalls (default 3). */
  readonly slowestPerWindow?: number;
  /** Traces held open while their spans arrive (default 5 000); past it the oldest is settled. */
  readonly maxPendingTraces?: number;
  /** Trace ids of the load's exemplars (its slowest requests) → the window they belong to: drawn as waterfalls too. */
  readonly exemplarTraces?: ReadonlyMap<string, string>;
}

/** A window's slow trace: the root span that took longest among those that started in the window. */
export interface SlowTrace {
  readonly window: string;
  /** Run offset of the trace's first span (ms). */
  readonly startMs: number;
  /** `exemplar`: a slowest request of the load, linked by its trace id; `slowest`: the window's slowest root span. */
  readonly source: 'slowest' | 'exemplar';
  readonly waterfall: TraceWaterfall;
}

export interface SpanAnalysis {
  readonly windows: readonly SpanWindowStats[];
  readonly perSecond: readonly ServiceSecond[];
  readonly slowTraces: readonly SlowTrace[];
}

type Lite = TraceSpanInput & { readonly end: number };

const SERVER = 2;

/** Reads every span once. A span arriving after its trace was settled counts as a root of its own. */
export async function analyzeSpans(spans: AsyncIterable<SpanRecord>, options: AnalyzeSpansOptions): Promise<SpanAnalysis> {
  const windows = options.windows.map((w) => new WindowAccumulator(w));
  const seconds = new ServiceSeconds();
  const keep = options.slowestPerWindow ?? 3;
  const slowest = new Map<string, { rootMs: number; traceId: string; spans: Lite[] }[]>();
  const pending = new Map<string, Lite[]>();
  const maxPending = options.maxPendingTraces ?? 5000;
  const origin = options.originEpochMs;
  const exemplars: { window: string; traceId: string; spans: Lite[] }[] = [];

  const settle = (traceId: string, trace: Lite[]): void => {
    const self = selfTimesOf(trace.map((s) => ({ spanId: s.spanId, parentSpanId: s.parentSpanId, start: s.startEpochMs, end: s.end })));
    const ids = new Set(trace.map((s) => s.spanId));
    const exemplarWindow = options.exemplarTraces?.get(traceId);
    if (exemplarWindow !== undefined) exemplars.push({ window: exemplarWindow, traceId, spans: trace });
    trace.forEach((s, i) => {
      const offset = s.startEpochMs - origin;
      const isRoot = !ids.has(s.parentSpanId) || s.parentSpanId === s.spanId;
      if (s.kind === SERVER) seconds.add(s.service, offset, s.durationMs);
      for (const w of windows) {
        if (!w.contains(offset)) continue;
        w.add(s, self[i] ?? 0);
        if (isRoot) {
          w.addRoot();
          offerSlow(slowest, w.window.name, keep, { rootMs: s.durationMs, traceId, spans: trace });
        }
      }
    });
  };

  for await (const s of spans) {
    let trace = pending.get(s.traceId);
    if (!trace) {
      if (pending.size >= maxPending) {
        const [id, oldest] = pending.entries().next().value as [string, Lite[]];
        pending.delete(id);
        settle(id, oldest);
      }
      pending.set(s.traceId, (trace = []));
    }
    trace.push({
      spanId: s.spanId, parentSpanId: s.parentSpanId, service: s.service, name: s.name, kind: s.kind,
      startEpochMs: s.startEpochMs, durationMs: s.durationMs, end: s.startEpochMs + s.durationMs, isError: s.status.code === 2,
    });
  }
  for (const [id, trace] of pending) settle(id, trace);

  const slowTraces: SlowTrace[] = [];
  const drawn = new Set<string>();
  const draw = (window: string, source: SlowTrace['source'], t: { traceId: string; spans: Lite[] }): void => {
    if (drawn.has(`${window}\u0000${t.traceId}`)) return;
    drawn.add(`${window}\u0000${t.traceId}`);
    const waterfall = buildWaterfall(t.traceId, t.spans);
    slowTraces.push({ window, startMs: waterfall.startEpochMs - origin, source, waterfall });
  };
  for (const t of exemplars) draw(t.window, 'exemplar', t);
  for (const [window, list] of slowest) for (const t of list) draw(window, 'slowest', t);
  return { windows: windows.map((w) => w.result()), perSecond: seconds.rows(), slowTraces };
}

/** Keeps the `keep` slowest roots of a window, slowest first. */
function offerSlow(into: Map<string, { rootMs: number; traceId: string; spans: Lite[] }[]>, window: string, keep: number, t: { rootMs: number; traceId: string; spans: Lite[] }): void {
  const list = into.get(window) ?? [];
  if (list.length >= keep && (list[list.length - 1]?.rootMs ?? 0) >= t.rootMs) return;
  if (list.some((x) => x.traceId === t.traceId)) return;
  list.push(t);
  list.sort((a, b) => b.rootMs - a.rootMs);
  if (list.length > keep) list.pop();
  into.set(window, list);
}
