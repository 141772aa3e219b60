/** @module scenarios/k6: a plan's load through real k6 — the embedded engine's bounds and guard, the compiled script, the run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricStore } from '../../core/metrics/index.js';
import { createNetGuard, type NetGuard } from '../../core/net-guard.js';
import { assertWithinLimits, preflightTarget, type SafetyLimits } from '../engine/preflight.js';
import { compileK6Script, type CompileOptions, type K6PlanInput } from './compile.js';
import { runK6, type RunK6Result } from './run-k6.js';

/** Compiles the plan into `dir` (creating it) and returns the path of `script.ts`. */
export function writeK6Script(plan: K6PlanInput, dir: string, opts: CompileOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(compileK6Script(plan, opts).files)) writeFileSync(join(dir, name), text);
  return join(dir, 'script.ts');
}

export interface RunPlanWithK6Options {
  /** Where the script and k6's JSON output go. */
  readonly dir: string;
  readonly store: MetricStore;
  readonly signal?: AbortSignal;
  readonly allowRemote?: boolean;
  /** The connect-time guard for the BASE_URL check (default: from safety.allowHosts and allowRemote). */
  readonly guard?: NetGuard;
  readonly seed?: number;
  readonly onOutput?: (line: string) => void;
}

/**
 * Applies the same bounds and target guard as the embedded engine before k6 sends anything, then runs k6 on the
 * compiled script and ingests its output into `store`.
 */
export async function runPlanWithK6(plan: K6PlanInput & { readonly safety: SafetyLimits }, o: RunPlanWithK6Options): Promise<RunK6Result> {
  assertWithinLimits(plan.scenarios, plan.safety);
  const guard = o.guard ?? createNetGuard({ policy: { allowHosts: plan.safety.allowHosts ?? [], allowRemote: o.allowRemote === true }, planKey: 'target.baseUrl' });
  // k6 resolves on its own; this checks BASE_URL's resolved address and connects through the guard once before k6 starts.
  await preflightTarget(plan.target.baseUrl, guard);
  // Token endpoints named in the plan pass the same guard (k6 connects to them itself).
  for (const [key, auth] of [['target.auth', plan.target.auth], ...Object.entries(plan.scenarios).map(([n, s]) => [`scenarios.${n}.auth`, s.auth] as const)] as const) {
    if (auth !== undefined && auth.type !== 'none' && auth.type !== 'static' && auth.tokenUrl !== undefined) await guard.withKey(`${key}.tokenUrl`).assertAllowed(auth.tokenUrl);
  }
  const script = writeK6Script(plan, o.dir, o.seed === undefined ? {} : { seed: o.seed });
  return runK6({ script, outFile: join(o.dir, 'output.json'), baseUrl: plan.target.baseUrl, store: o.store, ...(o.signal ? { signal: o.signal } : {}), ...(o.onOutput ? { onOutput: o.onOutput } : {}) });
}
