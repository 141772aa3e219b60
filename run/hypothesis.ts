/** @module run: the steady-state hypothesis — each probe is one request whose answer must meet `expect`. */
import { request, type Dispatcher } from 'undici';
import { isCodeblueError, LOOPBACK_GUARD, type NetGuard } from '../core/index.js';
import type { ProbeSpec } from '../plan/index.js';

export interface ProbeResult {
  readonly name: string;
  /** `before` the faults or `after` recovery. */
  readonly when: 'before' | 'after';
  readonly pass: boolean;
  readonly status: number;
  readonly durationMs: number;
  readonly tries: number;
  readonly message: string;
  /** True when the net guard (or the same-origin rule) refused the probe: nothing was sent. */
  readonly refused?: boolean;
}

/**
 * Runs every probe against `baseUrl`; a probe passes when any of its tries meets all expectations.
 * Every probe connection goes through `guard` (checked at connect time); a probe URL off the target's origin,
 * or an address the guard refuses, fails the probe without sending anything.
 */
export async function checkHypothesis(entries: readonly (ProbeSpec | { readonly selector: unknown })[], baseUrl: string, when: 'before' | 'after', signal?: AbortSignal, guard: NetGuard = LOOPBACK_GUARD): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  const dispatcher = guard.withKey('target.baseUrl (hypothesis probes)').agent();
  try {
    // Trace assertions in the hypothesis are evaluated over the collected spans, per phase, after the run.
    for (const probe of entries.filter(isProbe)) results.push(await runProbe(probe, baseUrl, when, dispatcher, signal));
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
  return results;
}

async function runProbe(probe: ProbeSpec, baseUrl: string, when: 'before' | 'after', dispatcher: Dispatcher, signal?: AbortSignal): Promise<ProbeResult> {
  let last: ProbeResult | undefined;
  for (let attempt = 1; attempt <= probe.tries; attempt++) {
    last = await tryOnce(probe, baseUrl, when, attempt, dispatcher, signal);
    if (last.pass || last.refused === true) return last;
  }
  return last as ProbeResult;
}

async function tryOnce(probe: ProbeSpec, baseUrl: string, when: 'before' | 'after', tries: number, dispatcher: Dispatcher, signal?: AbortSignal): Promise<ProbeResult> {
  const started = performance.now();
  const expected = Array.isArray(probe.expect.status) ? probe.expect.status : [probe.expect.status];
  const base = { name: probe.name, when, tries };
  try {
    const url = new URL(probe.request.path, baseUrl);
    if (url.origin !== new URL(baseUrl).origin) {
      return { ...base, pass: false, refused: true, status: 0, durationMs: 0, message: `refused: request.path ${JSON.stringify(probe.request.path)} leaves the target (${url.origin} is not ${new URL(baseUrl).origin}); nothing was sent` };
    }
    for (const [k, v] of Object.entries(probe.request.query ?? {})) url.searchParams.set(k, String(v));
    const body = probe.request.json !== undefined ? JSON.stringify(probe.request.json) : probe.request.body;
    const res = await request(url, {
      method: probe.request.method,
      headers: { ...(probe.request.json !== undefined ? { 'content-type': 'application/json' } : {}), ...probe.request.headers },
      body,
      headersTimeout: probe.request.timeout,
      bodyTimeout: probe.request.timeout,
      signal,
      dispatcher,
    });
    const text = await res.body.text();
    const durationMs = performance.now() - started;
    const problems = [
      expected.includes(res.statusCode) ? undefined : `status ${res.statusCode}, expected ${expected.join(' or ')}`,
      probe.expect.maxDuration !== undefined && durationMs > probe.expect.maxDuration ? `took ${Math.round(durationMs)}ms, expected at most ${probe.expect.maxDuration}ms` : undefined,
      probe.expect.contains !== undefined && !text.includes(probe.expect.contains) ? `body does not contain ${JSON.stringify(probe.expect.contains)}` : undefined,
    ].filter((p): p is string => p !== undefined);
    return { ...base, pass: problems.length === 0, status: res.statusCode, durationMs, message: problems.join('; ') || `status ${res.statusCode} in ${Math.round(durationMs)}ms` };
  } catch (err) {
    if (isCodeblueError(err)) return { ...base, pass: false, refused: true, status: 0, durationMs: performance.now() - started, message: `refused: ${err.message}` };
    return { ...base, pass: false, status: 0, durationMs: performance.now() - started, message: `no answer: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

/** A hypothesis entry that is an HTTP probe (the others are trace assertions). */
export function isProbe(entry: ProbeSpec | { readonly selector: unknown }): entry is ProbeSpec {
  return 'request' in entry;
}
