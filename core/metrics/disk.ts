/** @module core/metrics: the run folder's `samples/metrics.ndjson` — one line per series × second — and its reader. */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { CodeblueError } from '../errors.js';
import { type Cell, type CounterCell, type GaugeCell, type RateCell, type TrendCell } from './cells.js';
import { MetricStore } from './store.js';
import type { MetricType, Tags } from './types.js';

/** The format tag on the first line; bump only with a reader for the old one. */
export const METRICS_FORMAT = 'codeblue-metrics/1';

/** The header line. */
export interface MetricsHeader {
  readonly format: typeof METRICS_FORMAT;
  /** Run elapsed ms (time base for counter rates). */
  readonly elapsedMs: number;
  /** Epoch ms of run offset 0, when known. */
  readonly originEpochMs?: number;
}

/**
 * One data line. Trend values are ms; `hdr` is the HdrHistogram V2 compressed base64 of the second's values in µs.
 * - trend:   `{ second, metric, type:'trend', tags, count, sum, min, max, hdr }`
 * - counter: `{ second, metric, type:'counter', tags, count, sum }` (count = samples, sum = total value)
 * - rate:    `{ second, metric, type:'rate', tags, count, passes }` (passes = non-zero samples)
 * - gauge:   `{ second, metric, type:'gauge', tags, count, value, min, max }` (value = last)
 */
export type MetricsLine =
  | { second: number; metric: string; type: 'trend'; tags: Tags; count: number; sum: number; min: number; max: number; hdr: string }
  | { second: number; metric: string; type: 'counter'; tags: Tags; count: number; sum: number }
  | { second: number; metric: string; type: 'rate'; tags: Tags; count: number; passes: number }
  | { second: number; metric: string; type: 'gauge'; tags: Tags; count: number; value: number; min: number; max: number };

/** Yields the header and every series × second line, seconds ascending within a series. */
export function* metricsLines(store: MetricStore, originEpochMs?: number): Generator<string> {
  store.restoreSpilled();
  store.compactAll();
  const header: MetricsHeader = { format: METRICS_FORMAT, elapsedMs: store.elapsedMs(), ...(originEpochMs === undefined ? {} : { originEpochMs }) };
  yield JSON.stringify(header);
  for (const s of store.allSeries()) {
    const { metric, type, tags } = s.info;
    for (const second of [...s.cells.keys()].sort((a, b) => a - b)) {
      yield JSON.stringify(lineOf(second, metric, type, tags, s.cells.get(second) as Cell));
    }
  }
}

/** Writes the store to `file` (creating its folder), e.g. `runs/<id>/samples/metrics.ndjson`. */
export async function writeMetrics(store: MetricStore, file: string, originEpochMs?: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  for (const line of metricsLines(store, originEpochMs)) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Rebuilds a MetricStore from a `metrics.ndjson` file; malformed content → CB_RUN_DIR_INVALID. */
export async function readMetrics(file: string): Promise<{ store: MetricStore; header: MetricsHeader }> {
  const store = new MetricStore();
  let header: MetricsHeader | undefined;
  let lineNo = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  try {
    for await (const raw of rl) {
      lineNo++;
      if (raw.trim() === '') continue;
      const fail = (why: string): never => {
        throw new CodeblueError('CB_RUN_DIR_INVALID', `${file}:${lineNo}: ${why}`, { hint: 'the samples file is damaged; re-run or restore it from the run folder' });
      };
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        fail('not JSON');
      }
      if (header === undefined) {
        const h = parsed as Partial<MetricsHeader>;
        if (h.format !== METRICS_FORMAT) fail(`expected a "${METRICS_FORMAT}" header line`);
        header = h as MetricsHeader;
        continue;
      }
      addLine(store, parsed as MetricsLine, fail);
    }
  } catch (err) {
    if (err instanceof CodeblueError) throw err;
    throw new CodeblueError('CB_RUN_DIR_INVALID', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (header === undefined) throw new CodeblueError('CB_RUN_DIR_INVALID', `${file} is empty`, { hint: 'the run wrote no samples' });
  store.markEnd(header.elapsedMs);
  return { store, header };
}

function lineOf(second: number, metric: string, type: MetricType, tags: Tags, cell: Cell): MetricsLine {
  switch (type) {
    case 'trend': {
      const c = cell as TrendCell;
      // metricsLines compacted every cell first, so the values are all in `encoded`.
      return { second, metric, type, tags, count: c.count, sum: c.sum, min: c.min, max: c.max, hdr: c.encoded ?? '' };
    }
    case 'counter': {
      const c = cell as CounterCell;
      return { second, metric, type, tags, count: c.count, sum: c.sum };
    }
    case 'rate': {
      const c = cell as RateCell;
      return { second, metric, type, tags, count: c.count, passes: c.passes };
    }
    case 'gauge': {
      const c = cell as GaugeCell;
      return { second, metric, type, tags, count: c.count, value: c.value, min: c.min, max: c.max };
    }
  }
}

function addLine(store: MetricStore, l: MetricsLine, fail: (why: string) => never): void {
  if (typeof l.metric !== 'string' || !Number.isInteger(l.second) || typeof l.tags !== 'object' || l.tags === null) fail('expected { second, metric, type, tags, … }');
  if (!['trend', 'counter', 'rate', 'gauge'].includes(l.type)) fail(`unknown metric type "${String(l.type)}"`);
  if (store.typeOf(l.metric) === undefined) store.declare(l.metric, l.type);
  const series = store.seriesData(l.metric, l.tags);
  let cell: Cell;
  switch (l.type) {
    case 'trend':
      if (typeof l.hdr !== 'string' || l.hdr === '') fail('a trend line needs its "hdr" histogram');
      cell = { count: l.count, sum: l.sum, min: l.min, max: l.max, hist: undefined, encoded: l.hdr } satisfies TrendCell;
      break;
    case 'counter':
      cell = { count: l.count, sum: l.sum } satisfies CounterCell;
      break;
    case 'rate':
      cell = { count: l.count, passes: l.passes } satisfies RateCell;
      break;
    case 'gauge':
      cell = { count: l.count, value: l.value, min: l.min, max: l.max } satisfies GaugeCell;
      break;
  }
  series.addCell(l.second, cell);
}
