/**
 * @module collectors/traces: per second of the run × service × span name — count, errors, HDR of duration and of
 * self time — plus root spans per second and server p95 per service per second. Fed with every span (sampled or
 * not), so window statistics and attribution never depend on which raw spans were kept. Seconds that can no longer
 * change are packed (a few hundred bytes a row), so an hour-long run stays small.
 */
import { LatencySketch, type PackedSketch } from '../store/latency-sketch.js';
import { OTHER_SPANS } from '../store/other-spans.js';
import { ServiceSeconds, type ServiceSecond } from './service-seconds.js';
import type { SpanWindow, SpanWindowRow, SpanWindowStats } from './window-stats.js';

/** What a second's row needs of a span. */
export interface SecondSpan {
  readonly service: string;
  readonly name: string;
  readonly kind: number;
  readonly durationMs: number;
  readonly isError: boolean;
}

interface OpenRow {
  readonly service: string;
  readonly span: string;
  readonly kind: number;
  count: number;
  errors: number;
  readonly duration: LatencySketch;
  readonly self: LatencySketch;
}

interface PackedRow {
  readonly service: string;
  readonly span: string;
  readonly kind: number;
  readonly count: number;
  readonly errors: number;
  readonly duration: PackedSketch;
  readonly self: PackedSketch;
}

const SERVER = 2;

/**
 * Seconds are run offsets (`Math.floor(offsetMs / 1000)`); spans before offset 0 (setup) are not kept here.
 * A window takes the seconds whose middle falls in it: its edges are rounded to the nearest second.
 */
export class SpanSeconds {
  private readonly open = new Map<number, Map<string, OpenRow>>();
  private readonly packed = new Map<number, PackedRow[]>();
  private readonly roots = new Map<number, number>();
  private readonly names = new Map<string, Set<string>>();
  private readonly servers = new ServiceSeconds();

  /** `maxNamesPerService` bounds rows when span names carry ids; later names share the `(other)` row. */
  constructor(private readonly maxNamesPerService = 1000) {}

  /** One span starting at run offset `offsetMs`, with its self time. */
  add(span: SecondSpan, offsetMs: number, selfMs: number): void {
    if (!(offsetMs >= 0)) return;
    const second = Math.floor(offsetMs / 1000);
    if (span.kind === SERVER) this.servers.add(span.service, offsetMs, span.durationMs);
    const rows = this.rowsOf(second);
    const name = this.nameOf(span.service, span.name);
    const key = `${span.service}\u0000${name}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { service: span.service, span: name, kind: span.kind, count: 0, errors: 0, duration: new LatencySketch(), self: new LatencySketch() }));
    row.count++;
    if (span.isError) row.errors++;
    row.duration.add(span.durationMs);
    row.self.add(selfMs);
  }

  /** A trace whose root span started at `offsetMs` (the denominator of "per request" figures). */
  addRoot(offsetMs: number): void {
    if (!(offsetMs >= 0)) return;
    const second = Math.floor(offsetMs / 1000);
    this.roots.set(second, (this.roots.get(second) ?? 0) + 1);
  }

  /** Packs every open second before `offsetMs` (spans of a packed second can still arrive: it is reopened). */
  packBefore(offsetMs: number): void {
    const limit = Math.floor(offsetMs / 1000);
    for (const [second, rows] of this.open) {
      if (second >= limit) continue;
      this.packed.set(second, [...rows.values()].map((r) => ({
        service: r.service, span: r.span, kind: r.kind, count: r.count, errors: r.errors, duration: r.duration.pack(), self: r.self.pack(),
      })));
      this.open.delete(second);
    }
  }

  /** Statistics of each window over the seconds whose middle (s + 0.5 s) falls in it. */
  windows(windows: readonly SpanWindow[]): SpanWindowStats[] {
    return windows.map((w) => {
      const cells = new Map<string, { service: string; span: string; kind: number; count: number; errors: number; duration: LatencySketch; self: LatencySketch }>();
      let traces = 0;
      const inWindow = (second: number): boolean => second * 1000 + 500 >= w.startMs && second * 1000 + 500 < w.endMs;
      const cellOf = (r: { service: string; span: string; kind: number }) => {
        const key = `${r.service}\u0000${r.span}`;
        let c = cells.get(key);
        if (!c) cells.set(key, (c = { service: r.service, span: r.span, kind: r.kind, count: 0, errors: 0, duration: new LatencySketch({ dense: true }), self: new LatencySketch({ dense: true }) }));
        return c;
      };
      for (const [second, n] of this.roots) if (inWindow(second)) traces += n;
      for (const [second, rows] of this.packed) {
        if (!inWindow(second)) continue;
        for (const r of rows) {
          const c = cellOf(r);
          c.count += r.count;
          c.errors += r.errors;
          c.duration.merge(LatencySketch.unpack(r.duration));
          c.self.merge(LatencySketch.unpack(r.self));
        }
      }
      for (const [second, rows] of this.open) {
        if (!inWindow(second)) continue;
        for (const r of rows.values()) {
          const c = cellOf(r);
          c.count += r.count;
          c.errors += r.errors;
          c.duration.merge(r.duration);
          c.self.merge(r.self);
        }
      }
      const rows: SpanWindowRow[] = [...cells.values()].map((c) => ({
        service: c.service, span: c.span, kind: c.kind, count: c.count, errors: c.errors, duration: c.duration.summary(), self: c.self.summary(),
      }));
      return { ...w, traces, rows };
    });
  }

  /** Server span p95 per service per second. */
  perSecond(): ServiceSecond[] {
    return this.servers.rows();
  }

  /** Seconds held open and packed (for memory figures). */
  size(): { readonly open: number; readonly packed: number } {
    return { open: this.open.size, packed: this.packed.size };
  }

  private rowsOf(second: number): Map<string, OpenRow> {
    let rows = this.open.get(second);
    if (rows) return rows;
    rows = new Map();
    const old = this.packed.get(second);
    if (old) {
      // A late span for a packed second: unpack it, add, pack again at the next packBefore.
      for (const r of old) {
        rows.set(`${r.service}\u0000${r.span}`, {
          service: r.service, span: r.span, kind: r.kind, count: r.count, errors: r.errors, duration: LatencySketch.unpack(r.duration), self: LatencySketch.unpack(r.self),
        });
      }
      this.packed.delete(second);
    }
    this.open.set(second, rows);
    return rows;
  }

  private nameOf(service: string, name: string): string {
    let names = this.names.get(service);
    if (!names) this.names.set(service, (names = new Set()));
    if (names.has(name)) return name;
    if (names.size >= this.maxNamesPerService) return OTHER_SPANS;
    names.add(name);
    return name;
  }
}
