/**
 * @module collectors/traces: after the run — per window service × span-name statistics with self time and server
 * span p95 per service per second (from the store's per-second statistics of every span, or from the raw spans when
 * none are given), and the slowest kept traces of each window as waterfalls. One pass over the raw spans in arrival
 * order; memory is bounded: traces are settled oldest first.
 */
import type { SpanRecord } from '../otlp/types.js';
import { selfTimesOf } from '../store/self-time.js';
import type { ServiceSecond } from './service-seconds.js';
import { SpanSeconds } from './span-seconds.js';
import { buildWaterfall, type TraceSpanInput, type TraceWaterfall } from './trace-tree.js';
import type { SpanWindow, SpanWindowStats } from './window-stats.js';

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
  /**
   * The store's per-second statistics of every span (`store.spanSeconds()`): window rows and per-second p95 come from
   * it, so they do not depend on which raw spans were kept. Without it they are computed from `spans`.
   */
  readonly seconds?: SpanSeconds;
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


/** Reads every span once. A span arriving after its trace was settled counts as a root of its own. */
export async function analyzeSpans(spans: AsyncIterable<SpanRecord>, options: AnalyzeSpansOptions): Promise<SpanAnalysis> {
  const own = options.seconds ? undefined : new SpanSeconds();
  const keep = options.slowestPerWindow ?? 3;
  const slowest = new Map<string, { rootMs: number; traceId: string; spans: Lite[] }[]>();
  const pending = new Map<string, Lite[]>();
  const maxPending = options.maxPendingTraces ?? 5000;
  const origin = options.originEpochMs;
  const exemplars: { window: string; traceId: string; spans: Lite[] }[] = [];
  const inWindow = (w: SpanWindow, offset: number): boolean => offset >= w.startMs && offset < w.endMs;
  const settle = (traceId: string, trace: Lite[]): void => {
    const self = own ? selfTimesOf(trace.map((s) => ({ spanId: s.spanId, parentSpanId: s.parentSpanId, start: s.startEpochMs, end: s.end }))) : [];
    const ids = new Set(trace.map((s) => s.spanId));
    const exemplarWindow = options.exemplarTraces?.get(traceId);
    if (exemplarWindow !== undefined) exemplars.push({ window: exemplarWindow, traceId, spans: trace });
    trace.forEach((s, i) => {
      const offset = s.startEpochMs - origin;
      const isRoot = !ids.has(s.parentSpanId) || s.parentSpanId === s.spanId;
      if (own) {
        own.add(s, offset, self[i] ?? 0);
        if (isRoot) own.addRoot(offset);
      }
      if (!isRoot) return;
      for (const w of options.windows) if (inWindow(w, offset)) offerSlow(slowest, w.name, keep, { rootMs: s.durationMs, traceId, spans: trace });
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
  const seconds = options.seconds ?? (own as SpanSeconds);
  return { windows: seconds.windows(options.windows), perSecond: seconds.perSecond(), slowTraces };
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
