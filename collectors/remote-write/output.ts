/**
 * @module collectors/remote-write: the Prometheus remote-write output — every `pushInterval` (k6: 5 s) it pushes
 * the series that changed since the last push, as cumulative values (k6's `experimental-prometheus-rw`), snappy
 * compressed protobuf over HTTP through the net guard. A failed push (4xx/5xx with the receiver's own reason,
 * or a network error) is reported through `onError`, once per distinct reason, and never stops the run.
 */
import { request, type Dispatcher } from 'undici';
import type { NetGuard } from '../../core/index.js';
import { seriesSnapshots, type MetricStore } from '../../core/metrics/index.js';
import { encodeWriteRequest, type TimeSeries } from './prompb.js';
import type { RemoteWriteOutputConfig } from './schema.js';
import { toTimeSeries, type SeriesMapping } from './series.js';
import { snappyCompress } from './snappy.js';
import { parseTrendStat, type TrendStatSpec } from './trend-stats.js';

export interface RemoteWriteOptions {
  readonly config: RemoteWriteOutputConfig;
  /** The run's metrics (k6 names, per second). */
  readonly store: MetricStore;
  /** Set as `testid` on every series (what the stock k6 dashboards filter on). */
  readonly testId: string;
  /** Checks every connection (the URL needs allowHosts + --allow-remote unless it is loopback). */
  readonly guard: NetGuard;
  /** A push failed: `message` says how, in the receiver's own words where it gave some. */
  readonly onError: (message: string) => void;
  /** Wall clock for sample timestamps (ms since the epoch). */
  readonly now?: () => number;
}

export interface RemoteWriteStats {
  readonly pushes: number;
  readonly failed: number;
  /** Time series sent over all pushes. */
  readonly series: number;
  readonly bytes: number;
}

export interface RemoteWriteOutput {
  readonly url: string;
  /** Pushes what changed now (also what the timer calls); one push at a time. */
  flush(): Promise<void>;
  /** Stops the timer, waits for a push in flight, pushes the rest (and stale markers when asked). */
  stop(): Promise<RemoteWriteStats>;
  stats(): RemoteWriteStats;
}

/** Starts pushing on a timer; the URL is checked against the guard first (throws CB_TARGET_NOT_ALLOWED). */
export async function startRemoteWrite(options: RemoteWriteOptions): Promise<RemoteWriteOutput> {
  const { config, store, onError } = options;
  const guard = options.guard.withKey('outputs.prometheus-rw.url');
  await guard.assertAllowed(config.url);
  const now = options.now ?? Date.now;
  const dispatcher: Dispatcher = guard.agent({ headersTimeout: config.timeout, bodyTimeout: config.timeout });
  const mapping: SeriesMapping = {
    trendStats: config.trendStats.map((s) => parseTrendStat(s) as TrendStatSpec),
    nativeHistograms: config.trendAsNativeHistogram,
    commonLabels: { testid: options.testId },
  };
  const pushed = new Map<string, TimeSeries>();
  const reported = new Set<string>();
  let lastSecond = -1;
  let inFlight: Promise<void> | undefined;
  let stats = { pushes: 0, failed: 0, series: 0, bytes: 0 };

  const fail = (reason: string): void => {
    stats.failed++;
    if (reported.has(reason)) return;
    reported.add(reason);
    onError(`Prometheus remote write to ${config.url} failed: ${reason}`);
  };
  const send = async (series: TimeSeries[]): Promise<void> => {
    if (series.length === 0) return;
    const body = snappyCompress(encodeWriteRequest(series));
    stats = { ...stats, pushes: stats.pushes + 1, series: stats.series + series.length, bytes: stats.bytes + body.length };
    try {
      const res = await request(config.url, {
        method: 'POST', body, dispatcher, signal: AbortSignal.timeout(config.timeout),
        headers: {
          ...config.headers, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0', 'user-agent': 'codeblue-prometheus-rw',
        },
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) fail(`HTTP ${res.statusCode}: ${text.trim().slice(0, 500) || '(empty body)'}`);
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
  };
  const push = async (): Promise<void> => {
    const atMs = now();
    // Series whose latest second is the one of the last push may have new values in that same second.
    const snapshots = seriesSnapshots(store, lastSecond - 1);
    for (const s of snapshots) if (s.lastSecond > lastSecond) lastSecond = s.lastSecond;
    const series = toTimeSeries(snapshots, mapping, atMs);
    if (config.staleMarkers) for (const ts of series) pushed.set(ts.labels.map((l) => `${l.name}=${l.value}`).join('\u0000'), ts);
    await send(series);
  };
  const flush = (): Promise<void> => {
    inFlight ??= push().finally(() => (inFlight = undefined));
    return inFlight;
  };
  const timer = setInterval(() => void flush(), config.pushInterval);
  timer.unref();

  return {
    url: config.url,
    flush,
    async stop() {
      clearInterval(timer);
      await inFlight;
      await flush();
      if (config.staleMarkers) {
        const at = now() + 1;
        await send([...pushed.values()].map((ts) => ({ labels: ts.labels, samples: [{ value: 0, timestampMs: at, stale: true }] })));
      }
      await dispatcher.close();
      return { ...stats };
    },
    stats: () => ({ ...stats }),
  };
}
