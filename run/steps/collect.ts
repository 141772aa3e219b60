/**
 * @module run/steps: step 6e — collect: wait until late spans stop arriving, close the collectors (every waiting trace
 * is judged), join requests to server spans, take the PHI findings and trace assertion results made at ingest, and
 * analyse the spans (window statistics from every span, waterfalls from the kept ones). A failure of any of these is
 * an incident, never dropped.
 */
import {
  analyzeSpans, type CollectorsSummary, type SpanAnalysis, type JoinResult, type PhiScanResult, type TraceAssertionResult,
} from '../../collectors/index.js';
import { attributionWindows } from '../../reports/index.js';
import type { EmbeddedParts } from '../embedded.js';
import { isProbe } from '../hypothesis.js';
import type { RunContext } from './context.js';
import type { LiveResult } from './live.js';
import { waitForQuiet } from './quiet.js';

export interface Collected {
  readonly spans?: CollectorsSummary;
  readonly join?: JoinResult;
  readonly phi?: PhiScanResult;
  readonly traceAssertions?: readonly TraceAssertionResult[];
  /** Span statistics per baseline/fault window, server p95 per second, slow-trace waterfalls. */
  readonly spanAnalysis?: SpanAnalysis;
}

/** Spans still in an exporter's batch arrive after the target stopped; this long without one means they are in. */
const QUIET_MS = 300;
/** Slowest requests per fault window whose traces the report draws (beside the window's slowest root spans). */
const EXEMPLAR_WATERFALLS = 3;
const QUIET_CAP_MS = 5000;

export async function collect(ctx: RunContext, parts: EmbeddedParts, live: LiveResult | undefined): Promise<Collected> {
  const { collectors } = parts;
  if (!(await waitForQuiet(collectors, { quietMs: QUIET_MS, capMs: QUIET_CAP_MS }))) {
    ctx.emit({ type: 'step', message: `spans were still arriving ${QUIET_CAP_MS / 1000}s after the run; later ones are not in the report` });
  }
  const spans = await attempt(ctx, 'closing the collectors', () => collectors.close());
  const join = live ? live.join.result(collectors.store) : undefined;
  // Scanned and evaluated as every span arrived: sampling hides no leak and changes no count.
  const phi = collectors.phi();
  const hasAssertions = ctx.plan.hypothesis.some((h) => !isProbe(h));
  const traceAssertions = hasAssertions ? collectors.traceAssertions() : undefined;
  const windows = attributionWindows(ctx.plan.phases, ctx.plan.faults);
  const spanAnalysis = await attempt(ctx, 'analysing the spans', () => analyzeSpans(collectors.store.scanSpans(), {
    originEpochMs: ctx.clock.originEpochMs, windows, exemplarTraces: exemplarTraces(ctx, windows), seconds: collectors.store.spanSeconds(),
  }));
  await parts.close();
  return { ...(spanAnalysis ? { spanAnalysis } : {}), ...(spans ? { spans } : {}), ...(join ? { join } : {}), ...(phi ? { phi } : {}), ...(traceAssertions ? { traceAssertions } : {}) };
}

/** The step's result, or undefined after noting the failure as an incident. */
async function attempt<T>(ctx: RunContext, what: string, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (err) {
    ctx.incidents.note(what, err);
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
