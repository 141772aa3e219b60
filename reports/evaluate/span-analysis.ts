/**
 * @module reports/evaluate: what the after-run pass over the kept spans adds to a run's results — the services'
 * per-second p95, fault attribution and the slow-trace waterfalls. No verdict reads them, so a game day evaluates
 * once, says the verdict, and adds these to the same results (a soak's evaluation takes seconds; twice was waste).
 */
import type { JournalEntry } from '../../core/index.js';
import type { RunResults } from '../results/types.js';
import { evaluateAttribution } from './attribution.js';
import type { RunEvaluationInput } from './input.js';
import { serviceColumns } from './timeline.js';
import { faultWaterfalls } from './waterfalls.js';

/** The span pass's share of `RunEvaluationInput.spans`. */
export type SpanAnalysisInput = Pick<NonNullable<RunEvaluationInput['spans']>, 'perSecond' | 'windows' | 'slowTraces'>;

/**
 * `results` (evaluated without the span pass) with what the pass gives, the same as `evaluateRun` with it in the
 * input, key order included. `journal`, when given, replaces the results' (entries written after the verdict,
 * such as an incident of the pass itself).
 */
export function addSpanAnalysis(results: RunResults, spans: SpanAnalysisInput, journal?: readonly JournalEntry[]): RunResults {
  // Rebuilt rather than assigned, so attribution and traces sit where evaluateRun puts them (before spanSampling, hl7).
  const { attribution, traces, spanSampling, hl7, ...before } = results;
  const seconds = results.timeline.startMs.length;
  return {
    ...before,
    timeline: spans.perSecond ? { ...results.timeline, services: serviceColumns(spans.perSecond, seconds) } : results.timeline,
    ...(journal ? { journal: [...journal] } : {}),
    ...(spans.windows ? { attribution: evaluateAttribution(spans.windows, results.faults) } : attribution ? { attribution } : {}),
    ...(spans.slowTraces ? { traces: faultWaterfalls(spans.slowTraces, results.faults) } : traces ? { traces } : {}),
    ...(spanSampling ? { spanSampling } : {}),
    ...(hl7 ? { hl7 } : {}),
  };
}
