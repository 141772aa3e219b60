/** @module scenarios/engine: one VU iteration — render, send, record, check, save, think, groups, ledger. */
import type { Clock } from '../../core/clock.js';
import type { MetricRecorder } from '../../core/metrics/index.js';
import type { CheckSample, RequestSample, Sink } from '../../core/sample.js';
import { millis } from '../../core/units.js';
import type { GroupStep, RequestStep, Step } from '../schema.js';
import type { SyntheticData } from '../synthetic/generate.js';
import { evaluateChecks } from './checks.js';
import type { HttpClient, HttpResponse } from './http-client.js';
import { readJsonPath } from './json-path.js';
import { keyFieldsOf, type LedgerEntry } from './ledger.js';
import { hasTemplate, render, renderText, TemplateError, type TemplateScope } from './template.js';
import { nextTraceparent } from './trace-ids.js';

/** Everything the iterations of one scenario share. */
export interface ScenarioRuntime {
  readonly scenario: string;
  readonly steps: readonly Step[];
  readonly tags: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly origin: string;
  readonly basePath: string;
  readonly client: HttpClient;
  readonly recorder: MetricRecorder;
  readonly clock: Clock;
  readonly synthetic: SyntheticData;
  readonly samples?: Sink<RequestSample> | undefined;
  readonly checks?: Sink<CheckSample> | undefined;
  readonly ledger?: Sink<LedgerEntry> | undefined;
  /** Takes one request from the run's budget; false when safety.maxRequests is spent. */
  readonly takeRequest: () => boolean;
  /** Counts an iteration error by message (shown in the summary like k6's script errors). */
  readonly noteError: (message: string) => void;
  /** Max response body kept, bytes. */
  readonly maxBodyBytes: number;
}

/** Per-iteration state. `iter` counts the VU's iterations; `global` the scenario's (picks synthetic data). */
export interface IterationState {
  readonly vu: number;
  readonly iter: number;
  readonly global: number;
  /** When the iteration was meant to start (arrival-rate schedule), run offset ms. */
  readonly scheduledAt: number;
}

/**
 * Runs one iteration. Resolves true when it completed, false when it was interrupted (signal, spent request
 * budget or a template error); request failures never interrupt it, as in k6.
 */
export async function runIteration(rt: ScenarioRuntime, st: IterationState, signal: AbortSignal): Promise<boolean> {
  const startedAt = rt.clock.now();
  const vars: Record<string, unknown> = {};
  const base = {
    synthetic: rt.synthetic.pick(st.global), params: rt.params, env: rt.env, vu: st.vu, iter: st.iter, scenario: rt.scenario,
    // Built only when a template asks for it (a unique id per VU iteration, e.g. for transaction urn:uuid refs).
    get uuid(): string {
      return `cb5e0000-0000-4000-8000-${st.vu.toString(16).padStart(4, '0')}${st.iter.toString(16).padStart(8, '0')}`;
    },
  };
  const scope = { vars, base };
  // The lag between the scheduled and the actual start is carried into every request's corrected duration.
  const lag = Math.max(0, startedAt - st.scheduledAt);
  try {
    const ok = await runSteps(rt, rt.steps, '', scope, lag, signal);
    if (ok) rt.recorder.recordIteration(rt.scenario, rt.clock.now(), rt.clock.now() - startedAt);
    return ok;
  } catch (err) {
    if (err instanceof TemplateError) {
      rt.noteError(err.message);
      return false;
    }
    throw err;
  }
}

interface Scope {
  readonly vars: Record<string, unknown>;
  readonly base: Record<string, unknown>;
}

async function runSteps(rt: ScenarioRuntime, steps: readonly Step[], group: string, scope: Scope, lag: number, signal: AbortSignal): Promise<boolean> {
  for (const step of steps) {
    if (signal.aborted) return false;
    if ('group' in step) {
      if (!(await runGroup(rt, step, group, scope, lag, signal))) return false;
      continue;
    }
    if (step.onlyIf !== undefined && scope.vars[step.onlyIf] === undefined) continue;
    if (!rt.takeRequest()) return false;
    await runRequest(rt, step, group, scope, lag, signal);
    if (step.think !== undefined && !signal.aborted) {
      const ms = typeof step.think === 'number' ? step.think : step.think.min + Math.random() * Math.max(0, step.think.max - step.think.min);
      try {
        await rt.clock.sleepUntil(millis(rt.clock.now() + ms), signal);
      } catch {
        return false;
      }
    }
  }
  return !signal.aborted;
}

async function runGroup(rt: ScenarioRuntime, step: GroupStep, parent: string, scope: Scope, lag: number, signal: AbortSignal): Promise<boolean> {
  const group = `${parent}::${step.group}`;
  const start = rt.clock.now();
  const ok = await runSteps(rt, step.steps, group, scope, lag, signal);
  if (ok) rt.recorder.recordGroup(rt.scenario, group, rt.clock.now(), rt.clock.now() - start);
  return ok;
}

/** A request with its static parts rendered once (steps without `{{ }}` skip templating entirely). */
interface Prepared {
  /** The path under the origin, or an absolute URL when the step leaves the target's origin (never sent). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}
/** Per runtime (a step's static parts depend on the target's origin and base path). */
const preparedByRuntime = new WeakMap<ScenarioRuntime, WeakMap<RequestStep, Prepared | 'templated'>>();

function prepare(rt: ScenarioRuntime, step: RequestStep, scope: TemplateScope): Prepared {
  const r = step.request;
  const target = resolveTarget(rt, renderText(r.path, scope));
  let path = target.path;
  if (r.query !== undefined) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(r.query)) qs.append(k, typeof v === 'string' ? renderText(v, scope) : String(v));
    path += (path.includes('?') ? '&' : '?') + qs.toString();
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = renderText(v, scope);
  let body: string | undefined;
  if (r.json !== undefined) {
    body = JSON.stringify(render(r.json, scope));
    headers['content-type'] ??= 'application/json';
  } else if (r.body !== undefined) body = renderText(r.body, scope);
  return { path: target.origin === rt.origin ? path : `${target.origin}${path}`, headers, body };
}

function preparedFor(rt: ScenarioRuntime, step: RequestStep, scope: Scope): Prepared {
  let cache = preparedByRuntime.get(rt);
  if (cache === undefined) {
    cache = new WeakMap();
    preparedByRuntime.set(rt, cache);
  }
  const cached = cache.get(step);
  if (cached !== undefined && cached !== 'templated') return cached;
  if (cached === 'templated') return prepare(rt, step, { ...scope.base, ...scope.vars });
  if (hasTemplate(step.request)) {
    cache.set(step, 'templated');
    return prepare(rt, step, { ...scope.base, ...scope.vars });
  }
  const fixed = prepare(rt, step, {});
  cache.set(step, fixed);
  return fixed;
}

async function runRequest(rt: ScenarioRuntime, step: RequestStep, group: string, scope: Scope, lag: number, signal: AbortSignal): Promise<void> {
  const r = step.request;
  const p = preparedFor(rt, step, scope);
  const offTarget = /^https?:\/\//i.test(p.path);
  const path = p.path;
  const headers: Record<string, string> = { ...p.headers };
  const body = p.body;
  const trace = nextTraceparent();
  const traceId = trace.traceId;
  headers.traceparent = trace.header;
  const name = r.name ?? r.path;

  const requestedAt = rt.clock.now();
  const perfAtRequest = performance.now();
  const res: HttpResponse = offTarget
    ? offTargetResponse(perfAtRequest)
    : await rt.client.send({ origin: rt.origin, method: r.method, path, headers, body, timeoutMs: r.timeout }, signal);
  // performance.now() marks → run offsets on the run clock.
  const startedAt = requestedAt + (res.t.started - perfAtRequest);
  const durationMs = res.t.done - res.t.started;
  const expected = r.expectedStatuses ? r.expectedStatuses.includes(res.status) : res.status >= 200 && res.status <= 399;
  const tags = r.tags === undefined ? rt.tags : { ...rt.tags, ...r.tags };
  const sample: RequestSample = {
    scheduledAt: millis(requestedAt - lag),
    startedAt: millis(startedAt),
    scenario: rt.scenario,
    name,
    method: r.method,
    group,
    status: res.status,
    durationMs,
    correctedDurationMs: requestedAt + (res.t.done - perfAtRequest) - (requestedAt - lag),
    failed: !expected || res.errorCode !== undefined,
    ...(res.errorCode === undefined ? {} : { errorCode: res.errorCode }),
    bytesSent: res.bytesSent,
    bytesReceived: res.bytesReceived,
    timings: { blocked: res.t.started - res.t.dispatched, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: res.t.headers - res.t.started, receiving: res.t.done - res.t.headers },
    traceId,
    ...(Object.keys(tags).length === 0 ? {} : { tags }),
  };
  rt.recorder.recordRequest(sample);
  rt.samples?.add(sample);
  if (step.check === undefined && step.save === undefined && step.ledger === undefined) return;

  let text: string | undefined;
  let parsed: { ok: true; value: unknown } | { ok: false } | undefined;
  const bodyText = (): string => (text ??= res.body.toString('utf8'));
  const json = (): { ok: true; value: unknown } | { ok: false } => {
    if (parsed !== undefined) return parsed;
    try {
      parsed = res.truncated ? { ok: false } : { ok: true, value: JSON.parse(bodyText()) };
    } catch {
      parsed = { ok: false };
    }
    return parsed;
  };
  if (step.check !== undefined) {
    const at = rt.clock.now();
    for (const c of evaluateChecks(step.check, { status: res.status, headers: res.headers, bodyText, json, durationMs })) {
      const cs: CheckSample = { at, scenario: rt.scenario, group, name: c.name, ok: c.ok };
      rt.recorder.recordCheck(cs);
      rt.checks?.add(cs);
    }
  }
  for (const [key, source] of Object.entries(step.save ?? {})) {
    const value = source.startsWith('header:') ? res.headers[source.slice(7).toLowerCase()] : (() => {
      const doc = json();
      if (!doc.ok) return undefined;
      const found = readJsonPath(doc.value, source);
      return found.found ? found.value : undefined;
    })();
    if (value === undefined || value === null) delete scope.vars[key];
    else scope.vars[key] = Array.isArray(value) ? value[0] : value;
  }
  if (step.ledger !== undefined && res.status >= 200 && res.status < 300) recordLedger(rt, step, scope, json(), traceId);
}

function recordLedger(rt: ScenarioRuntime, step: RequestStep, scope: Scope, doc: { ok: true; value: unknown } | { ok: false }, traceId: string): void {
  if (!doc.ok || doc.value === null || typeof doc.value !== 'object') return;
  const resource = doc.value as Record<string, unknown>;
  if (typeof resource.id !== 'string' || typeof resource.resourceType !== 'string') return;
  let readPath: string;
  try {
    readPath = renderText(step.ledger?.read as string, { ...scope.base, ...scope.vars });
  } catch {
    return;
  }
  rt.ledger?.add({ at: rt.clock.now(), scenario: rt.scenario, step: step.name, resourceType: resource.resourceType, id: resource.id, readPath, keyFields: keyFieldsOf(resource), traceId });
}

/** A rendered path is joined to the base URL; an absolute URL (a FHIR `next` link) must stay on the target's origin. */
function resolveTarget(rt: ScenarioRuntime, rendered: string): { origin: string; path: string } {
  if (/^https?:\/\//i.test(rendered)) {
    const u = new URL(rendered);
    return { origin: u.origin, path: `${u.pathname}${u.search}` };
  }
  if (rt.basePath !== '' && rendered.startsWith(`${rt.basePath}/`)) return { origin: rt.origin, path: rendered };
  return { origin: rt.origin, path: `${rt.basePath}${rendered.startsWith('/') ? '' : '/'}${rendered}` };
}

function offTargetResponse(now: number): HttpResponse {
  return { status: 0, headers: {}, body: Buffer.alloc(0), truncated: false, errorCode: 'EOFFTARGET', errorMessage: 'URL leaves the target origin; not sent', t: { dispatched: now, started: now, headers: now, done: now }, bytesSent: 0, bytesReceived: 0 };
}
