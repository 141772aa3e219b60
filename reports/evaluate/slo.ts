/**
 * @module reports/evaluate: SLOs per scope (OpenSLO ratio: good / total) with error-budget maths. Load-side SLOs
 * count requests exactly from the histograms; SLOs filtered by `service` count that service's server spans.
 */
import type { SpanAggregate } from '../../collectors/index.js';
import { humanDuration, objectiveText, pct, windowText } from '../format.js';
import type { ErrorBudget, SloResult, SloScopeResult } from '../results/types.js';
import type { SloSpec } from '../slo/schema.js';
import { burnAlerts, burnRate, type SecondEvents } from './burn.js';
import type { LoadQuery } from './input.js';
import type { Scope } from './scopes.js';
import { gatingWindows } from './slo-scope.js';

interface Counts {
  readonly total: number;
  readonly good: number;
  readonly estimated: boolean;
}

const thresholdOf = (slo: SloSpec): number | null => (slo.sli === 'availability' ? null : slo.sli.latency);
/** `intended` when a latency SLI counts from the intended start (`sli.from: intended`). */
const latencyFromOf = (slo: SloSpec): 'start' | 'intended' => (slo.sli !== 'availability' && slo.sli.from === 'intended' ? 'intended' : 'start');
const fromFilter = (slo: SloSpec): { latencyFrom?: 'intended'; events?: 'hl7' } => ({
  ...(latencyFromOf(slo) === 'intended' ? { latencyFrom: 'intended' } : {}),
  ...(slo.events === 'hl7' ? { events: 'hl7' } : {}),
});

function loadCounts(load: LoadQuery, slo: SloSpec, s: Scope): Counts {
  const w = load.window({ fromMs: s.startMs, toMs: s.endMs, scenario: slo.filter?.scenario, name: slo.filter?.request, ...fromFilter(slo) });
  const limit = thresholdOf(slo);
  const good = w.count === 0 ? 0 : limit === null ? w.count - w.failed : Math.min(w.count, w.latency.countAtOrBelow(limit));
  return { total: w.count, good, estimated: false };
}

/** Fraction ≤ limit from a latency summary, linear between its known quantiles (an estimate: flagged). */
function fractionAtOrBelow(a: SpanAggregate['latency'], limit: number): number {
  const points: [number, number][] = [[a.minMs, 0], [a.p50Ms, 0.5], [a.p90Ms, 0.9], [a.p95Ms, 0.95], [a.p99Ms, 0.99], [a.maxMs, 1]];
  if (limit < a.minMs) return 0;
  if (limit >= a.maxMs) return 1;
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i] as [number, number];
    const [x0, y0] = points[i - 1] as [number, number];
    if (limit < x1) return x1 === x0 ? y0 : y0 + ((limit - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 1;
}

function spanCounts(rows: readonly SpanAggregate[], slo: SloSpec): Counts {
  const limit = thresholdOf(slo);
  let total = 0;
  let good = 0;
  for (const r of rows) {
    total += r.count;
    good += limit === null ? r.count - r.errors : Math.round(r.count * fractionAtOrBelow(r.latency, limit));
  }
  return { total, good, estimated: limit !== null };
}

function scopeResult(slo: SloSpec, s: Scope, c: Counts, budgetEvents: number, gating: boolean): SloScopeResult {
  const bad = c.total - c.good;
  const ratio = c.total === 0 ? null : c.good / c.total;
  return {
    scope: s.scope, label: s.label, startMs: s.startMs, endMs: s.endMs, total: c.total, good: c.good, bad, ratio,
    pass: ratio === null || ratio >= slo.objective, burnRate: burnRate(bad, c.total, slo.objective),
    budgetConsumed: budgetEvents > 0 ? bad / budgetEvents : 0, estimated: c.estimated, gating,
  };
}

/** The manager's sentence. */
function sentence(slo: SloSpec, b: Omit<ErrorBudget, 'sentence' | 'alerts'>, worst: SloScopeResult | undefined): string {
  const what = slo.events === 'hl7' ? (slo.sli === 'availability' ? 'unacknowledged messages' : 'slow ACKs') : slo.sli === 'availability' ? 'failures' : 'slow responses';
  const budget = `the ${windowText(slo.window)} budget of ${objectiveText(slo.objective)} (${humanDuration(b.budgetTimeMs)} of ${what})`;
  if (b.exhaustsAfterMs === null || !worst) return `Nothing failed: this drill used none of ${budget}.`;
  const rate = pct(1 - (worst.ratio ?? 1));
  return `At the failure rate seen in the ${worst.label} (${rate} ${slo.sli === 'availability' ? 'failed' : 'too slow'}), ` +
    `${budget} lasts ${humanDuration(b.exhaustsAfterMs)}. This drill used ${pct(b.consumedFraction)} of it (${humanDuration(b.consumedTimeMs)}).`;
}

/** Evaluates one SLO over the scopes; `runMs` is the run's length (for the events-per-second extrapolation). */
export function evaluateSlo(
  slo: SloSpec, scopes: readonly Scope[], runMs: number, load: LoadQuery, spans: readonly SpanAggregate[],
): SloResult {
  const service = slo.filter?.service;
  const bySpans = service !== undefined;
  const counted: { scope: Scope; counts: Counts }[] = bySpans
    ? spanScopes(spans.filter((r) => r.service === service), scopes, runMs).map((x) => ({ scope: x.scope, counts: spanCounts(x.rows, slo) }))
    : scopes.map((scope) => ({ scope, counts: loadCounts(load, slo, scope) }));
  const run = counted.find((c) => c.scope.scope === 'run')?.counts ?? { total: 0, good: 0, estimated: false };
  const eventsPerSecond = runMs > 0 ? run.total / (runMs / 1000) : 0;
  const budgetEvents = (1 - slo.objective) * eventsPerSecond * (slo.window / 1000);
  const gating = gatingWindows(slo.scope ?? 'all-windows', counted.map((c) => c.scope.scope));
  const results = counted.map((c) => scopeResult(slo, c.scope, c.counts, budgetEvents, gating.has(c.scope.scope)));
  const runResult = results.find((r) => r.scope === 'run');
  const worst = results.reduce<SloScopeResult | undefined>((w, r) => (!w || r.burnRate > w.burnRate ? r : w), undefined);
  const consumedEvents = runResult?.bad ?? 0;
  const consumedFraction = budgetEvents > 0 ? consumedEvents / budgetEvents : 0;
  const budgetTimeMs = (1 - slo.objective) * slo.window;
  const worstBurn = worst?.burnRate ?? 0;
  const base = {
    windowMs: slo.window, eventsPerSecond, budgetEvents, consumedEvents, consumedFraction, budgetTimeMs,
    consumedTimeMs: consumedFraction * budgetTimeMs, burnRate: runResult?.burnRate ?? 0,
    worstScope: worst?.scope ?? 'run', worstBurnRate: worstBurn, exhaustsAfterMs: worstBurn > 0 ? slo.window / worstBurn : null,
  };
  const events = bySpans ? null : secondEvents(load, slo, runMs);
  return {
    name: slo.name, description: slo.description ?? null, sli: slo.sli === 'availability' ? 'availability' : 'latency',
    thresholdMs: thresholdOf(slo), ...(slo.sli !== 'availability' ? { latencyFrom: latencyFromOf(slo) } : {}), objective: slo.objective, windowMs: slo.window,
    filter: slo.filter ? { ...slo.filter } : null, source: bySpans ? 'spans' : 'load', ...(slo.events === 'hl7' ? { events: 'hl7' as const } : {}),
    scope: slo.scope ?? 'all-windows', pass: results.every((r) => r.pass || !r.gating), scopes: results,
    budget: { ...base, sentence: sentence(slo, base, worst), alerts: burnAlerts(slo.window, slo.objective, worstBurn, events) },
  };
}

/** Spans are aggregated per phase only: scopes are the run (all rows) and each phase that has rows. */
function spanScopes(rows: readonly SpanAggregate[], scopes: readonly Scope[], runMs: number): { scope: Scope; rows: SpanAggregate[] }[] {
  const phases = [...new Set(rows.map((r) => r.phase))];
  const scopeOf = (p: string): Scope => scopes.find((s) => s.scope === p) ?? { scope: p, label: p, startMs: 0, endMs: runMs };
  return [
    { scope: { scope: 'run', label: 'whole run', startMs: 0, endMs: runMs }, rows: [...rows] },
    ...phases.map((p) => ({ scope: scopeOf(p), rows: rows.filter((r) => r.phase === p) })),
  ];
}

function secondEvents(load: LoadQuery, slo: SloSpec, runMs: number): SecondEvents | null {
  const limit = thresholdOf(slo);
  const rows = load.perSecond({ scenario: slo.filter?.scenario, name: slo.filter?.request, ...fromFilter(slo), ...(limit === null ? {} : { atOrBelowMs: limit }), countsOnly: true });
  const seconds = Math.max(1, Math.ceil(runMs / 1000));
  const total = new Array<number>(seconds).fill(0);
  const bad = new Array<number>(seconds).fill(0);
  for (const r of rows) {
    const i = Math.floor(r.startMs / 1000);
    if (i < 0 || i >= seconds) continue;
    if (limit !== null && r.atOrBelow === undefined && r.count > 0) return null;
    total[i] = r.count;
    bad[i] = limit === null ? r.failed : r.count - (r.atOrBelow ?? 0);
  }
  return { total, bad };
}
