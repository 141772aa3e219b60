/**
 * @module collectors: joins the load generator's requests (by the trace id each sent in `traceparent`)
 * to the server spans that arrived, and counts the requests the stack never traced.
 */
import type { RequestSample, Sink } from '../core/index.js';
import { DEFAULT_PHASE } from './store/phase-timeline.js';
import { RecentTraceIds } from './store/recent-trace-ids.js';
import type { TraceIdSet } from './store/trace-id-set.js';

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
  /**
   * The span store the requests are joined to while the run goes (a game day passes its own): then only the latest
   * JOIN_GENERATION to 2 × JOIN_GENERATION requests are held, older ones are looked up and counted, and memory
   * stays flat. Without it every id is held until `result`.
   */
  readonly servers?: ServerSpanIndex;
}

/**
 * Requests per generation when joining as the run goes. A request is looked up once 30 000 to 60 000 later
 * requests were sent (100 s or more at 300 requests/s), long after its trace's spans arrived (exporters batch for
 * seconds), and within the span store's own memory of server traces (SERVER_TRACE_MEMORY, four times this: room for
 * probes and the ledger's read-backs). A generation fits a 2^16-slot TraceIdSet (1.2 MB).
 */
export const JOIN_GENERATION = 30_000;

/**
 * A Sink for request samples that keeps only their trace ids (16 bytes + a 16-bit scenario×phase tag each; with
 * `servers`, only those of the latest requests). Ask for `result` after the receiver has closed: spans arrive
 * seconds after their requests (batching).
 */
export interface RequestJoin extends Sink<JoinSample> {
  /** Distinct trace ids seen (with `servers`, an id seen again after its generation was counted counts again). */
  readonly size: number;
  result(store: ServerSpanIndex): JoinResult;
}

const MAX_GROUPS = 65_535;

export function createRequestJoin(options: RequestJoinOptions = {}): RequestJoin {
  /** Distinct (scenario, phase) pairs; a tag is an index in here. */
  const groups: { scenario: string; phase: string }[] = [];
  /** Per tag: requests counted already (their generation was retired), and those of them with a server span. */
  const counted: { total: number; joined: number }[] = [];
  const groupIndex = new Map<string, number>();
  const countInto = (into: { total: number; joined: number }[], set: Pick<TraceIdSet, 'forEach'>, store: ServerSpanIndex): void => {
    set.forEach((traceId, tag) => {
      const bucket = into[tag] as { total: number; joined: number };
      bucket.total++;
      if (store.hasServerSpan(traceId)) bucket.joined++;
    });
  };
  const servers = options.servers;
  const ids = servers
    ? new RecentTraceIds(JOIN_GENERATION, (retired) => countInto(counted, retired, servers))
    : new RecentTraceIds(Number.POSITIVE_INFINITY);
  let withoutTraceId = 0;
  return {
    add(sample) {
      const phase = options.phaseOf ? options.phaseOf(sample) : DEFAULT_PHASE;
      const key = `${sample.scenario}\u0000${phase}`;
      let tag = groupIndex.get(key);
      if (tag === undefined) {
        tag = groups.length < MAX_GROUPS ? groups.length : MAX_GROUPS - 1;
        if (groups.length < MAX_GROUPS) {
          groups.push({ scenario: sample.scenario, phase });
          counted.push({ total: 0, joined: 0 });
        }
        groupIndex.set(key, tag);
      }
      if (!ids.add(sample.traceId ?? '', tag)) withoutTraceId++;
    },
    get size() {
      return ids.added;
    },
    result(store) {
      const per = counted.map((c) => ({ ...c }));
      countInto(per, ids, store);
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
