/**
 * @module collectors/store: which complete traces keep their raw spans (tail sampling). Every trace with an error,
 * every exemplar trace of the load, the slowest traces of each second (so the slowest of any window are kept),
 * and a uniform, rate-limited reservoir of the rest. Statistics never depend on it: they see every span.
 */
import type { SpanRecord } from '../otlp/types.js';

/** `collectors.spans.keep`: raw spans kept by the rule below, every one, or none (statistics only). */
export type SpanKeep = 'sampled' | 'all' | 'none';

/** Why a trace was kept (the first rule that applies, in this order). */
export type KeepReason = 'all' | 'error' | 'exemplar' | 'slowest' | 'reservoir';

export interface TailSamplerOptions {
  readonly keep: SpanKeep;
  /** Traces kept at random per second of arrival, at most (the reservoir). */
  readonly reservoirPerSecond: number;
  /** The N slowest traces (by entry span) of each second of start are kept. */
  readonly slowestPerSecond: number;
  /** True for the trace id of a request the load keeps as an exemplar (asked when the trace is complete). */
  readonly isExemplar?: (traceId: string) => boolean;
}

/** What was kept of what was seen; `byReason` counts traces by the first rule that kept them. */
export interface SamplingStats {
  readonly keep: SpanKeep;
  readonly reservoirPerSecond: number;
  readonly slowestPerSecond: number;
  readonly tracesSeen: number;
  readonly tracesKept: number;
  readonly spansSeen: number;
  readonly spansKept: number;
  readonly byReason: Readonly<Record<KeepReason, number>>;
}

const ERROR = 2;
/** Seconds of start for which the slowest are remembered (older traces still arriving are judged alone). */
const SLOWEST_HORIZON_S = 600;

export class TailSampler {
  private readonly slowest = new Map<number, number[]>();
  private newestSecond = -Infinity;
  private readonly byReason: Record<KeepReason, number> = { all: 0, error: 0, exemplar: 0, slowest: 0, reservoir: 0 };
  private tracesSeen = 0;
  private tracesKept = 0;
  private spansSeen = 0;
  private spansKept = 0;
  private wallSecond = -1;
  private seenThisSecond = 0;
  private seenLastSecond = 0;
  private tokens = 0;
  private rng = 0x2545f491;

  constructor(private readonly options: TailSamplerOptions) {}

  /**
   * The keep decision for one complete trace; `entry` is its longest root span (parent not in the trace).
   * `nowMs` is the arrival clock (the reservoir's rate is per second of it).
   */
  decide(traceId: string, spans: readonly SpanRecord[], entry: { startEpochMs: number; durationMs: number } | undefined, nowMs: number): KeepReason | undefined {
    this.tracesSeen++;
    this.spansSeen += spans.length;
    const reason = this.reasonOf(traceId, spans, entry, nowMs);
    if (reason) {
      this.byReason[reason]++;
      this.tracesKept++;
      this.spansKept += spans.length;
    }
    return reason;
  }

  /** Spans of an already kept trace that arrived after its decision. */
  keepLate(spans: number): void {
    this.spansSeen += spans;
    this.spansKept += spans;
  }

  /** Spans of an already dropped trace that arrived after its decision (and carry no error). */
  dropLate(spans: number): void {
    this.spansSeen += spans;
  }

  stats(): SamplingStats {
    const { keep, reservoirPerSecond, slowestPerSecond } = this.options;
    return {
      keep, reservoirPerSecond, slowestPerSecond, tracesSeen: this.tracesSeen, tracesKept: this.tracesKept,
      spansSeen: this.spansSeen, spansKept: this.spansKept, byReason: { ...this.byReason },
    };
  }

  private reasonOf(traceId: string, spans: readonly SpanRecord[], entry: { startEpochMs: number; durationMs: number } | undefined, nowMs: number): KeepReason | undefined {
    const keep = this.options.keep;
    if (keep === 'all') return 'all';
    if (keep === 'none') return undefined;
    // Ask every rule that remembers something, so the slowest-per-second list stays right whatever kept the trace.
    const isSlow = entry ? this.offerSlowest(entry.startEpochMs, entry.durationMs) : false;
    const inReservoir = this.offerReservoir(nowMs);
    if (spans.some((s) => s.status.code === ERROR)) return 'error';
    if (this.options.isExemplar?.(traceId)) return 'exemplar';
    if (isSlow) return 'slowest';
    return inReservoir ? 'reservoir' : undefined;
  }

  /** True when the duration is among the N slowest seen so far in its second of start (so the second's N slowest always are). */
  private offerSlowest(startEpochMs: number, durationMs: number): boolean {
    const n = this.options.slowestPerSecond;
    if (n <= 0) return false;
    const second = Math.floor(startEpochMs / 1000);
    if (second < this.newestSecond - SLOWEST_HORIZON_S) return false;
    if (second > this.newestSecond) {
      this.newestSecond = second;
      for (const s of this.slowest.keys()) if (s < second - SLOWEST_HORIZON_S) this.slowest.delete(s);
    }
    let list = this.slowest.get(second);
    if (!list) this.slowest.set(second, (list = []));
    if (list.length >= n && (list[list.length - 1] as number) >= durationMs) return false;
    let i = list.length;
    while (i > 0 && (list[i - 1] as number) < durationMs) i--;
    list.splice(i, 0, durationMs);
    if (list.length > n) list.pop();
    return true;
  }

  /**
   * A uniform sample at about `reservoirPerSecond` traces a second: each trace is kept with probability
   * rate ÷ the previous second's traces, and never more than the rate per second (a token bucket).
   */
  private offerReservoir(nowMs: number): boolean {
    const rate = this.options.reservoirPerSecond;
    if (rate <= 0) return false;
    const second = Math.floor(nowMs / 1000);
    if (second !== this.wallSecond) {
      this.seenLastSecond = second === this.wallSecond + 1 ? this.seenThisSecond : 0;
      this.seenThisSecond = 0;
      this.wallSecond = second;
      this.tokens = rate;
    }
    this.seenThisSecond++;
    if (this.tokens < 1) return false;
    const p = rate / Math.max(rate, this.seenLastSecond);
    if (this.random() >= p) return false;
    this.tokens--;
    return true;
  }

  /** xorshift32 in [0, 1): deterministic, no crypto needed to pick examples. */
  private random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x;
    return (x >>> 0) / 4294967296;
  }
}
