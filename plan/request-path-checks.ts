/**
 * @module plan: request paths must stay on the target. `target.health`, probe and step paths are joined to
 * `target.baseUrl` by URL rules, so `//10.1.2.3/health`, `/\evil/x` or `http://host/x` would name another host
 * while passing a "starts with /" rule: those are plan errors, found before anything runs.
 */
import type { RawIssue } from './cross-checks.js';
import type { Step } from '../scenarios/schema.js';
import type { ParsedPlan } from './schema.js';

const BASE = 'http://127.0.0.1:1';

/** Adds an issue for every path that, joined to a base URL, leaves its origin (templated paths are checked at run time). */
export function checkRequestPaths(plan: ParsedPlan, issues: RawIssue[]): void {
  if (plan.target.health !== undefined) check(plan.target.health, ['target', 'health'], issues);
  plan.hypothesis.forEach((h, i) => {
    if ('request' in h) check(h.request.path, ['hypothesis', i, 'request', 'path'], issues);
  });
  for (const [name, s] of Object.entries(plan.scenarios)) {
    checkSteps(s.steps ?? [], ['scenarios', name, 'steps'], issues);
  }
}

function checkSteps(steps: readonly Step[], at: readonly (string | number)[], issues: RawIssue[]): void {
  steps.forEach((step, i) => {
    if ('group' in step) checkSteps(step.steps, [...at, i, 'steps'], issues);
    else if ('request' in step) check(step.request.path, [...at, i, 'request', 'path'], issues);
  });
}

function check(path: string, at: readonly (string | number)[], issues: RawIssue[]): void {
  if (path.startsWith('{{')) return; // rendered at run time; the engine refuses a URL off the target's origin
  const host = offOrigin(path);
  if (host === undefined) return;
  issues.push({
    path: at,
    message: `${JSON.stringify(path)} is not a path under target.baseUrl: joined to it, it names ${host === '' ? 'another URL' : `the host ${host}`}`,
    hint: 'write a path that starts with a single "/" and no scheme (e.g. /health); to reach another host, change target.baseUrl (non-loopback hosts also need safety.allowHosts and --allow-remote)',
  });
}

/** The host a path reaches when joined to a base URL, when that is not the base's own origin. */
function offOrigin(path: string): string | undefined {
  try {
    const url = new URL(path, BASE);
    return url.origin === BASE ? undefined : url.host;
  } catch {
    return '';
  }
}
