/**
 * @module core/metrics: exemplar reservoirs — per endpoint (scenario × request name) and per second of intended
 * start, the few slowest requests plus a small uniform sample, each with its trace id. Bounded per second whatever
 * the rate, merged over any window like the per-second HDR cells.
 */
import type { RequestSample } from '../sample.js';

/** One request kept as an example of its window. Times are run offsets in ms. */
export interface Exemplar {
  readonly traceId: string;
  readonly scenario: string;
  /** The request's name tag (k6 `name`). */
  readonly name: string;
  /** When the request was meant to start (the open model's schedule). */
  readonly intendedStartMs: number;
  /** When it was written to a connection. */
  readonly startMs: number;
  /** k6 `http_req_duration` (raw, from the actual start). */
  readonly durationMs: number;
  /** From the intended start (`http_req_duration_corrected`). */
  readonly correctedDurationMs: number;
  /** HTTP status, 0 when no response arrived. */
  readonly status: number;
  readonly failed: boolean;
}

/** Slowest requests kept per endpoint and second. */
export const SLOWEST_PER_SECOND = 3;
/** Uniformly sampled requests kept per endpoint and second (the pool the near-percentile exemplars come from). */
export const SAMPLED_PER_SECOND = 4;

interface SecondCell {
  /** Descending by durationMs, at most SLOWEST_PER_SECOND. */
  readonly slowest: Exemplar[];
  readonly sampled: Exemplar[];
  seen: number;
}

/** The requests of one endpoint, one cell per second of intended start. */
export class ExemplarSlot {
  readonly cells = new Map<number, SecondCell>();
  private lastSecond = -1;
  private lastCell: SecondCell | undefined;
  /** xorshift32 state for the reservoir (deterministic per slot; no crypto needed to pick examples). */
  private rng = 0x9e3779b9;

  constructor(readonly scenario: string, readonly name: string) {}

  add(e: Exemplar): void {
    this.record(e.intendedStartMs, e.durationMs, () => e);
  }

  /** Records a request sample; the exemplar object is made only when the request is kept (most are not). */
  addSample(s: RequestSample): void {
    this.record(s.scheduledAt, s.durationMs, () => exemplarOf(s));
  }

  private record(intendedStartMs: number, durationMs: number, make: () => Exemplar): void {
    const second = Math.floor(Math.max(0, intendedStartMs) / 1000);
    let cell = second === this.lastSecond ? this.lastCell : this.cells.get(second);
    if (cell === undefined) {
      cell = { slowest: [], sampled: [], seen: 0 };
      this.cells.set(second, cell);
    }
    this.lastSecond = second;
    this.lastCell = cell;
    let e: Exemplar | undefined;
    const slowest = cell.slowest;
    if (slowest.length < SLOWEST_PER_SECOND || (slowest[slowest.length - 1] as Exemplar).durationMs < durationMs) keepSlowest(slowest, (e = make()), SLOWEST_PER_SECOND);
    // Reservoir sampling (Vitter's algorithm R): every request of the second has the same chance to be kept.
    cell.seen++;
    if (cell.sampled.length < SAMPLED_PER_SECOND) cell.sampled.push(e ?? make());
    else {
      let x = this.rng;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.rng = x;
      const j = (x >>> 0) % cell.seen;
      if (j < SAMPLED_PER_SECOND) cell.sampled[j] = e ?? make();
    }
  }
}

/** What a window query returns: the slowest requests, and the pool to pick near-percentile ones from. */
export interface ExemplarWindow {
  /** Descending by durationMs. */
  readonly slowest: readonly Exemplar[];
  /** Every exemplar kept in the window (slowest and sampled, without duplicates). */
  readonly candidates: readonly Exemplar[];
}

/** Filter of an exemplar query; `[fromMs, toMs)` on intended start, exact (a fault window's exemplars started in it). */
export interface ExemplarQuery {
  readonly scenario?: string;
  readonly name?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** How many slowest to return (default SLOWEST_PER_SECOND). */
  readonly slowest?: number;
}

/**
 * Every endpoint's reservoirs.
 * @example
 * const ex = new ExemplarStore();
 * ex.slot('clinicians', 'GET /fhir/Patient').add(exemplarOf(sample));
 * ex.query({ fromMs: 30_000, toMs: 60_000, slowest: 5 }).slowest;
 */
export class ExemplarStore {
  private readonly slots = new Map<string, ExemplarSlot>();

  /** The slot of one endpoint (callers cache it; the engine does per step). */
  slot(scenario: string, name: string): ExemplarSlot {
    const key = `${scenario}\u0000${name}`;
    let s = this.slots.get(key);
    if (s === undefined) {
      s = new ExemplarSlot(scenario, name);
      this.slots.set(key, s);
    }
    return s;
  }

  /** Records one finished request. */
  addSample(s: RequestSample): void {
    this.slot(s.scenario, s.name).addSample(s);
  }

  /** Exemplars of matching endpoints whose intended start falls in the window. */
  query(q: ExemplarQuery = {}): ExemplarWindow {
    const fromMs = q.fromMs ?? 0;
    const toMs = q.toMs ?? Infinity;
    const from = Math.floor(fromMs / 1000);
    const to = toMs === Infinity ? Infinity : Math.ceil(toMs / 1000);
    const n = q.slowest ?? SLOWEST_PER_SECOND;
    const inRange = (e: Exemplar): boolean => e.intendedStartMs >= fromMs && e.intendedStartMs < toMs;
    const slowest: Exemplar[] = [];
    const candidates = new Map<string, Exemplar>();
    for (const slot of this.slots.values()) {
      if ((q.scenario !== undefined && slot.scenario !== q.scenario) || (q.name !== undefined && slot.name !== q.name)) continue;
      for (const [second, cell] of slot.cells) {
        if (second < from || second >= to) continue;
        for (const e of cell.slowest) {
          if (!inRange(e)) continue;
          keepSlowest(slowest, e, n);
          candidates.set(e.traceId, e);
        }
        for (const e of cell.sampled) if (inRange(e)) candidates.set(e.traceId, e);
      }
    }
    return { slowest, candidates: [...candidates.values()] };
  }

  /** Merges another store's reservoirs in (several runners' outputs); keeps the per-second bounds. */
  mergeFrom(other: ExemplarStore): void {
    for (const s of other.slots.values()) {
      const mine = this.slot(s.scenario, s.name);
      for (const cell of s.cells.values()) for (const e of new Set([...cell.slowest, ...cell.sampled])) mine.add(e);
    }
  }
}

/** The exemplar of which duration is closest to `targetMs` (ties: the earlier intended start), or undefined. */
export function nearestExemplar(candidates: readonly Exemplar[], targetMs: number): Exemplar | undefined {
  let best: Exemplar | undefined;
  for (const e of candidates) {
    if (best === undefined) best = e;
    else {
      const d = Math.abs(e.durationMs - targetMs) - Math.abs(best.durationMs - targetMs);
      if (d < 0 || (d === 0 && e.intendedStartMs < best.intendedStartMs)) best = e;
    }
  }
  return best;
}

/** The exemplar fields of a request sample. */
function exemplarOf(s: RequestSample): Exemplar {
  return {
    traceId: s.traceId, scenario: s.scenario, name: s.name, intendedStartMs: s.scheduledAt, startMs: s.startedAt,
    durationMs: s.durationMs, correctedDurationMs: s.correctedDurationMs, status: s.status, failed: s.failed,
  };
}

function keepSlowest(list: Exemplar[], e: Exemplar, n: number): void {
  if (list.length >= n && (list[list.length - 1] as Exemplar).durationMs >= e.durationMs) return;
  let i = list.length;
  while (i > 0 && (list[i - 1] as Exemplar).durationMs < e.durationMs) i--;
  list.splice(i, 0, e);
  if (list.length > n) list.pop();
}
