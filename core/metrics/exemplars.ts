/**
 * @module core/metrics: exemplar reservoirs — per endpoint (scenario × request name) and per second of intended
 * start, the few slowest requests plus a small uniform sample, each with its trace id. Bounded per second whatever
 * the rate, merged over any window like the per-second HDR cells.
 */
import type { RequestSample } from '../sample.js';
import type { SecondsSpill } from './seconds-spill.js';

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
  /** @internal Index in the store (names the slot in its spill). */
  id = -1;
  private lastSecond = -1;
  private lastCell: SecondCell | undefined;
  /** xorshift32 state for the reservoir (deterministic per slot; no crypto needed to pick examples). */
  private rng = 0x9e3779b9;

  constructor(readonly scenario: string, readonly name: string) {}

  add(e: Exemplar): void {
    this.record(e.intendedStartMs, e.durationMs, () => e);
  }

  /** @internal Moves the cells of seconds up to `through` to the spill. */
  spillThrough(through: number, spill: SecondsSpill): void {
    for (const [second, cell] of this.cells) {
      if (second > through) continue;
      spill.append({ i: this.id, s: second, seen: cell.seen, slowest: cell.slowest.map(packed), sampled: cell.sampled.map(packed) } satisfies SpilledExemplars);
      this.cells.delete(second);
      if (this.lastSecond === second) {
        this.lastSecond = -1;
        this.lastCell = undefined;
      }
    }
  }

  /** @internal Puts spilled cells back (in second order, before those recorded since; one object per request). */
  restore(parts: readonly SpilledExemplars[]): void {
    const cells = new Map<number, SecondCell>();
    for (const p of parts) {
      const same = new Map<string, Exemplar>();
      const unpack = (v: PackedExemplar): Exemplar => {
        const e = unpacked(this.scenario, this.name, v);
        const key = `${e.traceId}\u0000${e.intendedStartMs}`;
        const known = same.get(key);
        if (known) return known;
        same.set(key, e);
        return e;
      };
      const cell: SecondCell = { slowest: p.slowest.map(unpack), sampled: p.sampled.map(unpack), seen: p.seen };
      const earlier = cells.get(p.s);
      // A second spilled twice (requests that ended long after their intended start): the parts stay apart in one cell.
      if (earlier) {
        for (const e of cell.slowest) keepSlowest(earlier.slowest, e, SLOWEST_PER_SECOND);
        earlier.sampled.push(...cell.sampled);
        earlier.seen += cell.seen;
      } else cells.set(p.s, cell);
    }
    for (const [second, cell] of this.cells) {
      const earlier = cells.get(second);
      if (earlier) {
        for (const e of cell.slowest) keepSlowest(earlier.slowest, e, SLOWEST_PER_SECOND);
        earlier.sampled.push(...cell.sampled);
        earlier.seen += cell.seen;
      } else cells.set(second, cell);
    }
    this.cells.clear();
    for (const [second, cell] of [...cells].sort((a, b) => a[0] - b[0])) this.cells.set(second, cell);
    this.lastSecond = -1;
    this.lastCell = undefined;
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
  private readonly byId: ExemplarSlot[] = [];
  private spill: SecondsSpill | undefined;
  /** Cells of this second (of intended start) and older may be in the spill. */
  private spilledThrough = -1;

  /**
   * Moves cells to `spill` as `spillThrough` is called (the MetricStore does, once per second of the run); a query
   * that reaches them brings them back and stops the spilling.
   */
  spillTo(spill: SecondsSpill): void {
    this.spill = spill;
  }

  /** @internal Moves the cells of seconds of intended start up to `through` to the spill. */
  spillThrough(through: number): void {
    if (!this.spill) return;
    for (const slot of this.byId) slot.spillThrough(through, this.spill);
    if (through > this.spilledThrough) this.spilledThrough = through;
  }

  /** @internal Brings every spilled cell back and stops spilling (removes the file). */
  restoreSpilled(): void {
    const spill = this.spill;
    if (spill === undefined) return;
    this.spill = undefined;
    const parts = new Map<ExemplarSlot, SpilledExemplars[]>();
    spill.forEach<SpilledExemplars>((r) => {
      const slot = this.byId[r.i] as ExemplarSlot;
      const list = parts.get(slot) ?? [];
      list.push(r);
      parts.set(slot, list);
    });
    for (const [slot, list] of parts) slot.restore(list);
    spill.remove();
  }

  /** The slot of one endpoint (callers cache it; the engine does per step). */
  slot(scenario: string, name: string): ExemplarSlot {
    const key = `${scenario}\u0000${name}`;
    let s = this.slots.get(key);
    if (s === undefined) {
      s = new ExemplarSlot(scenario, name);
      s.id = this.byId.length;
      this.byId.push(s);
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
    if (from <= this.spilledThrough) this.restoreSpilled();
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
    other.restoreSpilled();
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

/** An exemplar in the spill: trace id, intended start, start, duration, corrected duration, status, failed (0/1). */
type PackedExemplar = readonly [string, number, number, number, number, number, number];

/** One spilled cell: slot index, second of intended start, requests seen, the kept exemplars. */
interface SpilledExemplars {
  readonly i: number;
  readonly s: number;
  readonly seen: number;
  readonly slowest: readonly PackedExemplar[];
  readonly sampled: readonly PackedExemplar[];
}

const packed = (e: Exemplar): PackedExemplar => [e.traceId, e.intendedStartMs, e.startMs, e.durationMs, e.correctedDurationMs, e.status, e.failed ? 1 : 0];

function unpacked(scenario: string, name: string, v: PackedExemplar): Exemplar {
  const [traceId, intendedStartMs, startMs, durationMs, correctedDurationMs, status, failed] = v;
  return { traceId, scenario, name, intendedStartMs, startMs, durationMs, correctedDurationMs, status, failed: failed === 1 };
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
