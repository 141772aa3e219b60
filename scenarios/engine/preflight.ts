/** @module scenarios/engine: checks before any traffic — safety limits, the target guard, and that the target answers. */
import { CodeblueError } from '../../core/errors.js';
import { createNetGuard, type NetGuard } from '../../core/net-guard.js';
import type { TargetPolicy } from '../../core/target-guard.js';
import { scenarioMaxVus, scenarioSpan, type ScenarioSpec } from '../schema.js';

/** The plan's hard bounds (`safety`). */
export interface SafetyLimits {
  /** Whole run, ms. */
  readonly maxDuration: number;
  readonly maxRequests: number;
  readonly maxVUs: number;
  readonly allowHosts?: readonly string[];
}

/** Refuses plans whose scenarios would exceed safety.maxVUs or safety.maxDuration (CB_LOAD_LIMIT, exit 2). */
export function assertWithinLimits(scenarios: Readonly<Record<string, ScenarioSpec>>, safety: SafetyLimits): void {
  const entries = Object.entries(scenarios);
  const vus = entries.reduce((sum, [, s]) => sum + scenarioMaxVus(s), 0);
  if (vus > safety.maxVUs) {
    throw new CodeblueError('CB_LOAD_LIMIT', `the scenarios can hold ${vus} VUs at once, more than safety.maxVUs (${safety.maxVUs})`, { hint: 'lower vus/maxVUs/stage targets, or raise safety.maxVUs deliberately' });
  }
  for (const [name, s] of entries) {
    // Iteration executors' maxDuration is a ceiling, not a plan; the run's hard stop enforces safety.maxDuration for them.
    if (s.executor === 'shared-iterations' || s.executor === 'per-vu-iterations') continue;
    const end = s.startTime + scenarioSpan(s);
    if (end > safety.maxDuration) {
      throw new CodeblueError('CB_LOAD_LIMIT', `scenario "${name}" runs until ${end / 1000}s, past safety.maxDuration (${safety.maxDuration / 1000}s)`, { hint: 'shorten the scenario or raise safety.maxDuration' });
    }
  }
}

/**
 * Target guard, then a TCP connect through the same guard (no HTTP request) so a down target fails before the run:
 * CB_TARGET_UNREACHABLE (exit 3); a refused address is CB_TARGET_NOT_ALLOWED (exit 2).
 */
export async function preflightTarget(baseUrl: string, guardOrPolicy: NetGuard | TargetPolicy, timeoutMs = 3000): Promise<URL> {
  const guard = 'connect' in guardOrPolicy ? guardOrPolicy : createNetGuard({ policy: guardOrPolicy, planKey: 'target.baseUrl' });
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CodeblueError('CB_PLAN_INVALID', `target.baseUrl "${baseUrl}" is not a URL`, { hint: 'write it like http://127.0.0.1:8080' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CodeblueError('CB_PLAN_INVALID', `target.baseUrl "${baseUrl}" must be http:// or https://`);
  }
  await guard.assertAllowed(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = guard.connect(host, port);
    const fail = (why: string, cause?: Error): void => {
      socket.destroy();
      if (cause instanceof CodeblueError) return reject(cause); // refused by the guard at connect time
      reject(new CodeblueError('CB_TARGET_UNREACHABLE', `target ${url.origin} is unreachable: ${why}`, { hint: 'start the target (or set target.start in the plan) and check target.baseUrl; no load was sent' }));
    };
    socket.setTimeout(timeoutMs, () => fail(`no TCP connection within ${timeoutMs}ms`));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message, err));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
  return url;
}
