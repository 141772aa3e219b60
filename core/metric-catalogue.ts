/**
 * @module core: every metric codeblue exposes on `/metrics`, as data — the contract between collectors/ (which
 * serves them) and dashboards/ (which builds its PromQL from these names). k6 names follow k6's Prometheus remote-write output (k6 docs,
 * results-output/real-time/prometheus-remote-write): `k6_` prefix, counters `_total`, rates `_rate`,
 * trends as `_seconds` histograms (k6's native-histogram mode; text format 0.0.4 carries classic buckets).
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  /** Labels besides `run` and `testid`, which every series carries (both = the run id). */
  readonly labels: readonly string[];
  readonly help: string;
  /** 'k6' = same name and meaning as k6's Prometheus output; 'codeblue' = codeblue's own. */
  readonly origin: 'k6' | 'codeblue';
}

/** Labels on every series: `run` (codeblue) and `testid` (what k6's Grafana dashboards 19665/18030 filter on). */
export const COMMON_LABELS = ['run', 'testid'] as const;

const REQUEST_LABELS = ['scenario', 'name', 'method', 'status', 'expected_response'] as const;
/** Labels of the HL7 series of `mllp` steps (MSA-1 as `ack`, empty when there was no ACK). */
const HL7_LABELS = ['scenario', 'name', 'ack'] as const;

/**
 * Trend statistics exposed as gauges the way k6's remote-write output does without native histograms
 * (K6_PROMETHEUS_RW_TREND_STATS): `k6_http_req_duration_<stat>`, seconds, since the start of the run.
 * k6's own Grafana dashboard 19665 queries these.
 */
export const TREND_STATS = ['min', 'max', 'avg', 'med', 'p90', 'p95', 'p99'] as const;
export type TrendStat = (typeof TREND_STATS)[number];

/** Upper bounds (seconds) of the classic histogram buckets of request and span durations. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The default bounds plus `extraMs` (a plan's SLO and threshold latencies), in seconds, sorted, without repeats:
 * a bucket at a latency objective's own threshold counts its good events exactly.
 * @example durationBucketsSeconds([2000, 300]) // [0.005, …, 0.25, 0.3, 0.5, 1, 2, 2.5, …]
 */
export function durationBucketsSeconds(extraMs: readonly number[] = []): readonly number[] {
  const extra = extraMs.filter((ms) => Number.isFinite(ms) && ms > 0).map(secondsOf);
  return [...new Set([...DURATION_BUCKETS_SECONDS, ...extra])].sort((a, b) => a - b);
}

/** ms → seconds, rounded to the µs so 300 ms is 0.3 (not 0.30000000000000004) in `le` labels and PromQL alike. */
export function secondsOf(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

/**
 * One k6 Trend read from the run's MetricStore at scrape time: a `k6_<metric>_seconds` histogram and the
 * `k6_<metric>_<stat>` gauges, the way `k6_http_req_duration` is exposed.
 */
function trendFamily<const M extends string>(metric: M, labels: readonly string[], what: string) {
  return [
    { name: `k6_${metric}_seconds` as `k6_${M}_seconds`, type: 'histogram' as const, labels, origin: 'k6' as const, help: `${what} (k6 ${metric}), seconds.` },
    ...TREND_STATS.map((stat) => ({
      name: `k6_${metric}_${stat}` as `k6_${M}_${TrendStat}`, type: 'gauge' as const, labels, origin: 'k6' as const,
      help: `${what} since the start, seconds (k6 ${metric} trend stat ${stat}).`,
    })),
  ];
}

/** k6 Trends exposed from the MetricStore (store metric → labels); see `trendFamily`. */
export const STORE_TRENDS = [
  { metric: 'iteration_duration', labels: ['scenario'] },
  ...(['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'] as const)
    .map((metric) => ({ metric, labels: REQUEST_LABELS })),
  { metric: 'hl7_msg_duration', labels: HL7_LABELS },
] as const satisfies readonly { readonly metric: string; readonly labels: readonly string[] }[];

export const METRIC_CATALOGUE = [
  { name: 'k6_http_reqs_total', type: 'counter', labels: REQUEST_LABELS, origin: 'k6', help: 'HTTP requests made (k6 http_reqs).' },
  { name: 'k6_http_req_duration_seconds', type: 'histogram', labels: REQUEST_LABELS, origin: 'k6', help: 'HTTP request duration, sending+waiting+receiving (k6 http_req_duration), seconds.' },
  { name: 'k6_http_req_duration_min', type: 'gauge', labels: REQUEST_LABELS, origin: 'k6', help: 'Minimum HTTP request duration since the start, seconds (k6 trend stat min).' },
  { name: 'k6_http_req_duration_max', type: 'gauge', labels: REQUEST_LABELS, origin: 'k6', help: 'Maximum HTTP request duration since the start, seconds (k6 trend stat max).' },
  { name: 'k6_http_req_duration_avg', type: 'gauge', labels: REQUEST_LABELS, origin: 'k6', help: 'Mean HTTP request duration since the start, seconds (k6 trend stat avg).' },
  { name: 'k6_http_req_duration_med', type: 'gauge', labels: REQUEST_LABELS, origin: 'k6', help: 'Median HTTP request duration since the start, seconds (k6 trend stat med; ±1 %).' },
  { name: 'k6_http_req_duration_p90', type: 'gauge', labels: REQUEST_LABELS, origin: 'k6', help: '90th percentile HTTP request duration since the start, seconds (k6 trend stat p(90); ±1 %).' },
  { name: 'k6_http_req_duration_p95', type: 'gauge', labels: REQUEST_LABELS, origin: 'k6', help: '95th percentile HTTP request duration since the start, seconds (k6 trend stat p(95); ±1 %).' },
  { name: 'k6_http_req_duration_p99', type: 'gauge', labels: REQUEST_LABELS, origin: 'k6', help: '99th percentile HTTP request duration since the start, seconds (k6 trend stat p(99); ±1 %).' },
  { name: 'k6_http_req_duration_corrected_seconds', type: 'histogram', labels: REQUEST_LABELS, origin: 'codeblue', help: 'HTTP request duration from its intended start (codeblue http_req_duration_corrected: coordinated omission corrected), seconds.' },
  { name: 'k6_http_req_failed_rate', type: 'gauge', labels: ['scenario', 'name', 'method'], origin: 'k6', help: 'Fraction of failed HTTP requests since the start (k6 http_req_failed).' },
  { name: 'k6_http_req_failed_total', type: 'counter', labels: ['scenario', 'name', 'method', 'status'], origin: 'codeblue', help: 'Failed HTTP requests (status >= 400 or no response), for rate() over windows.' },
  { name: 'k6_data_sent_total', type: 'counter', labels: ['scenario'], origin: 'k6', help: 'Bytes sent (k6 data_sent).' },
  { name: 'k6_data_received_total', type: 'counter', labels: ['scenario'], origin: 'k6', help: 'Bytes received (k6 data_received).' },
  { name: 'k6_checks_rate', type: 'gauge', labels: ['scenario', 'check'], origin: 'k6', help: 'Fraction of passed checks since the start (k6 checks).' },
  { name: 'k6_checks_total', type: 'counter', labels: ['scenario', 'check', 'result'], origin: 'codeblue', help: 'Check results by result="pass"|"fail".' },
  { name: 'k6_vus', type: 'gauge', labels: [], origin: 'k6', help: 'Active virtual users (k6 vus).' },
  { name: 'k6_vus_max', type: 'gauge', labels: [], origin: 'k6', help: 'Allocated virtual users (k6 vus_max).' },
  { name: 'k6_iterations_total', type: 'counter', labels: ['scenario'], origin: 'k6', help: 'Completed iterations (k6 iterations).' },
  { name: 'k6_dropped_iterations_total', type: 'counter', labels: ['scenario'], origin: 'k6', help: 'Iterations not started for lack of VUs or time (k6 dropped_iterations).' },
  ...trendFamily('iteration_duration', ['scenario'], 'Duration of a complete iteration'),
  ...trendFamily('http_req_blocked', REQUEST_LABELS, 'Time waiting for a free connection slot before the request'),
  ...trendFamily('http_req_connecting', REQUEST_LABELS, 'TCP connect time of a new connection, 0 on a reused one'),
  ...trendFamily('http_req_tls_handshaking', REQUEST_LABELS, 'TLS handshake time of a new https connection, 0 on plain HTTP or a reused one'),
  ...trendFamily('http_req_sending', REQUEST_LABELS, 'Time writing the request to the socket'),
  ...trendFamily('http_req_waiting', REQUEST_LABELS, 'Time from the request sent to the response headers (TTFB)'),
  ...trendFamily('http_req_receiving', REQUEST_LABELS, 'Time from the response headers to the last body byte'),
  { name: 'k6_hl7_msgs_total', type: 'counter', labels: HL7_LABELS, origin: 'codeblue', help: 'HL7 v2 messages sent by mllp steps (codeblue hl7_msgs), by ACK code.' },
  { name: 'k6_hl7_msg_failed_total', type: 'counter', labels: ['scenario', 'name'], origin: 'codeblue', help: 'HL7 v2 messages not acknowledged AA/CA (AE, AR, timeout, garbage), for rate() over windows.' },
  ...trendFamily('hl7_msg_duration', HL7_LABELS, 'Round trip of an HL7 v2 message to its ACK'),
  { name: 'codeblue_phase', type: 'gauge', labels: ['phase'], origin: 'codeblue', help: '1 for the current game-day phase, 0 for the phases before it.' },
  { name: 'codeblue_fault_active', type: 'gauge', labels: ['proxy', 'toxic'], origin: 'codeblue', help: '1 while a fault (toxic on a proxy) is switched on, else 0.' },
  { name: 'codeblue_span_duration_seconds', type: 'histogram', labels: ['service', 'span'], origin: 'codeblue', help: 'Duration of spans received over OTLP, seconds.' },
  { name: 'codeblue_span_errors_total', type: 'counter', labels: ['service', 'span'], origin: 'codeblue', help: 'Spans received with status ERROR.' },
  // Receiver memory (limits): what the OTLP receiver cut, and what its byte-capped store holds, spilled or dropped.
  { name: 'codeblue_otlp_limited_total', type: 'counter', labels: ['what'], origin: 'codeblue', help: 'Parts of received records cut by the attribute limits: what="truncated_values"|"dropped_attributes"|"dropped_events"|"dropped_links".' },
  { name: 'codeblue_otlp_memory_bytes', type: 'gauge', labels: ['signal'], origin: 'codeblue', help: 'Estimated bytes of received records held in memory, per signal (traces, logs, metrics).' },
  { name: 'codeblue_otlp_spilled_total', type: 'counter', labels: ['signal'], origin: 'codeblue', help: 'Received records moved from memory to the run folder past the memory cap.' },
  { name: 'codeblue_otlp_dropped_total', type: 'counter', labels: ['signal'], origin: 'codeblue', help: 'Received records dropped from memory past the memory cap (no run folder to spill to).' },
  { name: 'codeblue_metrics_dropped_series_total', type: 'counter', labels: ['metric'], origin: 'codeblue', help: 'Label sets not recorded because a metric reached its series limit.' },
] as const satisfies readonly MetricDefinition[];

export type MetricName = (typeof METRIC_CATALOGUE)[number]['name'];
