/** @module scenarios/k6: a plan's scenarios and thresholds as k6 `options` (exact executor options, k6 durations). */
import type { ScenarioSpec } from '../schema.js';
import type { ResolvedThreshold } from '../thresholds.js';

/** Milliseconds as a k6 duration string (`30s`, `1500ms`, `2m`). */
function k6Duration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The k6 scenario object: the executor's own options, plus the common ones, with `exec` set to `execName`. */
export function k6Scenario(spec: ScenarioSpec, execName: string): Record<string, unknown> {
  const common: Record<string, unknown> = { executor: spec.executor, startTime: k6Duration(spec.startTime), gracefulStop: k6Duration(spec.gracefulStop), exec: execName };
  if (Object.keys(spec.tags).length > 0) common.tags = spec.tags;
  if (Object.keys(spec.env).length > 0) common.env = spec.env;
  const stages = (list: readonly { duration: number; target: number }[]): unknown[] => list.map((s) => ({ duration: k6Duration(s.duration), target: s.target }));
  switch (spec.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return { ...common, vus: spec.vus, iterations: spec.iterations, maxDuration: k6Duration(spec.maxDuration) };
    case 'constant-vus':
      return { ...common, vus: spec.vus, duration: k6Duration(spec.duration) };
    case 'ramping-vus':
      return { ...common, startVUs: spec.startVUs, stages: stages(spec.stages), gracefulRampDown: k6Duration(spec.gracefulRampDown) };
    case 'constant-arrival-rate':
      return { ...common, rate: spec.rate, timeUnit: k6Duration(spec.timeUnit), duration: k6Duration(spec.duration), preAllocatedVUs: spec.preAllocatedVUs, maxVUs: spec.maxVUs ?? spec.preAllocatedVUs };
    case 'ramping-arrival-rate':
      return { ...common, startRate: spec.startRate, timeUnit: k6Duration(spec.timeUnit), stages: stages(spec.stages), preAllocatedVUs: spec.preAllocatedVUs, maxVUs: spec.maxVUs ?? spec.preAllocatedVUs };
    case 'externally-controlled':
      return { ...common, vus: spec.vus, maxVUs: spec.maxVUs ?? spec.vus, duration: k6Duration(spec.duration) };
  }
}

/** k6 `thresholds`: short form for plain expressions, long form where abortOnFail is set. */
export function k6Thresholds(thresholds: readonly ResolvedThreshold[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of thresholds) {
    const list = out[t.key.source] ?? [];
    for (const e of t.expressions) {
      list.push(e.abortOnFail ? { threshold: e.expression.source, abortOnFail: true, ...(e.delayAbortEvalMs > 0 ? { delayAbortEval: k6Duration(e.delayAbortEvalMs) } : {}) } : e.expression.source);
    }
    out[t.key.source] = list;
  }
  return out;
}
