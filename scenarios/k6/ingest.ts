/** @module scenarios/k6: k6's `--out json` lines (Metric + Point) → the same MetricStore the embedded engine fills. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CodeblueError } from '../../core/errors.js';
import type { MetricStore, MetricType, Tags } from '../../core/metrics/index.js';

/** Tags dropped on ingest: unbounded (`url` — `name` carries the grouped URL) or constant per run. */
const DROPPED_TAGS = new Set(['url', 'proto', 'tls_version', 'subproto', 'ip']);
const TYPES = new Set<MetricType>(['counter', 'gauge', 'rate', 'trend']);
/** Token fetches of a compiled `auth` carry this tag: their http_* points are not target requests (k6/auth.ts). */
const AUTH_TAG = 'codeblue_auth';

export interface IngestOptions {
  /** Epoch ms of run offset 0; defaults to the first Point's time. */
  readonly originEpochMs?: number;
  /** Name used in error messages. */
  readonly source?: string;
}

export interface IngestStats {
  readonly points: number;
  readonly metrics: number;
  readonly originEpochMs: number | undefined;
  /** Last point's run offset, ms (the store's end is marked there). */
  readonly elapsedMs: number;
}

/** RFC 3339 with nanoseconds and an offset (Go's format) → epoch ms with sub-ms precision. */
export function parseK6Time(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(whole)) return undefined;
  const frac = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return whole + frac;
}

/**
 * Reads k6 JSON lines from a stream (or a file path; `.gz` is gunzipped) into `store`.
 * `Metric` lines declare custom metrics' types; `Point` lines are recorded at their offset from the origin.
 * A line that is not k6 JSON output → CB_K6_OUTPUT_INVALID with its line number.
 */
export async function ingestK6Json(input: Readable | string, store: MetricStore, opts: IngestOptions = {}): Promise<IngestStats> {
  const source = typeof input === 'string' ? input : opts.source ?? 'k6 output';
  const stream = typeof input === 'string' ? (input.endsWith('.gz') ? createReadStream(input).pipe(createGunzip()) : createReadStream(input)) : input;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let origin = opts.originEpochMs;
  let points = 0;
  let metrics = 0;
  let elapsed = 0;
  let lineNo = 0;
  const fail = (why: string): never => {
    throw new CodeblueError('CB_K6_OUTPUT_INVALID', `${source}:${lineNo}: ${why}`, { hint: 'pass the file k6 wrote with --out json=<file>' });
  };
  try {
    for await (const raw of rl) {
      lineNo++;
      if (raw.trim() === '') continue;
      let line: { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
      try {
        line = JSON.parse(raw) as typeof line;
      } catch {
        return fail('not JSON');
      }
      if (typeof line.metric !== 'string' || line.data === null || typeof line.data !== 'object') fail('expected {"type","metric","data"}');
      const metric = line.metric as string;
      const data = line.data as Record<string, unknown>;
      if (line.type === 'Metric') {
        const type = data.type as MetricType;
        if (!TYPES.has(type)) fail(`unknown metric type ${JSON.stringify(data.type)}`);
        if (store.typeOf(metric) === undefined) store.declare(metric, type);
        metrics++;
      } else if (line.type === 'Point') {
        const at = typeof data.time === 'string' ? parseK6Time(data.time) : undefined;
        if (at === undefined) fail(`bad point time ${JSON.stringify(data.time)}`);
        if (typeof data.value !== 'number' || !Number.isFinite(data.value)) fail('a point needs a numeric "value"');
        if (store.typeOf(metric) === undefined) fail(`point for "${metric}" before its Metric line`);
        origin ??= at as number;
        if (isAuthRequestPoint(metric, data.tags)) continue;
        const offset = Math.max(0, (at as number) - origin);
        store.add(metric, keptTags(data.tags), offset, data.value as number);
        if (offset > elapsed) elapsed = offset;
        points++;
      } else fail(`unknown line type ${JSON.stringify(line.type)}`);
    }
  } catch (err) {
    if (err instanceof CodeblueError) throw err;
    throw new CodeblueError('CB_K6_OUTPUT_INVALID', `cannot read ${source}: ${(err as Error).message}`, { cause: err });
  }
  store.markEnd(Math.max(store.elapsedMs(), elapsed));
  return { points, metrics, originEpochMs: origin, elapsedMs: elapsed };
}

function isAuthRequestPoint(metric: string, tags: unknown): boolean {
  return !metric.startsWith('auth_') && tags !== null && typeof tags === 'object' && AUTH_TAG in tags;
}

function keptTags(tags: unknown): Tags {
  if (tags === null || typeof tags !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) if (!DROPPED_TAGS.has(k) && v !== undefined && v !== null) out[k] = String(v);
  return out;
}
