/**
 * @module collectors/store: holds each trace's spans until the trace is complete — its entry span seen and no span
 * for `quietMs`, or `maxWaitMs` after its first span, or the oldest first when the buffer passes its byte or trace
 * cap — then hands the whole trace on (for self time, per-second statistics and the keep decision).
 */
import type { SpanRecord } from '../otlp/types.js';

export interface TraceBufferOptions {
  /** A trace whose entry span arrived is complete after this long without a new span (ms). */
  readonly quietMs: number;
  /** A trace is settled this long after its first span whatever else (ms): its entry span may never come. */
  readonly maxWaitMs: number;
  /** Estimated bytes held; past it the oldest traces are settled early. */
  readonly maxBytes: number;
  /** Traces held; past it the oldest are settled early. */
  readonly maxTraces: number;
  readonly sizeOf: (span: SpanRecord) => number;
  readonly onSettle: (traceId: string, spans: readonly SpanRecord[]) => void;
}

interface Pending {
  readonly spans: SpanRecord[];
  bytes: number;
  readonly firstAt: number;
  lastAt: number;
  hasEntry: boolean;
}

const SERVER = 2;
const CONSUMER = 5;

/**
 * A span that starts a trace's work here: no parent, or a SERVER/CONSUMER span whose parent is elsewhere (the load's
 * own client span sends `traceparent`, so the target's first span has a parent codeblue never receives).
 */
const isEntry = (s: SpanRecord): boolean => s.parentSpanId === '' || s.kind === SERVER || s.kind === CONSUMER;

export class TraceBuffer {
  private readonly traces = new Map<string, Pending>();
  private bytes = 0;
  private spans = 0;
  private settledEarly = 0;

  constructor(private readonly options: TraceBufferOptions) {}

  add(span: SpanRecord, nowMs: number): void {
    let t = this.traces.get(span.traceId);
    if (!t) {
      t = { spans: [], bytes: 0, firstAt: nowMs, lastAt: nowMs, hasEntry: false };
      this.traces.set(span.traceId, t);
    }
    const size = this.options.sizeOf(span);
    t.spans.push(span);
    t.bytes += size;
    t.lastAt = nowMs;
    if (!t.hasEntry && isEntry(span)) t.hasEntry = true;
    this.bytes += size;
    this.spans++;
    while ((this.bytes > this.options.maxBytes || this.traces.size > this.options.maxTraces) && this.traces.size > 0) {
      this.settledEarly++;
      this.settle(this.traces.keys().next().value as string);
    }
  }

  /** Settles every trace that is complete at `nowMs`. */
  tick(nowMs: number): void {
    const { quietMs, maxWaitMs } = this.options;
    for (const [id, t] of this.traces) {
      // Insertion order is first-span order: past this one, no trace is old enough to be quiet.
      if (nowMs - t.firstAt < quietMs) break;
      if ((t.hasEntry && nowMs - t.lastAt >= quietMs) || nowMs - t.firstAt >= maxWaitMs) this.settle(id);
    }
  }

  /** Settles everything (end of the run). */
  drain(): void {
    for (const id of [...this.traces.keys()]) this.settle(id);
  }

  traceIds(): IterableIterator<string> {
    return this.traces.keys();
  }

  spansOf(traceId: string): readonly SpanRecord[] {
    return this.traces.get(traceId)?.spans ?? [];
  }

  stats(): { readonly traces: number; readonly spans: number; readonly bytes: number; readonly settledEarly: number } {
    return { traces: this.traces.size, spans: this.spans, bytes: this.bytes, settledEarly: this.settledEarly };
  }

  private settle(id: string): void {
    const t = this.traces.get(id);
    if (!t) return;
    this.traces.delete(id);
    this.bytes -= t.bytes;
    this.spans -= t.spans.length;
    this.options.onSettle(id, t.spans);
  }
}
