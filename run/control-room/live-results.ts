/**
 * @module run/control-room: the run so far as the reports see a finished one — the same evaluation over the live
 * metric store and journal, so SLO state, thresholds and charts on the page are what the report will say.
 */
import { evaluateRun, type HypothesisOutcome, type RunResults } from '../../reports/index.js';
import { checkOutcomes } from '../evaluation-input.js';
import { loadQueryOf } from '../load-query.js';
import type { RunOperator } from '../operator-desk.js';

/** Evaluates the run up to now; undefined before the first phase. `hypothesis` holds the probes seen so far. */
export function evaluateSoFar(op: RunOperator, hypothesis: readonly HypothesisOutcome[]): RunResults | undefined {
  const atMs = op.offsetMs();
  if (atMs === undefined) return undefined;
  const { plan } = op;
  const now = Date.now();
  return evaluateRun({
    meta: {
      name: plan.name, runId: op.runId, planFile: plan.file, target: plan.target.baseUrl,
      startedAt: new Date(now - atMs).toISOString(), endedAt: new Date(now).toISOString(), durationMs: Math.max(1, Math.min(atMs, plan.runLengthMs)),
    },
    phases: plan.phases, faults: plan.faults, journal: op.journal(), slos: plan.slos, thresholds: plan.thresholds,
    load: loadQueryOf(op.store), checks: checkOutcomes(op.store), hypothesis, spans: { aggregates: op.spanAggregates() },
  });
}
