/**
 * @module run/steps: step 3 — the target: launched with `target.start` (in `target.cwd`, relative to the plan file's
 * folder), told where to send its traces, and waited for until it is up, saying what is awaited every few seconds.
 */
import type { EmbeddedParts } from '../embedded.js';
import { targetEnvironment } from '../demo-stack.js';
import { waitForHealth } from '../health-wait.js';
import { targetCwd } from '../plan-paths.js';
import { startTarget, type TargetProcess } from '../target-process.js';
import type { RunContext } from './context.js';

/** Launches `target.start` (undefined without one: the target is already running). */
export function launchTarget(ctx: RunContext, parts: EmbeddedParts): TargetProcess | undefined {
  const { plan } = ctx;
  if (!plan.target.start) return undefined;
  ctx.emit({ type: 'step', message: `starting the target: ${plan.target.start}` });
  return startTarget({
    command: plan.target.start,
    cwd: targetCwd(plan),
    env: { ...targetEnvironment(parts.collectors.receiver.url), ...plan.target.env },
    logFile: ctx.folder.path('target.log'),
    record: ctx.safety.recordTarget,
  });
}

/** Resolves when the target is up; throws CB_TARGET_UNREACHABLE (exit 3) when it is not within `target.healthTimeout`. */
export async function awaitTarget(ctx: RunContext, target: TargetProcess | undefined): Promise<void> {
  const { plan } = ctx;
  const health = plan.target.health;
  const url = new URL(health ?? '', plan.target.baseUrl).href;
  // Without target.health any HTTP answer means up: a plain load test needs no health endpoint.
  ctx.emit({ type: 'step', message: `waiting for ${url} (${health === undefined ? 'any answer' : '2xx'}), up to ${Math.round(plan.target.healthTimeout / 1000)}s` });
  await waitForHealth({
    url,
    anyAnswer: health === undefined,
    timeoutMs: plan.target.healthTimeout,
    target,
    signal: ctx.signal,
    guard: ctx.guard,
    onProgress: (p) => ctx.emit({ type: 'waiting', ...p }),
  });
  ctx.emit({ type: 'target-ready', baseUrl: plan.target.baseUrl, startedByUs: target !== undefined });
}
