/**
 * @module reports/evaluate: k6 thresholds evaluated here from the load query (not taken from the live engine),
 * over the whole run as k6 does; per-phase values are added to the message as information only.
 */
import { formatDuration } from '../../core/index.js';
import { TIME_METRICS, type Aggregate } from '../../core/metrics/index.js';
import { compare, OWN_METRIC_TAGS, type ThresholdExpression } from '../../core/threshold.js';
import type { Verdict } from '../results/types.js';
import type { CheckOutcome, LoadFilter, LoadQuery, ThresholdInput, WindowStats } from './input.js';
import type { Scope } from './scopes.js';

const TREND_TAGS = new Set(['scenario', 'name', 'status', 'expected_response']);

type Observation = { readonly value: number | null } | { readonly error: string };

function loadFilter(tags: Readonly<Record<string, string>>, s: Scope): LoadFilter | string {
  const unknown = Object.keys(tags).filter((t) => !TREND_TAGS.has(t));
  if (unknown.length) return `tag(s) ${unknown.join(', ')} are not recorded; use scenario, name, status or expected_response`;
  return {
    fromMs: s.startMs, toMs: s.endMs, scenario: tags.scenario, name: tags.name,
    status: tags.status === undefined ? undefined : Number(tags.status),
    expectedResponse: tags.expected_response === undefined ? undefined : tags.expected_response === 'true',
  };
}

function trend(e: ThresholdExpression, w: WindowStats): number | null {
  if (w.count === 0) return null;
  switch (e.aggregation) {
    case 'avg': return w.latency.avg;
    case 'min': return w.latency.min;
    case 'max': return w.latency.max;
    case 'med': return w.latency.p(50);
    case 'p': return w.latency.p(e.percentile ?? 50);
    default: return null;
  }
}

/** The observed value of one expression in one scope. */
function observe(metric: string, tags: Readonly<Record<string, string>>, e: ThresholdExpression, s: Scope, input: ObserveInput): Observation {
  if (metric === 'checks') {
    const rows = input.checks.filter((c) => (tags.scenario === undefined || c.scenario === tags.scenario) && (tags.check === undefined || c.name === tags.check));
    const all = rows.reduce((n, c) => n + c.passes + c.fails, 0);
    return { value: all === 0 ? null : rows.reduce((n, c) => n + c.passes, 0) / all };
  }
  const seconds = Math.max(0.001, (s.endMs - s.startMs) / 1000);
  // codeblue's own metrics carry their own tags (plan validation refuses others): read from the store with the
  // filter, as `codeblue load` reads them, never dropped silently.
  if (OWN_METRIC_TAGS[metric] !== undefined && Object.keys(tags).length > 0) return kept(metric, tags, e, s, input.load, seconds);
  const f = loadFilter(tags, s);
  if (typeof f === 'string') return { error: f };
  switch (metric) {
    case 'http_req_duration': return { value: trend(e, input.load.window(f)) };
    case 'auth_token_duration':
    case 'auth_token_failed':
    case 'hl7_msg_duration':
    case 'hl7_msg_failed':
    case 'hl7_msgs': {
      const w = input.load.authWindow?.(metric === 'hl7_msgs' ? 'hl7_msg_duration' : metric, s.startMs, s.endMs);
      if (w === undefined) return { error: `metric ${metric} is not kept by this load source` };
      if (metric === 'hl7_msgs') return { value: e.aggregation === 'rate' ? w.count / seconds : w.count };
      if (metric === 'auth_token_duration' || metric === 'hl7_msg_duration') return { value: trend(e, w) };
      return { value: w.count === 0 ? null : w.failed / w.count };
    }
    case 'http_req_duration_corrected': return { value: trend(e, input.load.window({ ...f, latencyFrom: 'intended' })) };
    case 'http_req_failed': {
      const w = input.load.window(f);
      return { value: w.count === 0 ? null : w.failed / w.count };
    }
    case 'http_reqs': {
      const n = input.load.window(f).count;
      return { value: e.aggregation === 'rate' ? n / seconds : n };
    }
    case 'dropped_iterations': {
      const n = input.load.perSecond({ scenario: f.scenario })
        .filter((r) => r.startMs >= s.startMs && r.startMs < s.endMs)
        .reduce((sum, r) => sum + (r.droppedIterations ?? 0), 0);
      return { value: e.aggregation === 'rate' ? n / seconds : n };
    }
    default: return kept(metric, tags, e, s, input.load, seconds);
  }
}

/** Any metric the source kept, filtered by tags and aggregated by its k6 type. */
function kept(metric: string, tags: Readonly<Record<string, string>>, e: ThresholdExpression, s: Scope, load: LoadQuery, seconds: number): Observation {
  const a = load.metric?.(metric, s.startMs, s.endMs, tags);
  if (a === undefined) return { error: `metric ${metric} is not kept by this load source; thresholds can use http_req_duration, http_req_duration_corrected, http_req_failed, http_reqs, dropped_iterations or checks` };
  return { value: aggregated(e, a, seconds) };
}

/** A kept metric's value for one expression, as k6 aggregates its type; null (no data) when nothing was recorded. */
function aggregated(e: ThresholdExpression, a: Aggregate, seconds: number): number | null {
  if (a.samples === 0) return null;
  switch (e.aggregation) {
    case 'avg': return a.avg;
    case 'min': return a.min;
    case 'max': return a.max;
    case 'med': return a.type === 'trend' ? a.percentile(50) : a.med;
    case 'p': return a.percentile(e.percentile ?? 50);
    case 'count': return a.count;
    case 'rate': return a.type === 'counter' ? a.count / seconds : a.rate;
    case 'value': return a.value;
    default: return null;
  }
}

interface ObserveInput {
  readonly load: LoadQuery;
  readonly checks: readonly CheckOutcome[];
}

const shown = (metric: string, v: number | null): string =>
  v === null ? 'no data' : TIME_METRICS.has(metric) ? formatDuration(v) : Number.isInteger(v) ? String(v) : v.toFixed(4);

/** One verdict per key × expression. A key without data passes (k6 does the same). */
export function evaluateThresholds(thresholds: readonly ThresholdInput[], scopes: readonly Scope[], input: ObserveInput): Verdict[] {
  const run = scopes.find((s) => s.scope === 'run') as Scope;
  const phases = scopes.filter((s) => s.scope !== 'run');
  return thresholds.flatMap((t) => t.expressions.map(({ expression: e }): Verdict => {
    const name = `${t.key.source}: ${e.source}`;
    const o = observe(t.key.metric, t.key.tags, e, run, input);
    if ('error' in o) return { kind: 'threshold', name, phase: null, pass: false, observed: null, expected: e.source, message: o.error };
    const label = e.aggregation === 'p' ? `p(${e.percentile})` : e.aggregation;
    const pass = o.value === null || compare(o.value, e.op, e.value);
    const perPhase = phases
      .map((s) => {
        const p = observe(t.key.metric, t.key.tags, e, s, input);
        return 'value' in p && p.value !== null ? `${s.label} ${shown(t.key.metric, p.value)}` : null;
      })
      .filter((x): x is string => x !== null);
    const detail = perPhase.length ? ` (${perPhase.join(' · ')})` : '';
    return {
      kind: 'threshold', name, phase: null, pass, observed: o.value, expected: e.source,
      message: o.value === null ? `${label}: no samples, passes as in k6` : `${label}=${shown(t.key.metric, o.value)}${pass ? '' : `, limit ${e.op} ${e.value}`}${detail}`,
    };
  }));
}
