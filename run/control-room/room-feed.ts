/**
 * @module run/control-room: what the page shows, gathered from the run as it goes — its operator view (metric store,
 * journal, spans), the run events before the phases (steps, hypothesis probes), and at the end the evaluated results.
 */
import type { FaultWindow, HypothesisOutcome, RunResults } from '../../reports/index.js';
import type { RunEvent } from '../events.js';
import type { RunOperator } from '../operator-desk.js';
import { phaseAt } from '../phase-clock.js';
import { tickStats } from '../tick-stats.js';
import { liveFaults, type LiveFault } from './fault-windows.js';
import { createLiveEvaluator, type LiveEvaluator } from './live-results.js';
import { completeHl7Seconds, completeSeconds } from './chart-seconds.js';
import { buildSnapshot, type RoomState, type Snapshot } from './view.js';

/**
 * The full evaluation (SLOs, thresholds, phase tables) runs with each snapshot, once a second; should it ever cost
 * more than 1/COST_SHARE of the time (a huge plan on a busy machine), it runs less often, so the load engine on the
 * same event loop keeps its pace.
 */
const MIN_EVALUATION_GAP_MS = 500;
const COST_SHARE = 10;

export interface RoomFeed {
  attach(operator: RunOperator): void;
  onEvent(event: RunEvent): void;
  finish(results: RunResults, reportHref: string | undefined): void;
  /** The operator while the run is being measured (controls act on it). */
  operator(): RunOperator | undefined;
  /** A fresh snapshot (the caller builds one per second, whatever the number of pages). */
  snapshot(): Snapshot;
}

interface Evaluation {
  readonly results: RunResults;
  readonly atMs: number;
  readonly tookMs: number;
  readonly perfMs: number;
}

export function createRoomFeed(): RoomFeed {
  let op: RunOperator | undefined;
  let state: RoomState = 'starting';
  let message: string | undefined;
  let final: { results: RunResults; reportHref: string | undefined } | undefined;
  let evaluation: Evaluation | undefined;
  let evaluator: LiveEvaluator | undefined;
  const hypothesis: HypothesisOutcome[] = [];

  const evaluate = (atMs: number): Evaluation | undefined => {
    const now = performance.now();
    if (!evaluator) return undefined;
    if (evaluation && now - evaluation.perfMs < Math.max(MIN_EVALUATION_GAP_MS, evaluation.tookMs * COST_SHARE)) return evaluation;
    const results = evaluator.evaluate(hypothesis);
    if (results) evaluation = { results, atMs, tookMs: performance.now() - now, perfMs: performance.now() };
    return evaluation;
  };

  return {
    attach(operator) {
      op = operator;
      evaluator = createLiveEvaluator(operator);
    },
    onEvent(e) {
      if (e.type === 'step' || e.type === 'incident') message = e.message;
      else if (e.type === 'waiting') message = `waiting for ${e.url}: ${e.last}`;
      else if (e.type === 'target-ready') message = `target ${e.baseUrl} is up`;
      else if (e.type === 'hypothesis') {
        hypothesis.push({ name: e.name, when: e.when, pass: e.pass, status: null, message: e.message });
        message = `steady state ${e.when}: ${e.pass ? '✓' : '✗'} ${e.name}`;
      }
    },
    finish(results, reportHref) {
      final = { results, reportHref };
      state = 'ended';
    },
    operator: () => (state === 'ended' ? undefined : op),
    snapshot() {
      const atMs = state === 'ended' ? undefined : op?.offsetMs();
      if (state === 'starting' && atMs !== undefined) state = 'live';
      const journal = final?.results.journal ?? op?.journal() ?? [];
      const plan = op?.plan;
      const faults = plan ? liveFaults(plan, journal, state === 'live' ? op?.activeFaults() ?? [] : []) : [];
      const live = state === 'live' && op && atMs !== undefined ? evaluate(atMs) : undefined;
      const clamped = plan && atMs !== undefined ? Math.min(atMs, plan.runLengthMs) : undefined;
      return buildSnapshot({
        state, plan, atMs, message, faults, journal,
        phase: plan && atMs !== undefined ? phaseAt(plan.phases, atMs) : undefined,
        stats: op && atMs !== undefined ? tickStats(op.store, atMs) : undefined,
        results: final?.results ?? live?.results,
        evaluatedAtMs: live?.atMs,
        // The evaluation's own per-second columns, up to the last complete second (the current one is still filling).
        chartResults: plan && live && clamped !== undefined ? {
          timeline: completeSeconds(live.results.timeline, Math.floor(clamped / 1000)), faults: chartWindows(faults, clamped),
          phases: plan.phases.filter((p) => p.startMs < clamped).map((p) => ({ name: p.name, startMs: p.startMs, endMs: p.endMs })),
          servicePhases: live.results.servicePhases,
          // mllp steps: their message charts (the only ones with data when the plan sends no HTTP request).
          ...(live.results.hl7 ? { hl7: completeHl7Seconds(live.results.hl7, Math.floor(clamped / 1000)) } : {}),
        } : undefined,
        reportHref: final?.reportHref,
      });
    },
  };
}

/** The journal's fault windows so far, as the report's charts shade them (an open one ends now). */
function chartWindows(faults: readonly LiveFault[], atMs: number): FaultWindow[] {
  return faults.flatMap((f) => f.onMs === undefined ? [] : [{
    name: f.name, proxy: f.proxy, toxic: f.toxic, stream: null, attributes: {}, startMs: f.onMs, endMs: f.offMs ?? atMs, source: 'journal' as const,
  }]);
}
