/** @module run: the live display's once-a-second numbers, read from the run's own per-second metric store. */
import type { MetricStore } from '../core/metrics/index.js';
import type { MessageTickStats, TickStats } from './events.js';

/** rps, p95 and error rate of the last complete second before `atMs`, plus the run's totals so far. */
export function tickStats(store: MetricStore, atMs: number): TickStats {
  const toMs = Math.floor(atMs / 1000) * 1000;
  const second = { fromMs: toMs - 1000, toMs };
  const durations = store.query({ metric: 'http_req_duration', ...second });
  const failed = store.query({ metric: 'http_req_failed', ...second });
  const hl7 = messageStats(store, second);
  return {
    rps: durations.samples,
    p95Ms: durations.samples > 0 ? durations.percentile(95) : undefined,
    errorRate: failed.samples > 0 ? failed.passes / failed.samples : 0,
    requests: store.query({ metric: 'http_reqs' }).count,
    vus: store.query({ metric: 'vus', fromMs: Math.max(0, atMs - 1000), toMs: atMs + 1 }).value,
    aborted: abortedRequests(store),
    ...(hl7 ? { hl7 } : {}),
  };
}

function messageStats(store: MetricStore, second: { fromMs: number; toMs: number }): MessageTickStats | undefined {
  const messages = store.query({ metric: 'hl7_msgs' }).count;
  if (messages === 0) return undefined;
  const durations = store.query({ metric: 'hl7_msg_duration', ...second });
  const failed = store.query({ metric: 'hl7_msg_failed', ...second });
  return {
    mps: durations.samples,
    p95Ms: durations.samples > 0 ? durations.percentile(95) : undefined,
    errorRate: failed.samples > 0 ? failed.passes / failed.samples : 0,
    messages,
  };
}

/** Requests codeblue itself cut off in flight (k6 would not emit them either); never counted as failures. */
export function abortedRequests(store: MetricStore): number {
  return store.query({ metric: 'http_reqs_aborted' }).count;
}
