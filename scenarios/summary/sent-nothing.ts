/** @module scenarios/summary: the rule that a load run which sent nothing never passes, and the line that says why. */
import type { RenderFailures } from '../engine/run-load.js';

/** What the rule reads; a `LoadResult` satisfies it (the k6 path passes the ingested request count). */
export interface SentCounts {
  /** Requests sent to the target. */
  readonly requests: number;
  readonly renderFailures?: RenderFailures;
}

/**
 * Why a run that sent no request failed, or undefined when at least one request was sent.
 * @example sentNothingReason({ requests: 0, renderFailures: { count: 40, first } }) // 'no requests were sent: 40 request(s) failed to render …'
 */
export function sentNothingReason(counts: SentCounts): string | undefined {
  if (counts.requests > 0) return undefined;
  const r = counts.renderFailures;
  if (r === undefined || r.count === 0 || r.first === undefined) {
    return 'no requests were sent (no iteration reached a request: check the scenarios\' durations, iterations and onlyIf conditions)';
  }
  return `no requests were sent: ${r.count} request(s) failed to render; first in scenario "${r.first.scenario}", step "${r.first.name}": ${r.first.message}`;
}
