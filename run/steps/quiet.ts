/** @module run/steps: waits for late spans — until the OTLP receiver has been idle for a quiet period, with a cap. */
import { sleep } from '../../core/index.js';

export interface QuietOptions {
  /** Idle this long (ms) counts as quiet. */
  readonly quietMs: number;
  /** Give up after this long (ms): a target that never stops sending must not hold the run. */
  readonly capMs: number;
  /** Poll period (ms). */
  readonly pollMs?: number;
}

/** Resolves `true` once nothing has arrived for `quietMs` (counted from the call at the earliest), `false` at the cap. */
export async function waitForQuiet(source: { lastReceivedAt(): number | undefined }, o: QuietOptions): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    const now = Date.now();
    const last = Math.max(started, source.lastReceivedAt() ?? 0);
    if (now - last >= o.quietMs) return true;
    if (now - started >= o.capMs) return false;
    await sleep(Math.min(o.pollMs ?? 50, o.quietMs));
  }
}
