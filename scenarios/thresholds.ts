/** @module scenarios: k6 thresholds over the MetricStore — validation before the run, live abortOnFail, final verdicts. */
import { CodeblueError } from '../core/errors.js';
import type { Aggregate, MetricStore } from '../core/metrics/index.js';
import { AGGREGATIONS_BY_TYPE, compare, parseMetricKey, parseThresholdExpression, type MetricKey, type ThresholdExpression } from '../core/threshold.js';

/** A threshold as the plan loader resolves it (one metric key, one or more expressions). */
export interface ResolvedThreshold {
  readonly key: MetricKey;
  readonly expressions: readonly { readonly expression: ThresholdExpression; readonly abortOnFail: boolean; readonly delayAbortEvalMs: number }[];
}

/** The verdict of one expression. `observed` is in the metric's unit (ms for time trends). */
export interface ThresholdResult {
  readonly key: string;
  readonly metric: string;
  readonly expression: string;
  readonly observed: number;
  /** The aggregation label k6 prints next to the value, e.g. `p(95)`, `rate`. */
  readonly label: string;
  readonly ok: boolean;
  readonly abortOnFail: boolean;
}

/** Builds resolved thresholds from k6 short/long form (`{ 'http_req_failed': ['rate<0.01'] }`); bad input → CB_PLAN_INVALID. */
export function resolveThresholds(raw: Readonly<Record<string, readonly (string | { threshold: string; abortOnFail?: boolean; delayAbortEvalMs?: number })[]>>): ResolvedThreshold[] {
  return Object.entries(raw).map(([keyText, list]) => {
    const key = parseMetricKey(keyText);
    if (!key.ok) throw new CodeblueError('CB_PLAN_INVALID', `thresholds: ${key.message}`);
    return {
      key: key.value,
      expressions: list.map((item) => {
        const text = typeof item === 'string' ? item : item.threshold;
        const parsed = parseThresholdExpression(text);
        if (!parsed.ok) throw new CodeblueError('CB_PLAN_INVALID', `thresholds.${keyText}: ${parsed.message}`);
        return { expression: parsed.value, abortOnFail: typeof item === 'string' ? false : item.abortOnFail === true, delayAbortEvalMs: typeof item === 'string' ? 0 : item.delayAbortEvalMs ?? 0 };
      }),
    };
  });
}

/** Checks every threshold names a known metric and an aggregation its type allows (k6 validates before any VU starts). */
export function validateThresholds(thresholds: readonly ResolvedThreshold[], store: MetricStore): void {
  for (const t of thresholds) {
    const type = store.typeOf(t.key.metric);
    if (type === undefined) {
      throw new CodeblueError('CB_PLAN_INVALID', `threshold "${t.key.source}": no metric named "${t.key.metric}"`, { hint: 'use a k6 built-in metric such as http_req_duration, http_req_failed, checks or dropped_iterations' });
    }
    for (const e of t.expressions) {
      if (!AGGREGATIONS_BY_TYPE[type].includes(e.expression.aggregation)) {
        throw new CodeblueError('CB_PLAN_INVALID', `threshold "${t.key.source}: ${e.expression.source}": ${t.key.metric} is a ${type}, which allows ${AGGREGATIONS_BY_TYPE[type].map((a) => (a === 'p' ? 'p(N)' : a)).join(', ')}`);
      }
    }
  }
}

/** The value an expression compares. */
function observedValue(agg: Aggregate, e: ThresholdExpression): number {
  switch (e.aggregation) {
    case 'avg': return agg.avg;
    case 'min': return agg.min;
    case 'max': return agg.max;
    case 'med': return agg.med;
    case 'p': return agg.percentile(e.percentile ?? 0);
    case 'rate': return agg.rate;
    case 'count': return agg.count;
    case 'value': return agg.value;
  }
}

/** Evaluates every expression over the whole run so far (k6 thresholds cover the whole test). */
export function evaluateThresholds(thresholds: readonly ResolvedThreshold[], store: MetricStore, elapsedMs?: number): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const t of thresholds) {
    const agg = store.query({ metric: t.key.metric, tags: t.key.tags, ...(elapsedMs === undefined ? {} : { elapsedMs }) });
    for (const e of t.expressions) {
      const observed = observedValue(agg, e.expression);
      out.push({
        key: t.key.source,
        metric: t.key.metric,
        expression: e.expression.source,
        observed,
        label: e.expression.aggregation === 'p' ? `p(${e.expression.percentile})` : e.expression.aggregation,
        ok: compare(observed, e.expression.op, e.expression.value),
        abortOnFail: e.abortOnFail,
      });
    }
  }
  return out;
}

/** The first abortOnFail expression that fails once its delayAbortEval has passed, if any. */
export function abortingThreshold(thresholds: readonly ResolvedThreshold[], store: MetricStore, elapsedMs: number): ThresholdResult | undefined {
  const armed = thresholds
    .map((t) => ({ ...t, expressions: t.expressions.filter((e) => e.abortOnFail && elapsedMs >= e.delayAbortEvalMs) }))
    .filter((t) => t.expressions.length > 0);
  if (armed.length === 0) return undefined;
  return evaluateThresholds(armed, store, elapsedMs).find((r) => !r.ok);
}
