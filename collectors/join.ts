/**
 * @module collectors: joins the load generator's requests (by the trace id each sent in `traceparent`)
 * to the server spans that arrived, and counts the requests the stack never traced.
 */
import type { RequestSample, Sink } from '../core/index.js';
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
  /** Samples whose trace id was absent or malformed (not counted in total). */
  readonly withoutTraceId: number;
}

/** What the join needs of the span store. */
export interface ServerSpanIndex {
  hasServerSpan(traceId: string): boolean;
}

/** A Sink for request samples that keeps only their trace ids (16 bytes + a scenario tag each). */
export interface RequestJoin extends Sink<Pick<RequestSample, 'traceId' | 'scenario'>> {
  /** Distinct trace ids seen. */
  readonly size: number;
  result(store: ServerSpanIndex): JoinResult;
}

const MAX_SCENARIOS = 65_535;

export function createRequestJoin(): RequestJoin {
  const ids = new TraceIdSet();
  const scenarios: string[] = [];
  const scenarioIndex = new Map<string, number>();
  let withoutTraceId = 0;
  return {
    add(sample) {
      let tag = scenarioIndex.get(sample.scenario);
      if (tag === undefined) {
        tag = scenarios.length < MAX_SCENARIOS ? scenarios.length : MAX_SCENARIOS - 1;
        if (scenarios.length < MAX_SCENARIOS) scenarios.push(sample.scenario);
        scenarioIndex.set(sample.scenario, tag);
      }
      if (!ids.add(sample.traceId ?? '', tag)) withoutTraceId++;
    },
    get size() {
      return ids.size;
    },
    result(store) {
      const per = scenarios.map(() => ({ total: 0, joined: 0 }));
      ids.forEach((traceId, tag) => {
        const bucket = per[tag] as { total: number; joined: number };
        bucket.total++;
        if (store.hasServerSpan(traceId)) bucket.joined++;
      });
      const byScenario: Record<string, JoinCounts> = {};
      scenarios.forEach((name, i) => {
        const b = per[i] as { total: number; joined: number };
        byScenario[name] = counts(b.total, b.joined);
      });
      const total = per.reduce((n, b) => n + b.total, 0);
      const joined = per.reduce((n, b) => n + b.joined, 0);
      return { ...counts(total, joined), byScenario, withoutTraceId };
    },
  };
}

/** One-shot join of already collected samples. */
export function joinRequests(samples: Iterable<Pick<RequestSample, 'traceId' | 'scenario'>>, store: ServerSpanIndex): JoinResult {
  const join = createRequestJoin();
  for (const s of samples) join.add(s);
  return join.result(store);
}

function counts(total: number, withServerSpan: number): JoinCounts {
  const missing = total - withServerSpan;
  return { total, withServerSpan, missing, missingFraction: total === 0 ? 0 : missing / total };
}
