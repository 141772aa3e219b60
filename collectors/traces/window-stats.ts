/**
 * @module collectors/traces: the shape of one time window's span statistics per service × span name — count,
 * errors, duration and self-time summaries — so a report can tell what a fault window changed against the baseline.
 */
import type { LatencySummary } from '../store/latency-sketch.js';

/** A window on the run clock, `[startMs, endMs)`. */
export interface SpanWindow {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** One service × span name in one window. `self.sumMs` is the total self time. */
export interface SpanWindowRow {
  readonly service: string;
  readonly span: string;
  readonly kind: number;
  readonly count: number;
  readonly errors: number;
  readonly duration: LatencySummary;
  readonly self: LatencySummary;
}

export interface SpanWindowStats extends SpanWindow {
  /** Traces whose root span started in the window (the denominator of "per request" figures). */
  readonly traces: number;
  readonly rows: readonly SpanWindowRow[];
}
