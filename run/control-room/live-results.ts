/**
 * @module run/control-room: the run so far as the reports see a finished one — the same evaluation over the live
 * metric store and journal, so SLO state, thresholds and charts on the page are what the report will say. Settled
 * seconds are merged once (`createSettledQueries`), so an evaluation costs the newest seconds, and runs every second.
 */
import { createSettledQueries } from '../../core/metrics/index.js';
import { evaluateRun, type HypothesisOutcome, type RunResults } from '../../reports/index.js';
import { checkOutcomes } from '../evaluation-input.js';
import { loadQueryOf } from '../load-query.js';
import type { RunOperator } from '../operator-desk.js';

export interface LiveEvaluator {
  /** Evaluates the run up to now; undefined before the first phase. `hypothesis` holds the probes seen so far. */
  evaluate(hypothesis: readonly HypothesisOutcome[]): RunResults | undefined;
}

export function createLiveEvaluator(op: RunOperator): LiveEvaluator {
  const settled = createSettledQueries(op.store);
  // The page shows no exemplar tables while the run goes (the report does): the evaluation skips them.
  const { exemplars: _notShownLive, ...load } = loadQueryOf(op.store, settled);
  return {
    evaluate(hypothesis) {
      const atMs = op.offsetMs();
      if (atMs === undefined) return undefined;
      const { plan } = op;
      const now = Date.now();
      settled.refresh();
      const phi = op.phi();
      return evaluateRun({
        meta: {
          name: plan.name, runId: op.runId, planFile: plan.file, target: plan.target.baseUrl,
          startedAt: new Date(now - atMs).toISOString(), endedAt: new Date(now).toISOString(), durationMs: Math.max(1, Math.min(atMs, plan.runLengthMs)),
        },
        phases: plan.phases, faults: plan.faults, journal: op.journal(), slos: plan.slos, thresholds: plan.thresholds,
        load, checks: checkOutcomes(op.store), hypothesis, spans: { aggregates: op.spanAggregates(), perSecond: op.serviceSeconds() },
        ...(phi ? { phi } : {}),
      });
    },
  };
}
