/** @module scenarios/mllp: before any traffic, every MLLP address passes the net guard (loopback unless allow-listed). */
import type { NetGuard } from '../../core/net-guard.js';
import type { Step } from '../schema.js';

/** Throws `CB_TARGET_NOT_ALLOWED` naming the step's plan key when an `mllp.address` is refused. */
export async function assertMllpAllowed(stepsByScenario: Readonly<Record<string, readonly Step[]>>, guard: NetGuard): Promise<void> {
  for (const [scenario, steps] of Object.entries(stepsByScenario)) {
    for (const { address, key } of addresses(steps, `scenarios.${scenario}.steps`)) await guard.withKey(key).assertAllowed(address);
  }
}

function addresses(steps: readonly Step[], at: string): { address: string; key: string }[] {
  return steps.flatMap((step, i) => ('group' in step ? addresses(step.steps, `${at}[${i}].steps`) : 'mllp' in step ? [{ address: step.mllp.address, key: `${at}[${i}].mllp.address` }] : []));
}
