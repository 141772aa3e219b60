/** @module scenarios/engine: one VU iteration — render, send, record, check, save, think, groups, ledger. */
import type { Clock } from '../../core/clock.js';
import type { MetricRecorder } from '../../core/metrics/index.js';
import type { CheckSample, RequestSample, Sink } from '../../core/sample.js';
import { millis } from '../../core/units.js';
import type { GroupStep, MllpStep, RequestStep, Step } from '../schema.js';
import type { MllpLinks } from '../mllp/link.js';
import { prepareMessage, sendMessage, type ControlIds } from '../mllp/run-step.js';
import type { SyntheticData } from '../synthetic/generate.js';
import { evaluateChecks } from '../portable/checks.js';
import { iterationUuid } from '../portable/iteration-uuid.js';
import type { ParsedBody, ResponseView } from '../portable/response-view.js';
import { applySave } from '../portable/save.js';
import { renderText, TemplateError } from '../portable/template.js';
import type { HttpClient, HttpResponse } from './http-client.js';
import { keyFieldsOf, type LedgerEntry } from './ledger.js';
import { nextTraceparent } from './trace-ids.js';
import type { AuthHeader, AuthSession } from '../auth/auth-session.js';
import { authorize, sendAuthorized } from './authorized-send.js';
import { ABSOLUTE, compiledFor, prepare, seriesOf, withTraceparent, type Compiled, type Prepared } from './compiled-step.js';

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
  /** Counts a request (or ledger read path) that could not be rendered: the step's name tag and why. */
  readonly renderFailed: (name: string, message: string) => void;
  /** Max response body kept, bytes. */
  readonly maxBodyBytes: number;
  /** The scenario's credential (target.auth or its own override); undefined: requests go without. */
  readonly auth?: AuthSession | undefined;
  /** Counts a request sent again with a fresh token after a 401. */
  readonly noteAuthRetry: () => void;
  /** The runner's MLLP connections (one per VU and address) and MSH-10 control ids; set when a step sends HL7. */
  readonly mllp?: MllpLinks | undefined;
  readonly controlIds?: ControlIds | undefined;
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
  const scope = new IterationScope(rt, st);
  // The lag between the scheduled and the actual start is carried into every request's corrected duration.
  const lag = Math.max(0, startedAt - st.scheduledAt);
  try {
    const ok = await runSteps(rt, rt.steps, '', scope, lag, signal);
    if (ok) {
      const now = rt.clock.now();
      rt.recorder.recordIteration(rt.scenario, now, now - startedAt, now - Math.min(startedAt, st.scheduledAt));
    }
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
  readonly vu: number;
  readonly vars: Record<string, unknown>;
  readonly base: Record<string, unknown>;
}

/** An iteration's template scope; the base values are built only when a template or ledger path needs them. */
class IterationScope implements Scope {
  readonly vars: Record<string, unknown> = {};
  readonly vu: number;
  private built: Record<string, unknown> | undefined;

  constructor(
    private readonly rt: ScenarioRuntime,
    private readonly st: IterationState,
  ) {
    this.vu = st.vu;
  }

  get base(): Record<string, unknown> {
    return (this.built ??= baseScope(this.rt, this.st));
  }
}

function baseScope(rt: ScenarioRuntime, st: IterationState): Record<string, unknown> {
  return {
    synthetic: rt.synthetic.pick(st.global), params: rt.params, env: rt.env, vu: st.vu, iter: st.iter, scenario: rt.scenario,
    // Built only when a template asks for it (a unique id per VU iteration, e.g. for transaction urn:uuid refs).
    get uuid(): string {
      return iterationUuid(st.vu, st.iter);
    },
  };
}

async function runSteps(rt: ScenarioRuntime, steps: readonly Step[], group: string, scope: Scope, lag: number, signal: AbortSignal): Promise<boolean> {
  for (const step of steps) {
    if (signal.aborted) return false;
    if ('group' in step) {
      if (!(await runGroup(rt, step, group, scope, lag, signal))) return false;
      continue;
    }
    if (step.onlyIf !== undefined && scope.vars[step.onlyIf] === undefined) continue;
    if ('mllp' in step) {
      if (!(await runMllp(rt, step, group, scope, signal))) return false;
      if (!(await think(rt, step, signal))) return false;
      continue;
    }
    // Rendered before the request budget is taken: a request that cannot be rendered is never sent or counted.
    const prepared = prepareRequest(rt, step, scope);
    // No await on the hot path of a plan without auth.
    const authz = rt.auth === undefined ? undefined : await authorize(rt, signal);
    if (authz === false) return false;
    if (!rt.takeRequest()) return false;
    await runRequest(rt, step, prepared, group, scope, lag, signal, authz);
    if (!(await think(rt, step, signal))) return false;
  }
  return !signal.aborted;
}

/** The step's think time; false when the wait was cut off. */
async function think(rt: ScenarioRuntime, step: RequestStep | MllpStep, signal: AbortSignal): Promise<boolean> {
  if (step.think === undefined || signal.aborted) return true;
  const ms = typeof step.think === 'number' ? step.think : step.think.min + Math.random() * Math.max(0, step.think.max - step.think.min);
  try {
    await rt.clock.sleepUntil(millis(rt.clock.now() + ms), signal);
    return true;
  } catch {
    return false;
  }
}

/** One HL7 message: rendered before the request budget is taken, as a request is; its failures never stop the iteration. */
async function runMllp(rt: ScenarioRuntime, step: MllpStep, group: string, scope: Scope, signal: AbortSignal): Promise<boolean> {
  const ids = rt.controlIds;
  if (ids === undefined) throw new Error('scenario runtime has no MLLP control ids (runLoad sets them)');
  const message = prepareMessage(rt, step, () => ({ ...scope.base, ...scope.vars }), ids);
  if (!rt.takeRequest()) return false;
  await sendMessage(rt, step, message, group, scope.vu, signal);
  return !signal.aborted;
}

async function runGroup(rt: ScenarioRuntime, step: GroupStep, parent: string, scope: Scope, lag: number, signal: AbortSignal): Promise<boolean> {
  const group = `${parent}::${step.group}`;
  const start = rt.clock.now();
  const ok = await runSteps(rt, step.steps, group, scope, lag, signal);
  if (ok) rt.recorder.recordGroup(rt.scenario, group, rt.clock.now(), rt.clock.now() - start);
  return ok;
}

/** The step's compiled form and its rendered request; a TemplateError is counted as a render failure, then rethrown. */
function prepareRequest(rt: ScenarioRuntime, step: RequestStep, scope: Scope): { c: Compiled; p: Prepared } {
  const c = compiledFor(rt, step);
  if (c.fixed !== undefined) return { c, p: c.fixed };
  try {
    return { c, p: prepare(rt, step, { ...scope.base, ...scope.vars }) };
  } catch (err) {
    if (err instanceof TemplateError) rt.renderFailed(c.name, err.message);
    throw err;
  }
}

async function runRequest(rt: ScenarioRuntime, step: RequestStep, { c, p }: { c: Compiled; p: Prepared }, group: string, scope: Scope, lag: number, signal: AbortSignal, authz: AuthHeader | undefined): Promise<void> {
  const r = step.request;
  const offTarget = c.fixed !== undefined ? c.fixedOffTarget : ABSOLUTE.test(p.path);
  const path = p.path;
  const trace = nextTraceparent();
  const traceId = trace.traceId;
  const headers = withTraceparent(p.headers, trace.header);

  const requestedAt = rt.clock.now();
  const perfAtRequest = performance.now();
  const res: HttpResponse = offTarget
    ? offTargetResponse(perfAtRequest)
    : await sendAuthorized(rt, { origin: rt.origin, method: r.method, path, headers, body: p.body, timeoutMs: r.timeout, vu: scope.vu, discardBody: !c.readsBody }, authz, signal);
  // Cut off by our own stop (Ctrl-C, halt, end of the scenario): not the target's failure, counted apart.
  if (res.errorCode === 'EABORTED' && signal.aborted) return rt.recorder.recordAborted(rt.scenario, rt.clock.now());
  // performance.now() marks → run offsets on the run clock.
  const t = res.t;
  const startedAt = requestedAt + (t.started - perfAtRequest);
  const durationMs = t.done - t.started;
  const expected = c.expected ? c.expected.has(res.status) : res.status >= 200 && res.status <= 399;
  const sample: RequestSample = {
    scheduledAt: millis(requestedAt - lag),
    startedAt: millis(startedAt),
    scenario: rt.scenario,
    name: c.name,
    method: r.method,
    group,
    status: res.status,
    durationMs,
    correctedDurationMs: requestedAt + (t.done - perfAtRequest) - (requestedAt - lag),
    failed: !expected || res.errorCode !== undefined,
    errorCode: res.errorCode,
    bytesSent: res.bytesSent,
    bytesReceived: res.bytesReceived,
    // k6's split: blocked (waiting for a connection slot) excludes the new connection's connect and TLS time;
    // sending + waiting + receiving = duration.
    timings: {
      blocked: Math.max(0, t.started - t.dispatched - t.connecting - t.tlsHandshaking), connecting: t.connecting, tlsHandshaking: t.tlsHandshaking,
      sending: t.sent - t.started, waiting: t.headers - t.sent, receiving: t.done - t.headers,
    },
    traceId,
    tags: c.tags,
  };
  rt.recorder.recordRequest(sample, seriesOf(rt, c, group, sample));
  rt.samples?.add(sample);
  if (step.check === undefined && step.save === undefined && step.ledger === undefined) return;

  const view = responseView(res, durationMs);
  if (step.check !== undefined) {
    const at = rt.clock.now();
    for (const c of evaluateChecks(step.check, view)) {
      const cs: CheckSample = { at, scenario: rt.scenario, group, name: c.name, ok: c.ok };
      rt.recorder.recordCheck(cs);
      rt.checks?.add(cs);
    }
  }
  if (step.save !== undefined) applySave(scope.vars, step.save, view);
  if (step.ledger !== undefined && res.status >= 200 && res.status < 300) recordLedger(rt, step, scope, view.json(), traceId);
}

/** The response as checks and saves read it: body text and JSON worked out lazily, once; a truncated body is not JSON. */
function responseView(res: HttpResponse, durationMs: number): ResponseView {
  let text: string | undefined;
  let parsed: ParsedBody | undefined;
  const bodyText = (): string => (text ??= res.body.toString('utf8'));
  return {
    status: res.status,
    durationMs,
    header: (lowerName) => res.headers[lowerName],
    bodyText,
    json: () => {
      if (parsed !== undefined) return parsed;
      try {
        parsed = res.truncated ? { ok: false } : { ok: true, value: JSON.parse(bodyText()) };
      } catch {
        parsed = { ok: false };
      }
      return parsed;
    },
  };
}

function recordLedger(rt: ScenarioRuntime, step: RequestStep, scope: Scope, doc: ParsedBody, traceId: string): void {
  if (!doc.ok || doc.value === null || typeof doc.value !== 'object') return;
  const resource = doc.value as Record<string, unknown>;
  if (typeof resource.id !== 'string' || typeof resource.resourceType !== 'string') return;
  let readPath: string;
  try {
    // `{{ id }}` in a ledger read is the id the write returned (docs/plan.md, "The ledger").
    readPath = renderText(step.ledger?.read as string, { ...scope.base, ...scope.vars, id: resource.id });
  } catch (err) {
    // The write cannot be read back: counted, never silently skipped.
    rt.renderFailed(`${step.name} (ledger read)`, err instanceof Error ? err.message : String(err));
    return;
  }
  rt.ledger?.add({ at: rt.clock.now(), scenario: rt.scenario, step: step.name, resourceType: resource.resourceType, id: resource.id, readPath, keyFields: keyFieldsOf(resource, step.ledger?.compare), ...(step.ledger?.compare ? { compare: step.ledger.compare } : {}), traceId });
}

function offTargetResponse(now: number): HttpResponse {
  return { status: 0, headers: {}, body: Buffer.alloc(0), truncated: false, errorCode: 'EOFFTARGET', errorMessage: 'URL leaves the target origin; not sent', t: { dispatched: now, started: now, sent: now, headers: now, done: now, connecting: 0, tlsHandshaking: 0 }, bytesSent: 0, bytesReceived: 0 };
}
