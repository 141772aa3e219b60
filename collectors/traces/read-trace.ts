/** @module collectors/traces: one trace read back from a run folder's spans.ndjson, as a waterfall. */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CodeblueError } from '../../core/index.js';
import type { SpanRecord } from '../otlp/types.js';
import { buildWaterfall, type TraceWaterfall } from './trace-tree.js';

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * Streams `runDir/spans.ndjson` and keeps only the spans of `traceId` (32 hex digits, any case).
 * Throws CB_RUN_DIR_INVALID for a folder without spans.ndjson, CB_USAGE for a malformed id and
 * CB_TRACE_NOT_FOUND when no span has it (all exit 2).
 */
export async function readTrace(runDir: string, traceId: string, maxSpans = 2000): Promise<TraceWaterfall> {
  const id = traceId.trim().toLowerCase();
  if (!TRACE_ID.test(id)) {
    throw new CodeblueError('CB_USAGE', `trace id "${traceId}" is not 32 hex digits`, { hint: 'copy a trace id from report.html, results.json or spans.ndjson, e.g. 4bf92f3577b34da6a3ce929d0e0e4736' });
  }
  const file = join(runDir, 'spans.ndjson');
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new CodeblueError('CB_RUN_DIR_INVALID', `${file} is missing: ${runDir} is not a run folder with spans`, {
      hint: 'pass a folder under runs/ of a run whose target sent OTLP traces (or a `codeblue collect --out` folder)',
    });
  }
  const spans: SpanRecord[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    // Only the trace's own lines are parsed: a run folder can hold millions of spans.
    if (!line.includes(id)) continue;
    const span = JSON.parse(line) as SpanRecord;
    if (span.traceId === id) spans.push(span);
  }
  if (spans.length === 0) {
    throw new CodeblueError('CB_TRACE_NOT_FOUND', `no span of trace ${id} in ${file}`, {
      hint: 'the trace ids of a run are in its report (slowest requests, waterfalls) and in spans.ndjson; spans dropped past the memory cap are not on disk',
    });
  }
  return buildWaterfall(id, spans.map((s) => ({
    spanId: s.spanId, parentSpanId: s.parentSpanId, service: s.service, name: s.name, kind: s.kind,
    startEpochMs: s.startEpochMs, durationMs: s.durationMs, isError: s.status.code === 2,
  })), maxSpans);
}
