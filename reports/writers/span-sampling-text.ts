/** @module reports/writers: the one sentence every report gives on which raw spans a run kept (results.json `spanSampling`). */
import type { SpanSampling } from '../results/types.js';

const n = (v: number): string => v.toLocaleString('en-US');

/**
 * @example spanSamplingText(r.spanSampling) // "Raw spans: 1,204 of 48,310 traces kept (2.5 % of spans) — tail sampling: every trace …"
 */
export function spanSamplingText(s: SpanSampling): string {
  const share = s.spansSeen > 0 ? ` (${(s.keptFraction * 100).toFixed(1)} % of spans)` : '';
  const why = s.keep === 'sampled'
    ? `; kept for an error ${n(s.byReason.error)}, as an exemplar ${n(s.byReason.exemplar)}, among the slowest ${n(s.byReason.slowest)}, at random ${n(s.byReason.reservoir)}`
    : '';
  const removed = s.spansRemoved > 0 ? `; ${n(s.spansRemoved)} kept spans later removed to stay under collectors.spans.maxBytes` : '';
  return `Raw spans: ${n(s.tracesKept)} of ${n(s.tracesSeen)} traces kept${share} — ${s.rule}${why}${removed}. `
    + 'Tables, charts, attribution and PHI findings use every span.';
}
