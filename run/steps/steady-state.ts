/** @module run/steps: the steady-state hypothesis — probes before the faults and after recovery, each journaled and shown. */
import { journalEntry } from '../../chaos/index.js';
import { checkHypothesis, type ProbeResult } from '../hypothesis.js';
import type { RunContext } from './context.js';

export async function checkSteadyState(ctx: RunContext, when: 'before' | 'after'): Promise<ProbeResult[]> {
  // After the run the probes run to the end even when interrupted meanwhile (the run is already over).
  const results = await checkHypothesis(ctx.plan.hypothesis, ctx.plan.target.baseUrl, when, when === 'before' ? ctx.signal : undefined, ctx.guard);
  for (const r of results) {
    ctx.journal.write(journalEntry(ctx.clock, { action: 'hypothesis', outcome: r.pass ? 'ok' : 'error', reason: `${when}: ${r.name}: ${r.message}` }));
    ctx.emit({ type: 'hypothesis', when, name: r.name, pass: r.pass, message: r.message });
  }
  return results;
}

/** True when every probe passed (no probes: nothing to fail). */
export const steadyStateHolds = (results: readonly ProbeResult[]): boolean => results.every((r) => r.pass);
