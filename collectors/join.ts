/**
 * @module collectors: joins the load generator's requests (by the trace id each sent in `traceparent`)
 * to the server spans that arrived, and counts the requests the stack never traced.
 */
import type { RequestSample, Sink } from '../core/index.js';
import { DEFAULT_PHASE } from './store/phase-timeline.js';
import { TraceIdSet } from './store/trace-id-set.js';

/** Per scenario, or in total. `missing` requests have no SERVER span in the store. */
export interface JoinCounts {
  readonly total: number;
  readonly withServerSpan: number;
  readonly missing: number;
  /** missing / total, 0 when there were no requests. */
  readonly missingFraction: number;
}

export interface JoinResult extends JoinCounts {
  readonly byScenario: Readonly<Record<string, JoinCounts>>;
  /** Per phase, when the join was given `phaseOf`; else one entry for DEFAULT_PHASE ('run'). */
  readonly byPhase: Readonly<Record<string, JoinCounts>>;
  /** Samples whose trace id was absent or malformed (not counted in total). */
  readonly withoutTraceId: number;
}

/** What the join needs of the span store. */
export interface ServerSpanIndex {
  hasServerSpan(traceId: string): boolean;
}

export type JoinSample = Pick<RequestSample, 'traceId' | 'scenario' | 'startedAt'>;

export interface RequestJoinOptions {
  /** The phase a request belongs to, e.g. `s => store.phaseAt(clock.wallAt(s.startedAt))`. */
  readonly phaseOf?: (sample: JoinSample) => string;
}

/**
 * A Sink for request samples that keeps only their trace ids (16 bytes + a 16-bit scenario×phase tag each).
 * Ask for `result` after the receiver has closed: spans arrive seconds after their requests (batching).
 */
export interface RequestJoin extends Sink<JoinSample> {
  /** Distinct trace ids seen. */
  readonly size: number;
  result(store: ServerSpanIndex): JoinResult;
}

const MAX_GROUPS = 65_535;

export function createRequestJoin(options: RequestJoinOptions = {}): RequestJoin {
  const ids = new TraceIdSet();
  /** Distinct (scenario, phase) pairs; a tag is an index in here. */
  const groups: { scenario: string; phase: string }[] = [];
  const groupIndex = new Map<string, number>();
  let withoutTraceId = 0;
  return {
    add(sample) {
      const phase = options.phaseOf ? options.phaseOf(sample) : DEFAULT_PHASE;
      const key = `${sample.scenario}\u0000${phase}`;
      let tag = groupIndex.get(key);
      if (tag === undefined) {
        tag = groups.length < MAX_GROUPS ? groups.length : MAX_GROUPS - 1;
        if (groups.length < MAX_GROUPS) groups.push({ scenario: sample.scenario, phase });
        groupIndex.set(key, tag);
      }
      if (!ids.add(sample.traceId ?? '', tag)) withoutTraceId++;
    },
    get size() {
      return ids.size;
    },
    result(store) {
      const per = groups.map(() => ({ total: 0, joined: 0 }));
      ids.forEach((traceId, tag) => {
        const bucket = per[tag] as { total: number; joined: number };
        bucket.total++;
        if (store.hasServerSpan(traceId)) bucket.joined++;
      });
      const byScenario = sumBy(groups, per, (g) => g.scenario);
      const byPhase = sumBy(groups, per, (g) => g.phase);
      const total = per.reduce((n, b) => n + b.total, 0);
      const joined = per.reduce((n, b) => n + b.joined, 0);
      return { ...counts(total, joined), byScenario, byPhase, withoutTraceId };
    },
  };
}

/** One-shot join of already collected samples. */
export function joinRequests(samples: Iterable<JoinSample>, store: ServerSpanIndex, options: RequestJoinOptions = {}): JoinResult {
  const join = createRequestJoin(options);
  for (const s of samples) join.add(s);
  return join.result(store);
}

function counts(total: number, withServerSpan: number): JoinCounts {
  const missing = total - withServerSpan;
  return { total, withServerSpan, missing, missingFraction: total === 0 ? 0 : missing / total };
}

function sumBy<G>(groups: readonly G[], per: readonly { total: number; joined: number }[], keyOf: (g: G) => string): Record<string, JoinCounts> {
  const sums = new Map<string, { total: number; joined: number }>();
  groups.forEach((g, i) => {
    const s = sums.get(keyOf(g)) ?? { total: 0, joined: 0 };
    s.total += (per[i] as { total: number }).total;
    s.joined += (per[i] as { joined: number }).joined;
    sums.set(keyOf(g), s);
  });
  return Object.fromEntries([...sums].map(([k, s]) => [k, counts(s.total, s.joined)]));
}
