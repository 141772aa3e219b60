/**
 * @module run/steps: step 6e — collect: wait until late spans stop arriving, close the collectors (every waiting trace
 * is judged), join requests to server spans, and take the PHI findings and trace assertion results made at ingest.
 * Everything a verdict reads is in after this step; the pass over the kept spans for the reports is analyse.ts.
 * A failure of any of these is an incident, never dropped.
 */
import type { CollectorsSummary, JoinResult, PhiScanResult, TraceAssertionResult } from '../../collectors/index.js';
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
}

/** Spans still in an exporter's batch arrive after the target stopped; this long without one means they are in. */
const QUIET_MS = 300;
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
  await parts.close();
  return { ...(spans ? { spans } : {}), ...(join ? { join } : {}), ...(phi ? { phi } : {}), ...(traceAssertions ? { traceAssertions } : {}) };
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
