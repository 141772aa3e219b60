/**
 * @module run/steps: step 6f — the run folder's own files: the ledger, the journal's last line, the status; and,
 * after the verdict (no verdict reads them, and a soak's take seconds to encode), the per-second metrics.
 */
import { writeFileSync } from 'node:fs';
import { journalEntry } from '../../chaos/index.js';
import { writeMetrics } from '../../core/metrics/index.js';
import type { LedgerResult } from '../ledger.js';
import type { RunContext } from './context.js';

/** How the run ended, as the journal's `run-end` line and the `status` file say it. */
export type EndStatus = 'completed' | 'halted' | 'interrupted' | 'aborted-steady-state' | 'setup-failed';

export function writeRunFiles(ctx: RunContext, status: EndStatus, ledger: LedgerResult | undefined): void {
  if (ledger) ctx.folder.writeJson('ledger.json', ledger);
  ctx.journal.write(journalEntry(ctx.clock, { action: 'run-end', outcome: 'ok', reason: status }));
  ctx.journal.flush();
  writeFileSync(ctx.folder.path('status'), `${status}\n`);
}

/** samples/metrics.ndjson: the store's per-second HDR histograms (`codeblue compare` and `report` read them). */
export async function writeMetricsFile(ctx: RunContext): Promise<void> {
  // Awaited by the run: the folder may be moved or removed right after it.
  await writeMetrics(ctx.store, ctx.folder.path('samples/metrics.ndjson'), ctx.clock.originEpochMs)
    .catch((err: unknown) => ctx.incidents.note('writing samples/metrics.ndjson', err));
}
