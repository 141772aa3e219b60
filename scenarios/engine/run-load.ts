/** @module scenarios/engine: runLoad — every scenario on one clock, live thresholds, safety bounds, one LoadResult. */
import { setMaxListeners } from 'node:events';
import { systemClock, type Clock } from '../../core/clock.js';
import { MetricRecorder, MetricStore } from '../../core/metrics/index.js';
import type { CheckSample, RequestSample, Sink } from '../../core/sample.js';
import { LOOPBACK_ONLY } from '../../core/target-guard.js';
import { createNetGuard, type NetGuard } from '../../core/net-guard.js';
import { millis } from '../../core/units.js';
import { VuPool, type ExecutorContext } from '../executors/context.js';
import { refuseUnrunnable, runExecutor } from '../executors/registry.js';
import { scenarioSteps } from '../flows/registry.js';
import { scenarioMaxVus, type ScenarioSpec } from '../schema.js';
import { createSyntheticData, type SyntheticData } from '../synthetic/generate.js';
import { abortingThreshold, evaluateThresholds, validateThresholds, type ResolvedThreshold, type ThresholdResult } from '../thresholds.js';
import { HttpClient } from './http-client.js';
import { AUTH_RETRIES, createRunnerAuth } from '../auth/runner-auth.js';
import type { AuthSpec } from '../auth/schema.js';
import { runIteration, type ScenarioRuntime } from './iteration.js';
import { MllpLinks } from '../mllp/link.js';
import { assertMllpAllowed } from '../mllp/preflight.js';
import { ControlIds } from '../mllp/run-step.js';
import type { LedgerEntry } from './ledger.js';
import { assertWithinLimits, preflightTarget, type SafetyLimits } from './preflight.js';

/** Why a run stopped early. */
export interface LoadAbort {
  readonly reason: 'threshold' | 'max-requests' | 'max-duration' | 'signal';
  readonly message: string;
  readonly threshold?: ThresholdResult;
}

export interface LoadOptions {
  readonly baseUrl: string;
  readonly scenarios: Readonly<Record<string, ScenarioSpec>>;
  readonly thresholds?: readonly ResolvedThreshold[];
  readonly safety: SafetyLimits;
  /** `--allow-remote`: with safety.allowHosts, lets a non-loopback target through the guard. */
  readonly allowRemote?: boolean;
  /** Checks every connection's resolved address (default: built from safety.allowHosts and allowRemote). */
  readonly guard?: NetGuard;
  readonly clock?: Clock;
  /** Aborting it stops the run (iterations are interrupted); the result is still returned. */
  readonly signal?: AbortSignal;
  readonly store?: MetricStore;
  readonly samples?: Sink<RequestSample>;
  readonly checks?: Sink<CheckSample>;
  readonly ledger?: Sink<LedgerEntry>;
  readonly synthetic?: SyntheticData;
  /** Seed of the synthetic data when `synthetic` is not given (the plan's `seed`; default 1). */
  readonly seed?: number;
  readonly onAbort?: (abort: LoadAbort) => void;
  /** Called about once a second with the run offset and live threshold results. */
  readonly onTick?: (atMs: number, thresholds: readonly ThresholdResult[]) => void;
  /** Largest response body kept, bytes (default 10 MiB). */
  readonly maxBodyBytes?: number;
  /** `target.auth`; scenarios may override it with their own `auth`. */
  readonly auth?: AuthSpec;
  /** Told every credential auth uses (tokens, client secrets), for the PHI/secret scan; kept in memory only. */
  readonly secrets?: { add(value: string): void };
  /** Folder relative paths of the plan (auth key files) are read from (default: the working directory). */
  readonly planDir?: string;
  /** Live threshold evaluation period, ms (default 1000). */
  readonly evaluateEveryMs?: number;
}

export interface LoadResult {
  readonly store: MetricStore;
  /** Run offset (on the given clock) when load started, and how long it ran, ms. */
  readonly startedAtMs: number;
  readonly durationMs: number;
  readonly thresholds: readonly ThresholdResult[];
  /** True when every threshold passed and the run was not aborted by one. */
  readonly passed: boolean;
  readonly aborted?: LoadAbort;
  /** Iteration errors (e.g. a template naming a value that was never saved), by message. */
  readonly errors: readonly { readonly message: string; readonly count: number }[];
  /** Requests sent to the target (taken from safety.maxRequests; never a request that failed to render). */
  readonly requests: number;
  /** Requests and ledger read paths that could not be rendered (also the `render_failures` counter in the store). */
  readonly renderFailures: RenderFailures;
  readonly scenarios: Readonly<Record<string, ScenarioSpec>>;
  readonly maxVus: number;
}

/** Render failures of a run: how many, and the first one's step and message (for the verdict line). */
export interface RenderFailures {
  readonly count: number;
  readonly first?: { readonly scenario: string; readonly name: string; readonly message: string };
}

/** codeblue's own counter (not a k6 metric): one per request or ledger read path that could not be rendered. */
export const RENDER_FAILURES_METRIC = 'render_failures';

/**
 * Runs the scenarios against `baseUrl`. Setup problems throw (CB_LOAD_LIMIT, CB_TARGET_NOT_ALLOWED,
 * CB_TARGET_UNREACHABLE, CB_PLAN_INVALID) before any request; target failures during the run are samples.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const clock = opts.clock ?? systemClock();
  const store = opts.store ?? new MetricStore();
  const thresholds = opts.thresholds ?? [];
  for (const [name, s] of Object.entries(opts.scenarios)) refuseUnrunnable(name, s);
  assertWithinLimits(opts.scenarios, opts.safety);
  validateThresholds(thresholds, store);
  const steps = Object.fromEntries(Object.entries(opts.scenarios).map(([n, s]) => [n, scenarioSteps(s)]));
  const guard = opts.guard ?? createNetGuard({ policy: { allowHosts: opts.safety.allowHosts ?? [], allowRemote: opts.allowRemote === true }, planKey: 'target.baseUrl' });
  const url = await preflightTarget(opts.baseUrl, guard);
  await assertMllpAllowed(steps, guard);

  const recorder = new MetricRecorder(store);
  const authStop = new AbortController();
  const auth = await createRunnerAuth({
    target: opts.auth, overrides: Object.fromEntries(Object.entries(opts.scenarios).map(([n, s]) => [n, s.auth])), baseUrl: opts.baseUrl,
    planDir: opts.planDir ?? process.cwd(), guard, clock, store, signal: authStop.signal,
    ...(opts.secrets === undefined ? {} : { noteSecret: (v: string) => void opts.secrets?.add(v) }),
  });
  const maxVus = Object.values(opts.scenarios).reduce((n, s) => n + scenarioMaxVus(s), 0);
  const client = new HttpClient({ connections: Math.max(1, maxVus), maxBodyBytes: opts.maxBodyBytes ?? 10 * 1024 * 1024, connect: guard.connector() });
  const synthetic = opts.synthetic ?? createSyntheticData(opts.seed ?? 1);
  const mllp = new MllpLinks(guard.withKey('scenarios.*.steps[].mllp.address'));
  const controlIds = new ControlIds();
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  let abort: LoadAbort | undefined;
  const stopWith = (a: LoadAbort): void => {
    if (stop.signal.aborted) return;
    abort = a;
    stop.abort(new Error(a.message));
    opts.onAbort?.(a);
  };
  // An iteration or executor that throws (a broken sink, a bug) stops every VU of every scenario at once, and
  // runLoad rethrows it only after they all ended: no VU may keep sending after runLoad settled.
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    failure ??= { error };
    if (!stop.signal.aborted) stop.abort(error);
  };
  const onExternal = (): void => stopWith({ reason: 'signal', message: 'run interrupted' });
  if (opts.signal?.aborted) onExternal();
  opts.signal?.addEventListener('abort', onExternal, { once: true });

  let requests = 0;
  const errors = new Map<string, number>();
  if (store.typeOf(RENDER_FAILURES_METRIC) === undefined) store.declare(RENDER_FAILURES_METRIC, 'counter');
  let renderFailures: RenderFailures = { count: 0 };
  const vus = new VuPool(opts.safety.maxVUs);
  const startedAtMs = clock.now();
  const basePath = url.pathname.replace(/\/$/, '');

  const runtimeOf = (name: string, spec: ScenarioSpec): ScenarioRuntime => ({
    scenario: name, steps: steps[name] ?? [], auth: auth.forScenario(name), tags: spec.tags, env: spec.env, params: spec.params ?? {}, origin: url.origin, basePath, client, recorder, clock, synthetic,
    mllp, controlIds, samples: opts.samples, checks: opts.checks, ledger: opts.ledger, maxBodyBytes: opts.maxBodyBytes ?? 10 * 1024 * 1024,
    takeRequest: () => {
      if (requests >= opts.safety.maxRequests) {
        stopWith({ reason: 'max-requests', message: `safety.maxRequests (${opts.safety.maxRequests}) reached; load stopped` });
        return false;
      }
      requests++;
      return true;
    },
    noteError: (m) => errors.set(m, (errors.get(m) ?? 0) + 1),
    noteAuthRetry: () => store.add(AUTH_RETRIES, { scenario: name }, clock.now(), 1),
    renderFailed: (step, message) => {
      store.add(RENDER_FAILURES_METRIC, { scenario: name, name: step }, clock.now(), 1);
      renderFailures = { count: renderFailures.count + 1, first: renderFailures.first ?? { scenario: name, name: step, message } };
    },
  });

  const ticker = startTicker(clock, opts.evaluateEveryMs ?? 1000, stop.signal, (now) => {
    recorder.recordVus(now, vus.samplePeak(), vus.allocated);
    const elapsed = now - startedAtMs;
    if (elapsed >= opts.safety.maxDuration) stopWith({ reason: 'max-duration', message: `safety.maxDuration (${opts.safety.maxDuration / 1000}s) reached; load stopped` });
    const failing = abortingThreshold(thresholds, store, elapsed);
    if (failing) stopWith({ reason: 'threshold', message: `threshold ${failing.key}: ${failing.expression} failed (observed ${failing.observed}) with abortOnFail`, threshold: failing });
    if (opts.onTick) opts.onTick(now, evaluateThresholds(thresholds, store, elapsed));
  });

  try {
    await Promise.all(Object.entries(opts.scenarios).map(async ([name, spec]) => {
      const startAt = startedAtMs + spec.startTime;
      try {
        await clock.sleepUntil(millis(startAt), stop.signal);
      } catch {
        return;
      }
      const rt = runtimeOf(name, spec);
      let global = 0;
      const ctx: ExecutorContext = {
        name, clock, startAt, runStop: stop.signal, vus,
        iterate: (vu, iter, scheduledAt, signal) => runIteration(rt, { vu, iter, global: global++, scheduledAt }, signal).catch((err: unknown) => {
          fail(err);
          return false;
        }),
        dropped: (at) => recorder.recordDropped(name, at),
      };
      try {
        await runExecutor(ctx, spec);
      } catch (err) {
        fail(err);
      }
    }));
    if (failure !== undefined) throw failure.error;
  } finally {
    stop.abort(new Error('load ended'));
    ticker.stop();
    opts.signal?.removeEventListener('abort', onExternal);
    authStop.abort();
    mllp.closeAll();
    await Promise.all([client.close(), auth.close()]);
  }
  const end = clock.now();
  // The last partial second's sample (not a 0 "after the end"): the summary's `vus` then reads like k6's.
  recorder.recordVus(end, vus.samplePeak(), vus.allocated);
  store.markEnd(end - startedAtMs);
  store.compactAll();
  const final = evaluateThresholds(thresholds, store);
  const aborted = abort as LoadAbort | undefined;
  return {
    store, startedAtMs, durationMs: end - startedAtMs, thresholds: final,
    passed: final.every((t) => t.ok) && aborted?.reason !== 'threshold',
    ...(aborted === undefined ? {} : { aborted }),
    errors: [...errors.entries()].map(([message, count]) => ({ message, count })),
    requests, renderFailures,
    scenarios: opts.scenarios, maxVus,
  };
}

function startTicker(clock: Clock, everyMs: number, stopSignal: AbortSignal, tick: (now: number) => void): { stop: () => void } {
  const own = new AbortController();
  const signal = AbortSignal.any([own.signal, stopSignal]);
  void (async () => {
    let next = clock.now() + everyMs;
    for (;;) {
      try {
        await clock.sleepUntil(millis(next), signal);
      } catch {
        return;
      }
      tick(clock.now());
      next += everyMs;
    }
  })();
  return { stop: () => own.abort() };
}
