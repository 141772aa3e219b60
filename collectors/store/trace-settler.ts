/**
 * @module collectors/store: what happens to a complete trace — self time of each span, the per-second statistics
 * (every span, kept or not), self time per phase × service, then the tail-sampling decision and, if kept, its raw
 * spans to the kept store. Fragments of an already judged trace (late spans) follow that trace's decision.
 */
import type { SpanRecord } from '../otlp/types.js';
import type { SecondsSpill } from '../../core/metrics/index.js';
import { SpanSeconds } from '../traces/span-seconds.js';
import type { KeptSpans } from './kept-spans.js';
import { RecentTraceIds } from './recent-trace-ids.js';
import { selfTimesOf } from './self-time.js';
import type { TailSampler } from './tail-sampler.js';

/**
 * Trace ids judged recently (two generations of this many, 16 bytes and a kept/dropped tag each in a 2^15-slot
 * TraceIdSet: ~1.2 MB at most), so late spans follow their trace's decision. Late fragments come seconds after the
 * decision (an exporter's next batch): 16 000 to 32 000 later traces is a minute or more at 300 requests/s.
 */
const RECENT_DECISIONS = 16_000;
const KEPT = 1;
const DROPPED = 0;
const ERROR = 2;

export interface TraceSettlerOptions {
  readonly sampler: TailSampler;
  readonly kept: KeptSpans;
  readonly phaseAt: (epochMs: number) => string;
  /** Epoch ms of run offset 0 (undefined until the run starts: earlier spans are not in the per-second statistics). */
  readonly originEpochMs: () => number | undefined;
  readonly now: () => number;
  /** Where settled seconds of the per-second statistics go (the run folder); without it they stay in memory. */
  readonly secondsSpill?: SecondsSpill;
}

export class TraceSettler {
  readonly seconds: SpanSeconds;
  private readonly selfTotals = new Map<string, number>();
  private readonly decisions = new RecentTraceIds(RECENT_DECISIONS);

  constructor(private readonly options: TraceSettlerOptions) {
    this.seconds = new SpanSeconds(undefined, options.secondsSpill);
  }

  settle(traceId: string, spans: readonly SpanRecord[]): void {
    const { sampler, kept } = this.options;
    const self = selfTimesOf(spans.map((s) => ({ spanId: s.spanId, parentSpanId: s.parentSpanId, start: s.startEpochMs, end: s.startEpochMs + s.durationMs })));
    const ids = new Set(spans.map((s) => s.spanId));
    const origin = this.options.originEpochMs();
    const tag = this.decisions.tagOf(traceId);
    const judged = tag === undefined ? undefined : tag === KEPT;
    let entry: SpanRecord | undefined;
    spans.forEach((s, i) => {
      const selfMs = self[i] ?? 0;
      const key = `${this.options.phaseAt(s.startEpochMs)}\u0000${s.service}`;
      this.selfTotals.set(key, (this.selfTotals.get(key) ?? 0) + selfMs);
      const isRoot = !ids.has(s.parentSpanId) || s.parentSpanId === s.spanId;
      if (isRoot && (!entry || s.durationMs > entry.durationMs)) entry = s;
      if (origin === undefined) return;
      this.seconds.add({ service: s.service, name: s.name, kind: s.kind, durationMs: s.durationMs, isError: s.status.code === ERROR }, s.startEpochMs - origin, selfMs);
      // A late fragment of a judged trace is not another request.
      if (isRoot && judged === undefined) this.seconds.addRoot(s.startEpochMs - origin);
    });
    if (judged !== undefined) {
      // Late spans: kept with their trace, or alone when they carry an error.
      if (judged || spans.some((s) => s.status.code === ERROR)) {
        sampler.keepLate(spans.length);
        kept.add(spans);
      } else sampler.dropLate(spans.length);
      return;
    }
    const reason = sampler.decide(traceId, spans, entry, this.options.now());
    this.decisions.add(traceId, reason !== undefined ? KEPT : DROPPED);
    if (reason !== undefined) kept.add(spans);
  }

  /** Self time in ms per phase × service (`phase \0 service`) of the settled traces. */
  selfTimeTotals(): ReadonlyMap<string, number> {
    return this.selfTotals;
  }
}
