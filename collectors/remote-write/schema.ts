/**
 * @module collectors/remote-write: the plan entry of the Prometheus remote-write output (`outputs:` list), with
 * k6's defaults (`K6_PROMETHEUS_RW_SERVER_URL`, `_PUSH_INTERVAL` 5s, `_TREND_STATS`, `_TREND_AS_NATIVE_HISTOGRAM`,
 * `_STALE_MARKERS`, `_HTTP_HEADERS`); `prometheus-rw` alone means all defaults.
 */
import { z } from 'zod';
import type { DeepReadonly } from '../../core/index.js';
import { positiveDuration } from '../../core/schema-kit.js';
import { DEFAULT_TREND_STATS, parseTrendStat } from './trend-stats.js';

export const REMOTE_WRITE_TYPE = 'prometheus-rw';
/** k6's default remote-write URL (a local Prometheus with `--web.enable-remote-write-receiver`). */
export const DEFAULT_REMOTE_WRITE_URL = 'http://localhost:9090/api/v1/write';

const trendStat = z.string().refine((s) => parseTrendStat(s) !== undefined, {
  message: 'expected a trend stat: avg, min, med, max, count, sum or p(N) with N in 0–100, e.g. "p(95)"',
});

export const remoteWriteOutputSchema = z
  .object({
    type: z.literal(REMOTE_WRITE_TYPE),
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like http://127.0.0.1:9090/api/v1/write' }).default(DEFAULT_REMOTE_WRITE_URL),
    pushInterval: positiveDuration.prefault('5s'),
    trendStats: z.array(trendStat).min(1).default([...DEFAULT_TREND_STATS]),
    trendAsNativeHistogram: z.boolean().default(false),
    staleMarkers: z.boolean().default(false),
    headers: z.record(z.string(), z.string()).default({}),
    timeout: positiveDuration.prefault('5s'),
  })
  .strict();

export type RemoteWriteOutputConfig = z.output<typeof remoteWriteOutputSchema>;

/** The remote-write outputs of a plan's `outputs` list, the bare `prometheus-rw` filled with the defaults. */
export function remoteWriteOutputsOf(outputs: readonly (string | DeepReadonly<RemoteWriteOutputConfig>)[]): RemoteWriteOutputConfig[] {
  return outputs.flatMap((o) => {
    if (o === REMOTE_WRITE_TYPE) return [remoteWriteOutputSchema.parse({ type: REMOTE_WRITE_TYPE })];
    return typeof o === 'object' ? [{ ...o, trendStats: [...o.trendStats], headers: { ...o.headers } }] : [];
  });
}

/** The names k6 and codeblue give the output on the command line (`k6 run --out experimental-prometheus-rw`). */
const FLAG_NAMES = new Set(['experimental-prometheus-rw', REMOTE_WRITE_TYPE]);

/**
 * `experimental-prometheus-rw[=URL]` (or `prometheus-rw[=URL]`) → the output it asks for: the plan's own
 * `prometheus-rw` entry (its options kept) with the URL replaced when one is given. Undefined when the text
 * names another output; throws (a message for the user) for a bad URL.
 */
export function remoteWriteFromFlag(text: string, planOutputs: readonly (string | DeepReadonly<RemoteWriteOutputConfig>)[]): RemoteWriteOutputConfig | undefined {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!FLAG_NAMES.has(name)) return undefined;
  const base = remoteWriteOutputsOf(planOutputs)[0] ?? remoteWriteOutputSchema.parse({ type: REMOTE_WRITE_TYPE });
  if (eq < 0) return base;
  const url = remoteWriteOutputSchema.shape.url.safeParse(text.slice(eq + 1));
  if (!url.success) throw new Error(`"${text.slice(eq + 1)}" is not an http(s) URL like http://127.0.0.1:9090/api/v1/write`);
  return { ...base, url: url.data };
}
