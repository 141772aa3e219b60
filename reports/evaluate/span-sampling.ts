/**
 * @module reports/evaluate: the results.json `spanSampling` section — which raw spans the run kept, by what rule,
 * and how many of those seen — so a reader knows the waterfalls are a sample and the tables are not.
 */
import type { SamplingStats, SpillStats } from '../../collectors/index.js';
import type { SpanSampling } from '../results/types.js';

/** What the collectors say about kept spans (the store's `sampling`, its span counts and span files). */
export interface SpanSamplingInput {
  readonly sampling: SamplingStats;
  readonly spans: SpillStats;
  readonly files?: { readonly files: number; readonly bytesOnDisk: number; readonly spansRemoved: number };
}

/** The rule in one sentence, as the report prints it. */
function samplingRule(s: Pick<SamplingStats, 'keep' | 'reservoirPerSecond' | 'slowestPerSecond'>): string {
  if (s.keep === 'all') return 'every span kept (collectors.spans.keep: all)';
  if (s.keep === 'none') return 'no raw span kept (collectors.spans.keep: none)';
  return `tail sampling: every trace with an error, every exemplar trace, the ${s.slowestPerSecond} slowest traces of each second `
    + `and up to ${s.reservoirPerSecond} random traces a second`;
}

export function spanSamplingSection(input: SpanSamplingInput): SpanSampling {
  const s = input.sampling;
  return {
    keep: s.keep, rule: samplingRule(s), reservoirPerSecond: s.reservoirPerSecond, slowestPerSecond: s.slowestPerSecond,
    tracesSeen: s.tracesSeen, tracesKept: s.tracesKept, spansSeen: s.spansSeen, spansKept: s.spansKept,
    keptFraction: s.spansSeen > 0 ? s.spansKept / s.spansSeen : 0,
    byReason: { ...s.byReason },
    // Kept spans later lost to a bound: files removed past maxBytes, or the in-memory cap without a run folder.
    spansRemoved: input.spans.dropped,
    files: input.files?.files ?? 0, bytesOnDisk: input.files?.bytesOnDisk ?? 0,
    statistics: 'every span: service tables, charts, attribution, trace assertions and PHI findings do not depend on sampling (window edges rounded to the nearest second)',
  };
}
