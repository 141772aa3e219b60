/**
 * @module run/steps: step 7 — after the verdict, the one pass over the kept spans the reports draw from: window
 * statistics and per-second p95 (from the store's statistics of every span) and the slow-trace waterfalls. No verdict
 * reads it, so it runs after the verdict is said (a soak keeps hundreds of thousands of spans: seconds of reading).
 * A failure is an incident; the reports then go without the waterfalls.
 */
import { analyzeSpans, type SpanAnalysis } from '../../collectors/index.js';
import { attributionWindows, faultWindows } from '../../reports/index.js';
import type { EmbeddedParts } from '../embedded.js';
import type { RunContext } from './context.js';

/** Slowest requests per fault window whose traces the report draws (beside the window's slowest root spans). */
const EXEMPLAR_WATERFALLS = 3;

/** Reads the kept spans of the (closed) collectors once; undefined after noting a failure as an incident. */
export async function analyseSpans(ctx: RunContext, parts: EmbeddedParts): Promise<SpanAnalysis | undefined> {
  const { store } = parts.collectors;
  // The faults' windows as the journal has them (when each toxic was really on), as the evaluation reads them: on a
  // busy machine an edge is late, and the planned window would pick other slowest requests than results.exemplars.
  const windows = attributionWindows(ctx.plan.phases, faultWindows(ctx.journal.entries(), ctx.plan.faults, ctx.clock.now()));
  ctx.emit({ type: 'step', message: 'reading the kept spans for the report (window statistics, slow-trace waterfalls)' });
  try {
    return await analyzeSpans(store.scanSpans(), {
      originEpochMs: ctx.clock.originEpochMs, windows, exemplarTraces: exemplarTraces(ctx, windows), seconds: store.spanSeconds(),
    });
  } catch (err) {
    ctx.incidents.note('analysing the spans', err);
    return undefined;
  }
}

/** Trace ids of each fault window's slowest requests (the load's exemplars), so their waterfalls are drawn. */
function exemplarTraces(ctx: RunContext, windows: readonly { name: string; startMs: number; endMs: number }[]): Map<string, string> {
  const traces = new Map<string, string>();
  for (const w of windows) {
    if (!w.name.startsWith('fault:')) continue;
    for (const e of ctx.store.exemplars.query({ fromMs: w.startMs, toMs: w.endMs, slowest: EXEMPLAR_WATERFALLS }).slowest) {
      if (!traces.has(e.traceId)) traces.set(e.traceId, w.name);
    }
  }
  return traces;
}
