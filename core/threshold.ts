/** @module core: k6 threshold syntax — metric keys with tag filters, and `p(95)<300`-style expressions. */

/** The aggregations k6 allows in a threshold expression. */
export type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'p' | 'rate' | 'count' | 'value';
export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** One parsed expression, e.g. `p(95)<300` → { aggregation: 'p', percentile: 95, op: '<', value: 300 }. */
export interface ThresholdExpression {
  readonly source: string;
  readonly aggregation: Aggregation;
  /** Set only for `p(N)`; 0–100. */
  readonly percentile?: number;
  readonly op: Comparison;
  readonly value: number;
}

/** A metric key such as `http_req_duration{scenario:clinicians,status:200}`. */
export interface MetricKey {
  readonly source: string;
  readonly metric: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** k6's metric types, which decide the aggregations a threshold may use. */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** k6's built-in metrics that codeblue records, with their types. */
export const BUILTIN_METRICS: Readonly<Record<string, MetricType>> = {
  http_reqs: 'counter',
  http_req_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_sending: 'trend',
  http_req_waiting: 'trend',
  http_req_receiving: 'trend',
  http_req_failed: 'rate',
  iteration_duration: 'trend',
  iterations: 'counter',
  group_duration: 'trend',
  checks: 'rate',
  vus: 'gauge',
  vus_max: 'gauge',
  data_sent: 'counter',
  data_received: 'counter',
  dropped_iterations: 'counter',
};

/** codeblue's own metrics a plan may set thresholds on: token fetches of `auth` (the k6 export records them too). */
export const AUTH_METRICS: Readonly<Record<string, MetricType>> = {
  auth_token_duration: 'trend',
  auth_token_failed: 'rate',
};

/** codeblue's HL7 v2 / MLLP step metrics (embedded engine only; the k6 export leaves their thresholds out). */
export const HL7_METRICS: Readonly<Record<string, MetricType>> = {
  hl7_msgs: 'counter',
  hl7_msg_duration: 'trend',
  hl7_msg_failed: 'rate',
};

const HL7_TAGS = ['scenario', 'name', 'group', 'ack', 'error'] as const;
const AUTH_TAGS = ['auth', 'source', 'error'] as const;

/**
 * The tags codeblue's own metrics carry (besides a scenario's own `tags`, which HL7 messages inherit): a threshold
 * filter on any other tag could never match, so plan validation refuses it instead of letting it pass on no data.
 */
export const OWN_METRIC_TAGS: Readonly<Record<string, readonly string[]>> = {
  hl7_msgs: HL7_TAGS, hl7_msg_duration: HL7_TAGS, hl7_msg_failed: HL7_TAGS,
  auth_token_duration: AUTH_TAGS, auth_token_failed: AUTH_TAGS,
};

/** Which aggregations each metric type allows (k6 docs, "Threshold syntax"). */
export const AGGREGATIONS_BY_TYPE: Readonly<Record<MetricType, readonly Aggregation[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

const EXPRESSION = /^\s*(avg|min|max|med|rate|count|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;
const METRIC_KEY = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\{([^{}]*)\})?\s*$/;

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * Parses a threshold expression in k6's grammar `<aggregation> <operator> <number>`.
 * @example parseThresholdExpression('p(99.9)<2000')
 */
export function parseThresholdExpression(source: string): ParseResult<ThresholdExpression> {
  const m = EXPRESSION.exec(source);
  if (!m) {
    return {
      ok: false,
      message: `"${source}" is not a threshold expression; expected <aggregation> <operator> <number>, e.g. "p(95)<300" or "rate<0.01"`,
    };
  }
  const head = (m[1] as string).toLowerCase();
  const isPercentile = head.startsWith('p(');
  const percentile = isPercentile ? Number(m[2]) : undefined;
  if (percentile !== undefined && (percentile < 0 || percentile > 100)) {
    return { ok: false, message: `percentile ${percentile} in "${source}" is outside 0–100` };
  }
  const value: ThresholdExpression = {
    source: source.trim(),
    aggregation: (isPercentile ? 'p' : head) as Aggregation,
    op: m[3] as Comparison,
    value: Number(m[4]),
    ...(percentile === undefined ? {} : { percentile }),
  };
  return { ok: true, value };
}

/**
 * Parses a threshold key: a metric name with an optional `{tag:value,…}` filter (k6 sub-metric).
 * @example parseMetricKey('http_req_duration{scenario:clinicians}')
 */
export function parseMetricKey(source: string): ParseResult<MetricKey> {
  const m = METRIC_KEY.exec(source);
  if (!m) return { ok: false, message: `"${source}" is not a metric key; expected name or name{tag:value}` };
  const tags: Record<string, string> = {};
  const filter = m[2]?.trim();
  if (filter) {
    for (const pair of filter.split(',')) {
      const idx = pair.indexOf(':');
      const key = pair.slice(0, idx).trim();
      if (idx <= 0 || key === '') {
        return { ok: false, message: `tag filter "${pair.trim()}" in "${source}" must be tag:value` };
      }
      tags[key] = pair.slice(idx + 1).trim();
    }
  }
  return { ok: true, value: { source: source.trim(), metric: m[1] as string, tags } };
}

/** Applies a comparison the way k6 does (`==` and `===` are equal). */
export function compare(observed: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '<': return observed < limit;
    case '<=': return observed <= limit;
    case '>': return observed > limit;
    case '>=': return observed >= limit;
    case '==':
    case '===': return observed === limit;
    case '!=': return observed !== limit;
  }
}
