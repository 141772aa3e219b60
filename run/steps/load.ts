/**
 * @module run/steps: the load of the live part — the embedded engine (samples feed /metrics, the trace join, the
 * halt rule and the live view as they come) or real k6 on the compiled script (its output is ingested at its end).
 */
import type { RequestSample, Sink } from '../../core/index.js';
import type { Series } from '../../core/metrics/index.js';
import { REQUESTS_BY_INTENDED_START } from '../load-query.js';
import type { RequestJoin } from '../../collectors/index.js';
import { createSyntheticData, runLoad, runPlanWithK6, type LoadResult } from '../../scenarios/index.js';
import type { EmbeddedParts } from '../embedded.js';
import type { Ledger } from '../ledger.js';
import type { RunContext } from './context.js';
import { planPath } from '../plan-paths.js';

export interface LoadInput {
  readonly parts: EmbeddedParts;
  readonly stop: AbortSignal;
  readonly join: RequestJoin;
  readonly ledger: Ledger;
  readonly synthetic: ReturnType<typeof createSyntheticData>;
  /** A threshold with abortOnFail failed. */
  readonly onThresholdAbort: (message: string) => void;
  /** Credentials the load's auth used, for the PHI/secret scan (memory only). */
  readonly secrets: Set<string>;
  /** About once a second, with the run offset. */
  readonly onTick: (atMs: number) => void;
}

/** What the load step hands back: the engine's result, or real k6's exit code. */
export type LoadOutcome = { readonly engine: 'embedded'; readonly result: LoadResult } | { readonly engine: 'k6'; readonly exitCode: number };

export async function driveLoad(ctx: RunContext, input: LoadInput): Promise<LoadOutcome> {
  const { plan } = ctx;
  // vus, iterations, dropped iterations and the timing Trends reach /metrics from the store at each scrape.
  input.parts.collectors.registry.followStore(ctx.store);
  if (ctx.engine === 'k6') {
    const run = await runPlanWithK6(plan, {
      dir: ctx.folder.path('k6'), store: ctx.store, signal: input.stop, allowRemote: ctx.allowRemote, guard: ctx.guard, seed: plan.seed,
      onOutput: (line) => ctx.emit({ type: 'step', message: `k6: ${line}` }),
    });
    return { engine: 'k6', exitCode: run.exitCode };
  }
  const registry = input.parts.collectors.registry;
  ctx.store.declare(REQUESTS_BY_INTENDED_START, 'counter', { backdated: true });
  const byStart = new Map<string, Series>();
  // http_reqs counts a request when it finishes (k6); this one counts it at its scheduled start, so the report can
  // chart the load as it was offered: a stalled target shows as slow requests, not as a gap and a burst.
  const countStart = (s: RequestSample): void => {
    let series = byStart.get(s.scenario);
    if (!series) byStart.set(s.scenario, (series = ctx.store.series(REQUESTS_BY_INTENDED_START, { scenario: s.scenario })));
    series.add(s.scheduledAt, 1);
  };
  const samples: Sink<RequestSample> = { add: (s) => { registry.requests.add(s); input.join.add(s); countStart(s); } };
  const result = await runLoad({
    baseUrl: plan.target.baseUrl, guard: ctx.guard, scenarios: plan.scenarios, thresholds: plan.thresholds, safety: plan.safety,
    auth: plan.target.auth, planDir: planPath(plan, '.'), secrets: input.secrets,
    clock: ctx.clock, signal: input.stop, store: ctx.store, samples, checks: registry.checks, ledger: input.ledger, synthetic: input.synthetic,
    onAbort: (a) => {
      if (a.reason === 'threshold') input.onThresholdAbort(a.message);
      else if (a.reason !== 'signal') ctx.incidents.note(`load stopped: ${a.message}`);
    },
    onTick: input.onTick,
  });
  return { engine: 'embedded', result };
}
