/**
 * @module run: waits until the target is up before any load or fault, saying every few seconds what it waits for.
 * With `target.health` set, that path must answer 2xx; without it, any HTTP answer from `baseUrl` (even 404) will do.
 */
import { request, type Dispatcher } from 'undici';
import { CodeblueError, isCodeblueError, LOOPBACK_GUARD, sleep, type NetGuard } from '../core/index.js';
import type { TargetProcess } from './target-process.js';

/** What is awaited, reported while waiting. `last` is the last answer (`HTTP 503`) or error code (`ECONNREFUSED`). */
export interface HealthProgress {
  readonly url: string;
  readonly expect: '2xx' | 'any answer';
  readonly last: string;
  readonly elapsedMs: number;
  readonly timeoutMs: number;
}

export interface HealthWaitOptions {
  readonly url: string;
  /** True: any HTTP status means up (no health path in the plan). False: 2xx only. */
  readonly anyAnswer: boolean;
  readonly timeoutMs: number;
  /** The process `target.start` launched: its exit ends the wait at once. */
  readonly target?: TargetProcess | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (progress: HealthProgress) => void;
  /** How often progress is reported (default 3 s). */
  readonly reportEveryMs?: number;
  /** Every poll connects through it: a refused address ends the wait at once (exit 2), nothing is sent. */
  readonly guard?: NetGuard;
}

const POLL_MS = 250;

/** Polls until up; throws CB_TARGET_UNREACHABLE (exit 3) when the target exits or never comes up in time. */
export async function waitForHealth(o: HealthWaitOptions): Promise<void> {
  const dispatcher = (o.guard ?? LOOPBACK_GUARD).withKey('target.health / target.baseUrl').agent();
  try {
    await pollUntilUp(o, dispatcher);
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

async function pollUntilUp(o: HealthWaitOptions, dispatcher: Dispatcher): Promise<void> {
  const started = Date.now();
  const deadline = started + o.timeoutMs;
  const expect = o.anyAnswer ? 'any answer' : '2xx';
  const every = o.reportEveryMs ?? 3000;
  let nextReport = started + every;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (o.signal?.aborted) throw o.signal.reason;
    if (o.target?.hasExited()) {
      const { code, signal } = await o.target.exited;
      throw new CodeblueError('CB_TARGET_UNREACHABLE', `the target exited (${signal ?? `code ${code}`}) before ${o.url} answered`, { hint: 'read target.log in the run folder, and try target.start by hand' });
    }
    const status = await probe(o.url, dispatcher);
    if (typeof status === 'number' && (o.anyAnswer || (status >= 200 && status < 300))) return;
    last = typeof status === 'number' ? `HTTP ${status}` : status;
    if (Date.now() >= nextReport) {
      o.onProgress?.({ url: o.url, expect, last, elapsedMs: Date.now() - started, timeoutMs: o.timeoutMs });
      nextReport = Date.now() + every;
    }
    await sleep(POLL_MS, o.signal);
  }
  throw new CodeblueError('CB_TARGET_UNREACHABLE', `${o.url} did not answer${o.anyAnswer ? '' : ' 2xx'} within ${Math.round(o.timeoutMs / 1000)}s (last: ${last})`, {
    hint: o.anyAnswer
      ? 'start the target first, or set target.start / target.healthTimeout in the plan'
      : 'start the target first, check target.health (it must answer 2xx), or set target.start / target.healthTimeout in the plan',
  });
}

/** The status of one GET, or the error code when there was no answer. */
async function probe(url: string, dispatcher: Dispatcher): Promise<number | string> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000, dispatcher });
    await res.body.dump();
    return res.statusCode;
  } catch (err) {
    if (isCodeblueError(err)) throw err;
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}
