/**
 * @module run/control-room: what the page shows, gathered from the run as it goes — its operator view (metric store,
 * journal, spans), the run events before the phases (steps, hypothesis probes), and at the end the evaluated results.
 */
import type { HypothesisOutcome, RunResults } from '../../reports/index.js';
import type { RunEvent } from '../events.js';
import type { RunOperator } from '../operator-desk.js';
import { phaseAt } from '../phase-clock.js';
import { tickStats } from '../tick-stats.js';
import { liveFaults } from './fault-windows.js';
import { evaluateSoFar } from './live-results.js';
import { buildSnapshot, type RoomState, type Snapshot } from './view.js';

export interface RoomFeed {
  attach(operator: RunOperator): void;
  onEvent(event: RunEvent): void;
  finish(results: RunResults, reportHref: string | undefined): void;
  fail(message: string): void;
  /** The operator while the run is being measured (controls act on it). */
  operator(): RunOperator | undefined;
  isOver(): boolean;
  /** A fresh snapshot (the caller builds one per second, whatever the number of pages). */
  snapshot(): Snapshot;
}

export function createRoomFeed(): RoomFeed {
  let op: RunOperator | undefined;
  let state: RoomState = 'starting';
  let message: string | undefined;
  let final: { results: RunResults; reportHref: string | undefined } | undefined;
  const hypothesis: HypothesisOutcome[] = [];
  return {
    attach: (operator) => { op = operator; },
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
    fail(why) {
      message = why;
      state = 'failed';
    },
    operator: () => (state === 'ended' || state === 'failed' ? undefined : op),
    isOver: () => state === 'ended' || state === 'failed',
    snapshot() {
      const atMs = state === 'ended' ? undefined : op?.offsetMs();
      if (state === 'starting' && atMs !== undefined) state = 'live';
      const journal = final?.results.journal ?? op?.journal() ?? [];
      const plan = op?.plan;
      return buildSnapshot({
        state, plan, atMs, message,
        phase: plan && atMs !== undefined ? phaseAt(plan.phases, atMs) : undefined,
        stats: op && atMs !== undefined ? tickStats(op.store, atMs) : undefined,
        faults: plan ? liveFaults(plan, journal, state === 'live' ? op?.activeFaults() ?? [] : []) : [],
        results: final?.results ?? (op && state === 'live' ? evaluateSoFar(op, hypothesis) : undefined),
        journal,
        reportHref: final?.reportHref,
      });
    },
  };
}
