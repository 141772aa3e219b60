/** @module core/metrics: maps engine samples onto k6's built-in metrics and tags in a MetricStore. */
import type { CheckSample, RequestSample } from '../sample.js';
import type { ExemplarSlot } from './exemplars.js';
import type { Series } from './series-data.js';
import type { MetricStore } from './store.js';
import type { Tags } from './types.js';

/** The series one kind of request sample lands in (a handle callers may cache per scenario × step × status). */
export interface RequestSeries {
  reqs: Series;
  duration: Series;
  corrected: Series;
  failed: Series;
  sent: Series;
  received: Series;
  blocked: Series;
  connecting: Series;
  tls: Series;
  sending: Series;
  waiting: Series;
  receiving: Series;
  /** The endpoint's exemplar reservoir (scenario × name). */
  exemplars: ExemplarSlot;
}

type Nested = Map<string | number, unknown>;

function level(map: Nested, key: string | number): Nested {
  let next = map.get(key) as Nested | undefined;
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

/** Status codes k6 counts as expected by default (`http.expectedStatuses({ min: 200, max: 399 })`). */
export function isExpectedStatus(status: number): boolean {
  return status >= 200 && status <= 399;
}

/**
 * Records samples with k6 names and tags: `http_reqs`, `http_req_duration` (raw) and `http_req_duration_corrected`
 * (from the scheduled start), the `http_req_*` timing breakdown, `http_req_failed`, `data_sent`/`data_received`,
 * `checks`, `iterations`, `iteration_duration`, `dropped_iterations`, `group_duration`, `vus`, `vus_max`.
 * Request tags: scenario, name, method, status, group, expected_response, plus the sample's own tags.
 * A request is recorded at the second it finished (k6 emits its sample then).
 */
export class MetricRecorder {
  private readonly requestSeries: Nested = new Map();
  private readonly simple: Nested = new Map();
  private readonly iterationSeries = new Map<string, { count: Series; duration: Series; corrected?: Series }>();

  constructor(readonly store: MetricStore) {}

  /**
   * Records one request. `series` is the handle `requestSeriesFor(s)` returned for a sample with the same
   * scenario, name, method, group, status, failed and tags (the engine caches it per step × status).
   */
  recordRequest(s: RequestSample, series: RequestSeries = this.requestSeriesFor(s)): void {
    const at = s.startedAt + s.durationMs;
    series.reqs.add(at, 1);
    series.duration.add(at, s.durationMs);
    series.corrected.add(at, s.correctedDurationMs);
    series.failed.add(at, s.failed ? 1 : 0);
    if (s.traceId) series.exemplars.addSample(s);
    series.sent.add(at, s.bytesSent);
    series.received.add(at, s.bytesReceived);
    const t = s.timings;
    if (t) {
      // Zeros are measurements too (a kept-alive connection has no connect time, plain HTTP no TLS), as in k6.
      series.blocked.add(at, t.blocked);
      series.connecting.add(at, t.connecting);
      series.tls.add(at, t.tlsHandshaking);
      series.sending.add(at, t.sending);
      series.waiting.add(at, t.waiting);
      series.receiving.add(at, t.receiving);
    }
  }

  recordCheck(c: CheckSample, extraTags?: Tags): void {
    this.simpleSeries('checks', { scenario: c.scenario, group: c.group, check: c.name, ...extraTags }).add(c.at, c.ok ? 1 : 0);
  }

  /**
   * One finished iteration of a scenario (k6 `iterations` + `iteration_duration`). With `correctedDurationMs`
   * (from the intended start) it is also recorded in `iteration_duration_corrected`.
   */
  recordIteration(scenario: string, atMs: number, durationMs: number, correctedDurationMs?: number): void {
    let its = this.iterationSeries.get(scenario);
    if (its === undefined) {
      its = { count: this.simpleSeries('iterations', { scenario }), duration: this.simpleSeries('iteration_duration', { scenario }) };
      this.iterationSeries.set(scenario, its);
    }
    its.count.add(atMs, 1);
    its.duration.add(atMs, durationMs);
    if (correctedDurationMs !== undefined) (its.corrected ??= this.simpleSeries('iteration_duration_corrected', { scenario })).add(atMs, correctedDurationMs);
  }

  /**
   * A request codeblue itself aborted in flight (the run was interrupted, halted or ended): counted in
   * `http_reqs_aborted`, and kept out of `http_reqs`, `http_req_duration` and `http_req_failed`.
   */
  recordAborted(scenario: string, atMs: number): void {
    this.simpleSeries('http_reqs_aborted', { scenario }).add(atMs, 1);
  }

  /** An arrival-rate iteration that found no free VU. */
  recordDropped(scenario: string, atMs: number): void {
    this.simpleSeries('dropped_iterations', { scenario }).add(atMs, 1);
  }

  /** A finished group (k6 `group_duration`, tag `group` = `::outer::inner`). */
  recordGroup(scenario: string, group: string, atMs: number, durationMs: number): void {
    this.simpleSeries('group_duration', { scenario, group }).add(atMs, durationMs);
  }

  /** Active and allocated VUs across all scenarios (k6 `vus`, `vus_max`). */
  recordVus(atMs: number, active: number, allocated: number): void {
    this.simpleSeries('vus', {}).add(atMs, active);
    this.simpleSeries('vus_max', {}).add(atMs, allocated);
  }

  private simpleSeries(metric: string, tags: Tags): Series {
    let leaf = level(this.simple, metric);
    for (const k in tags) leaf = level(level(leaf, k), tags[k] as string);
    let s = leaf.get('') as Series | undefined;
    if (s === undefined) {
      s = this.store.series(metric, tags);
      leaf.set('', s);
    }
    return s;
  }

  /** The series a request sample is recorded into (by its scenario, name, method, group, status, failed, tags). */
  requestSeriesFor(s: RequestSample): RequestSeries {
    // Nested maps keyed by the sample's own strings (their hashes are cached), not a concatenated key:
    // this lookup runs once per request.
    const extra = s.tags === undefined ? '' : JSON.stringify(s.tags);
    const expected = s.failed ? 'false' : 'true';
    const leaf = level(level(level(level(level(this.requestSeries, s.scenario), s.name), s.method), s.group), s.status);
    const byTags = level(leaf, expected) as Map<string, RequestSeries>;
    let found = byTags.get(extra);
    if (found === undefined) {
      const tags: Tags = { ...s.tags, scenario: s.scenario, name: s.name, method: s.method, status: String(s.status), group: s.group, expected_response: expected };
      const data: Tags = { scenario: s.scenario, group: s.group };
      const st = this.store;
      found = {
        reqs: st.series('http_reqs', tags),
        duration: st.series('http_req_duration', tags),
        corrected: st.series('http_req_duration_corrected', tags),
        failed: st.series('http_req_failed', tags),
        sent: st.series('data_sent', data),
        received: st.series('data_received', data),
        blocked: st.series('http_req_blocked', tags),
        connecting: st.series('http_req_connecting', tags),
        tls: st.series('http_req_tls_handshaking', tags),
        sending: st.series('http_req_sending', tags),
        waiting: st.series('http_req_waiting', tags),
        receiving: st.series('http_req_receiving', tags),
        exemplars: st.exemplars.slot(s.scenario, s.name),
      };
      byTags.set(extra, found);
    }
    return found;
  }
}
