/**
 * @module collectors/traces: spans of one time window per service × span name — count, errors, duration and
 * self-time sketches — so a report can tell what a fault window changed against the baseline.
 */
import { LatencySketch, type LatencySummary } from '../store/latency-sketch.js';
import { OTHER_SPANS } from '../store/span-store.js';

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

interface Cell {
  readonly service: string;
  readonly span: string;
  readonly kind: number;
  count: number;
  errors: number;
  readonly duration: LatencySketch;
  readonly self: LatencySketch;
}

/** Accumulates one window; at most `maxRows` distinct names (later ones share the `(other)` row of their service). */
export class WindowAccumulator {
  private readonly cells = new Map<string, Cell>();
  private traces = 0;

  constructor(readonly window: SpanWindow, private readonly maxRows = 1000) {}

  contains(offsetMs: number): boolean {
    return offsetMs >= this.window.startMs && offsetMs < this.window.endMs;
  }

  addRoot(): void {
    this.traces++;
  }

  add(span: { readonly service: string; readonly name: string; readonly kind: number; readonly durationMs: number; readonly isError: boolean }, selfMs: number): void {
    let name = span.name;
    let key = `${span.service}\u0000${name}`;
    if (!this.cells.has(key) && this.cells.size >= this.maxRows) {
      name = OTHER_SPANS;
      key = `${span.service}\u0000${name}`;
    }
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { service: span.service, span: name, kind: span.kind, count: 0, errors: 0, duration: new LatencySketch(), self: new LatencySketch() };
      this.cells.set(key, cell);
    }
    cell.count++;
    if (span.isError) cell.errors++;
    cell.duration.add(span.durationMs);
    cell.self.add(selfMs);
  }

  result(): SpanWindowStats {
    return {
      ...this.window, traces: this.traces,
      rows: [...this.cells.values()].map((c) => ({
        service: c.service, span: c.span, kind: c.kind, count: c.count, errors: c.errors, duration: c.duration.summary(), self: c.self.summary(),
      })),
    };
  }
}
