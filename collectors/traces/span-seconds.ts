/**
 * @module collectors/traces: per second of the run × service × span name — count, errors, HDR of duration and of
 * self time — plus root spans per second and server p95 per service per second. Fed with every span (sampled or
 * not), so window statistics and attribution never depend on which raw spans were kept. Seconds that can no longer
 * change are packed (a few hundred bytes a row) and, with a spill (a run folder), moved to disk: a long run's memory
 * then stays flat, and reading the spill back gives the same figures as keeping every second in memory.
 */
import { LatencySketch, type PackedSketch } from '../store/latency-sketch.js';
import { OTHER_SPANS } from '../store/other-spans.js';
import type { SecondsSpill } from '../../core/metrics/index.js';
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

/** A second's (or a window's) statistics of one service × span name × kind, still taking spans. */
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

/** The spill's name in the run folder. */
export const SPAN_SECONDS_FILE = 'span-seconds.ndjson.gz';

/** A packed second in the spill (a second can have several: late spans after it was spilled add another). */
interface SpilledRows {
  readonly k: 'rows';
  readonly second: number;
  readonly rows: readonly PackedRow[];
}

const SERVER = 2;

/**
 * Seconds are run offsets (`Math.floor(offsetMs / 1000)`); spans before offset 0 (setup) are not kept here.
 * A window takes the seconds whose middle falls in it: its edges are rounded to the nearest second.
 */
export class SpanSeconds {
  private readonly open = new Map<number, Map<string, OpenRow>>();
  /** Packed seconds in packing order (a second reopened by late spans is packed again: one more entry). */
  private readonly packed: SpilledRows[] = [];
  private readonly roots = new Map<number, number>();
  private readonly names = new Map<string, Set<string>>();
  private readonly servers = new ServiceSeconds();

  /**
   * `maxNamesPerService` bounds rows when span names carry ids; later names share the `(other)` row. With `spill`,
   * packed seconds go to it instead of memory.
   */
  constructor(private readonly maxNamesPerService = 1000, private readonly spill?: SecondsSpill) {}

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

  /** Packs every open second before `offsetMs` (spans of a packed second can still arrive: they are packed apart). */
  packBefore(offsetMs: number): void {
    const limit = Math.floor(offsetMs / 1000);
    for (const [second, rows] of this.open) {
      if (second >= limit) continue;
      const packed = [...rows.values()].map((r) => ({
        service: r.service, span: r.span, kind: r.kind, count: r.count, errors: r.errors, duration: r.duration.pack(), self: r.self.pack(),
      }));
      if (this.spill) this.spill.append({ k: 'rows', second, rows: packed } satisfies SpilledRows);
      else this.packed.push({ k: 'rows', second, rows: packed });
      this.open.delete(second);
    }
    if (this.spill) this.servers.settleBefore(limit, this.spill);
  }

  /** Statistics of each window over the seconds whose middle (s + 0.5 s) falls in it. */
  windows(windows: readonly SpanWindow[]): SpanWindowStats[] {
    const cells = windows.map(() => new Map<string, OpenRow>());
    const traces = windows.map(() => 0);
    const windowsOf = (second: number): number[] => {
      const out: number[] = [];
      windows.forEach((w, i) => {
        if (second * 1000 + 500 >= w.startMs && second * 1000 + 500 < w.endMs) out.push(i);
      });
      return out;
    };
    const cellOf = (i: number, r: { service: string; span: string; kind: number }): OpenRow => {
      const key = `${r.service}\u0000${r.span}`;
      const map = cells[i] as Map<string, OpenRow>;
      let c = map.get(key);
      if (!c) map.set(key, (c = { service: r.service, span: r.span, kind: r.kind, count: 0, errors: 0, duration: new LatencySketch({ dense: true }), self: new LatencySketch({ dense: true }) }));
      return c;
    };
    const addPacked = (second: number, rows: readonly PackedRow[]): void => {
      const into = windowsOf(second);
      if (into.length === 0) return;
      for (const r of rows) {
        const duration = LatencySketch.unpack(r.duration);
        const self = LatencySketch.unpack(r.self);
        for (const i of into) {
          const c = cellOf(i, r);
          c.count += r.count;
          c.errors += r.errors;
          c.duration.merge(duration);
          c.self.merge(self);
        }
      }
    };
    for (const [second, n] of this.roots) for (const i of windowsOf(second)) traces[i] = (traces[i] ?? 0) + n;
    this.spill?.forEach<{ k: string }>((r) => {
      if (r.k === 'rows') addPacked((r as SpilledRows).second, (r as SpilledRows).rows);
    });
    for (const p of this.packed) addPacked(p.second, p.rows);
    for (const [second, rows] of this.open) {
      for (const i of windowsOf(second)) {
        for (const r of rows.values()) {
          const c = cellOf(i, r);
          c.count += r.count;
          c.errors += r.errors;
          c.duration.merge(r.duration);
          c.self.merge(r.self);
        }
      }
    }
    return windows.map((w, i) => {
      const rows: SpanWindowRow[] = [...(cells[i] as Map<string, OpenRow>).values()].map((c) => ({
        service: c.service, span: c.span, kind: c.kind, count: c.count, errors: c.errors, duration: c.duration.summary(), self: c.self.summary(),
      }));
      return { ...w, traces: traces[i] ?? 0, rows };
    });
  }

  /** Server span p95 per service per second. */
  perSecond(): ServiceSecond[] {
    return this.servers.rows(this.spill);
  }

  /** Seconds held open and packed in memory, and records spilled (for memory figures). */
  size(): { readonly open: number; readonly packed: number; readonly spilled: number } {
    return { open: this.open.size, packed: this.packed.length, spilled: this.spill?.stats().records ?? 0 };
  }

  private rowsOf(second: number): Map<string, OpenRow> {
    let rows = this.open.get(second);
    // A late span for a packed second opens it again: its rows are packed once more, and windows add both parts.
    if (!rows) this.open.set(second, (rows = new Map()));
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
