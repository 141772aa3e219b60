/**
 * @module run/steps: step 6b — after recovery, with the faults off: the steady state again and the ledger read back.
 * A failure of either check itself is an incident (journaled and shown), never a silent empty result.
 */
import { verifyLedger, type LedgerResult } from '../ledger.js';
import { createLedgerAuth } from '../ledger-auth.js';
import type { ProbeResult } from '../hypothesis.js';
import type { TargetProcess } from '../target-process.js';
import type { RunContext } from './context.js';
import type { LiveResult } from './live.js';
import { checkSteadyState } from './steady-state.js';

export interface AfterChecks {
  readonly hypothesisAfter: readonly ProbeResult[];
  readonly ledger?: LedgerResult;
}

/** Only after a run whose load ran to its end (or to a halt) against a target still alive; an interrupted run hurries. */
export async function runAfterChecks(ctx: RunContext, live: LiveResult | undefined, target: TargetProcess | undefined): Promise<AfterChecks> {
  const targetAlive = target === undefined || !target.hasExited();
  if (!live || live.status === 'interrupted' || !targetAlive) return { hypothesisAfter: [] };
  let hypothesisAfter: readonly ProbeResult[] = [];
  try {
    hypothesisAfter = await checkSteadyState(ctx, 'after');
  } catch (err) {
    ctx.incidents.note('checking the steady state after recovery', err);
  }
  const writes = live.ledger;
  if (writes.total() === 0) return { hypothesisAfter };
  const entries = writes.entries();
  const within = entries.reduce((most, e) => Math.max(most, e.withinMs ?? 0), 0);
  ctx.emit({ type: 'step', message: `reading back ${entries.length} acknowledged writes (ledger)${within > 0 ? `; missing ones again for up to ${Math.round(within / 1000)}s` : ''}` });
  let auth: Awaited<ReturnType<typeof createLedgerAuth>>;
  try {
    auth = await createLedgerAuth(ctx, live.secretValues);
    const result = await verifyLedger(entries, ctx.plan.target.baseUrl, writes.total(), undefined, ctx.guard, { signal: ctx.signal, authorize: auth?.authorize });
    return { hypothesisAfter, ledger: { ...result, rule: writes.rule() } };
  } catch (err) {
    ctx.incidents.note('reading back the acknowledged writes (ledger)', err);
    return { hypothesisAfter };
  } finally {
    await auth?.close();
  }
}
