/**
 * @module collectors/metrics: live metrics of a run — fed by the load engine's samples, fault events, phase
 * changes and received spans — rendered in Prometheus text format for `/metrics`.
 */
import type { CheckSample, FaultEvent, RequestSample, Sink } from '../../core/index.js';
import type { SpanRecord } from '../otlp/types.js';
import { LatencySketch } from '../store/latency-sketch.js';
import type { MetricStore } from '../../core/metrics/index.js';
import { durationBucketsSeconds, METRIC_CATALOGUE, TREND_STATS, type MetricName, type TrendStat } from '../../core/metric-catalogue.js';
import { Family, type BucketExemplar, type ExpositionFormat } from './exposition.js';
import { loadStoreView } from './store-view.js';

export interface MetricsRegistryOptions {
  /** The run id, set as `run` and `testid` on every series. */
  readonly runId: string;
  /** Series kept per metric (default 5000); more are counted in codeblue_metrics_dropped_series_total. */
  readonly maxSeriesPerMetric?: number;
  /**
   * Latencies (ms) that get a histogram bucket of their own besides the defaults: the plan's SLO latency
   * thresholds and threshold-expression bounds, so burn-rate queries count good events at the exact threshold.
   */
  readonly latencyBoundsMs?: readonly number[];
}

export interface MetricsRegistry {
  readonly runId: string;
  /** Sinks the engine can write into directly. */
  readonly requests: Sink<RequestSample>;
  readonly checks: Sink<CheckSample>;
  recordRequest(sample: RequestSample): void;
  recordCheck(sample: CheckSample): void;
  setVus(active: number, max?: number): void;
  addIterations(scenario: string, count?: number): void;
  addDroppedIterations(scenario: string, count?: number): void;
  /** Marks `name` as the current phase (1) and earlier phases 0. */
  setPhase(name: string): void;
  recordFault(event: FaultEvent): void;
  recordSpan(span: SpanRecord): void;
  /**
   * Exposes the load's `vus`, `vus_max`, `iterations`, `dropped_iterations`, `iteration_duration` and
   * `http_req_{blocked,connecting,tls_handshaking,sending,waiting,receiving}` from `store` at every render.
   */
  followStore(store: MetricStore): void;
  /** Upper bounds (seconds) of every duration histogram's buckets. */
  readonly bucketsSeconds: readonly number[];
  /** The current value of one series (counters/gauges; histograms: the count). undefined when absent. */
  valueOf(metric: MetricName, labels: Readonly<Record<string, string>>): number | undefined;
  /** The receiver's memory figures (limits cut, bytes held, records spilled or dropped), set before each render. */
  setOtlpMemory(figures: OtlpMemoryFigures): void;
  /** Calls `refresh` before every render (e.g. to copy store figures in). */
  onRender(refresh: () => void): void;
  /**
   * Prometheus text exposition format 0.0.4, or OpenMetrics 1.0.0 with exemplars (the trace id of the latest request
   * in each latency bucket) when `format` is `openmetrics`.
   */
  render(format?: ExpositionFormat): string;
}

export interface OtlpMemoryFigures {
  readonly limited: Readonly<Record<'truncatedValues' | 'droppedAttributes' | 'droppedEvents' | 'droppedLinks', number>>;
  /** Per signal: traces, logs, metrics. */
  readonly stores: Readonly<Record<string, { readonly bytesInMemory: number; readonly onDisk: number; readonly dropped: number }>>;
}

export function createMetricsRegistry(options: MetricsRegistryOptions): MetricsRegistry {
  const max = options.maxSeriesPerMetric ?? 5000;
  const families = new Map<string, Family>();
  const buckets = durationBucketsSeconds(options.latencyBoundsMs);
  for (const def of METRIC_CATALOGUE) {
    families.set(def.name, new Family(def, def.name === 'codeblue_metrics_dropped_series_total' ? Infinity : max, def.type === 'histogram' ? buckets : []));
  }
  const f = (name: MetricName): Family => families.get(name) as Family;
  const failedRate = new Map<string, { failed: number; total: number }>();
  const checkRate = new Map<string, { passed: number; total: number }>();
  /** Request durations per request label set, for the k6 trend-stat gauges (filled in at render time). */
  const trends = new Map<string, { labels: string[]; sketch: LatencySketch }>();
  const common = [['run', options.runId], ['testid', options.runId]] as const;
  const refreshers: Array<() => void> = [];
  let copyLoadStore: ((family: (name: MetricName) => Family) => void) | undefined;
  const refreshTrends = (): void => {
    copyLoadStore?.(f);
    for (const { labels, sketch } of trends.values()) {
      for (const stat of TREND_STATS) f(`k6_http_req_duration_${stat}`).set(labels, trendValue(sketch, stat) / 1000);
    }
  };

  const recordRequest = (s: RequestSample): void => {
    const status = String(s.status);
    const expected = String(!s.failed);
    const reqLabels = [s.scenario, s.name, s.method, status, expected];
    f('k6_http_reqs_total').inc(reqLabels);
    // Exemplar timestamps are the observation time (the request just finished), as client libraries set them.
    const nowSec = Date.now() / 1000;
    const example = (seconds: number): BucketExemplar | undefined => (s.traceId ? { traceId: s.traceId, value: seconds, timestampSec: nowSec } : undefined);
    f('k6_http_req_duration_seconds').observe(reqLabels, s.durationMs / 1000, example(s.durationMs / 1000));
    f('k6_http_req_duration_corrected_seconds').observe(reqLabels, s.correctedDurationMs / 1000, example(s.correctedDurationMs / 1000));
    if (trends.size < max || trends.has(reqLabels.join('\u0000'))) {
      bump(trends, reqLabels.join('\u0000'), () => ({ labels: reqLabels, sketch: new LatencySketch({ dense: true }) })).sketch.add(s.durationMs);
    }
    if (s.failed) f('k6_http_req_failed_total').inc([s.scenario, s.name, s.method, status]);
    const key = [s.scenario, s.name, s.method];
    const r = bump(failedRate, key.join('\u0000'), () => ({ failed: 0, total: 0 }));
    r.total++;
    if (s.failed) r.failed++;
    f('k6_http_req_failed_rate').set(key, r.failed / r.total);
    f('k6_data_sent_total').inc([s.scenario], s.bytesSent);
    f('k6_data_received_total').inc([s.scenario], s.bytesReceived);
  };
  const recordCheck = (c: CheckSample): void => {
    f('k6_checks_total').inc([c.scenario, c.name, c.ok ? 'pass' : 'fail']);
    const r = bump(checkRate, `${c.scenario}\u0000${c.name}`, () => ({ passed: 0, total: 0 }));
    r.total++;
    if (c.ok) r.passed++;
    f('k6_checks_rate').set([c.scenario, c.name], r.passed / r.total);
  };

  return {
    runId: options.runId,
    bucketsSeconds: buckets,
    followStore: (store) => void (copyLoadStore = loadStoreView(store)),
    requests: { add: recordRequest },
    checks: { add: recordCheck },
    recordRequest,
    recordCheck,
    setVus(active, maxVus) {
      f('k6_vus').set([], active);
      if (maxVus !== undefined) f('k6_vus_max').set([], maxVus);
    },
    addIterations: (scenario, count = 1) => f('k6_iterations_total').inc([scenario], count),
    addDroppedIterations: (scenario, count = 1) => f('k6_dropped_iterations_total').inc([scenario], count),
    setPhase(name) {
      const phase = f('codeblue_phase');
      for (const s of phase.series.values()) s.value = 0;
      phase.set([name], 1);
    },
    recordFault(e) {
      f('codeblue_fault_active').set([e.proxy, e.toxic], e.action === 'on' && e.outcome === 'ok' ? 1 : 0);
    },
    recordSpan(span) {
      f('codeblue_span_duration_seconds').observe([span.service, span.name], span.durationMs / 1000);
      if (span.status.code === 2) f('codeblue_span_errors_total').inc([span.service, span.name]);
    },
    valueOf(metric, labels) {
      refreshTrends();
      const fam = f(metric);
      const key = fam.def.labels.map((l) => labels[l] ?? '').join('\u0000');
      const s = fam.series.get(key);
      return s === undefined ? undefined : fam.def.type === 'histogram' ? s.count : s.value;
    },
    setOtlpMemory({ limited, stores }) {
      f('codeblue_otlp_limited_total').set(['truncated_values'], limited.truncatedValues);
      f('codeblue_otlp_limited_total').set(['dropped_attributes'], limited.droppedAttributes);
      f('codeblue_otlp_limited_total').set(['dropped_events'], limited.droppedEvents);
      f('codeblue_otlp_limited_total').set(['dropped_links'], limited.droppedLinks);
      for (const [signal, s] of Object.entries(stores)) {
        f('codeblue_otlp_memory_bytes').set([signal], s.bytesInMemory);
        f('codeblue_otlp_spilled_total').set([signal], s.onDisk);
        f('codeblue_otlp_dropped_total').set([signal], s.dropped);
      }
    },
    onRender: (refresh) => void refreshers.push(refresh),
    render(format = 'text') {
      for (const refresh of refreshers) refresh();
      refreshTrends();
      const dropped = f('codeblue_metrics_dropped_series_total');
      for (const fam of families.values()) if (fam.droppedSeries > 0) dropped.set([fam.def.name], fam.droppedSeries);
      let out = '';
      for (const fam of families.values()) out += fam.render(common, format);
      return format === 'openmetrics' ? `${out}# EOF\n` : out;
    },
  };
}

function trendValue(s: LatencySketch, stat: TrendStat): number {
  switch (stat) {
    case 'min': return s.min;
    case 'max': return s.max;
    case 'avg': return s.sum / s.count;
    case 'med': return s.quantile(0.5);
    case 'p90': return s.quantile(0.9);
    case 'p95': return s.quantile(0.95);
    case 'p99': return s.quantile(0.99);
  }
}

function bump<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}
