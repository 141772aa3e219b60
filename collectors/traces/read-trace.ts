/** @module collectors/traces: one trace read back from a run folder's span files (compressed or plain), as a waterfall. */
import { CodeblueError } from '../../core/index.js';
import type { SpanRecord } from '../otlp/types.js';
import { readSpanFile, spanFilesIn, type SpanReadBreak } from '../store/span-files.js';
import { buildWaterfall, type TraceWaterfall } from './trace-tree.js';

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * Streams `runDir`'s span files (`spans-NNNN.ndjson.gz`, or an older run's `spans.ndjson`) and keeps only the spans
 * of `traceId` (32 hex digits, any case); a file cut short by a killed run is read up to the break.
 * Throws CB_RUN_DIR_INVALID for a folder without span files, CB_USAGE for a malformed id and
 * CB_TRACE_NOT_FOUND when no kept span has it (all exit 2).
 */
export async function readTrace(runDir: string, traceId: string, maxSpans = 2000): Promise<TraceWaterfall> {
  const id = traceId.trim().toLowerCase();
  if (!TRACE_ID.test(id)) {
    throw new CodeblueError('CB_USAGE', `trace id "${traceId}" is not 32 hex digits`, { hint: 'copy a trace id from report.html or results.json, e.g. 4bf92f3577b34da6a3ce929d0e0e4736' });
  }
  const files = spanFilesIn(runDir);
  if (files.length === 0) {
    throw new CodeblueError('CB_RUN_DIR_INVALID', `${runDir} has no span files (spans-0001.ndjson.gz or spans.ndjson): it is not a run folder with spans`, {
      hint: 'pass a folder under runs/ of a run whose target sent OTLP traces (or a `codeblue collect --out` folder); with collectors.spans.keep: none no raw spans are written',
    });
  }
  const spans: SpanRecord[] = [];
  const breaks: SpanReadBreak[] = [];
  // Only the trace's own lines are parsed: a run folder can hold millions of spans.
  for (const file of files) {
    for await (const span of readSpanFile(file, (b) => breaks.push(b), (line) => line.includes(id))) if (span.traceId === id) spans.push(span);
  }
  if (spans.length === 0) {
    throw new CodeblueError('CB_TRACE_NOT_FOUND', `no kept span of trace ${id} in ${runDir}`, {
      hint: 'the report links the traces the run kept (errors, exemplars, the slowest, a random sample — collectors.spans); set collectors.spans.keep: all to keep every trace'
        + (breaks.length > 0 ? `; ${breaks.map((b) => b.file).join(', ')} ended early (a killed run)` : ''),
    });
  }
  return buildWaterfall(id, spans.map((s) => ({
    spanId: s.spanId, parentSpanId: s.parentSpanId, service: s.service, name: s.name, kind: s.kind,
    startEpochMs: s.startEpochMs, durationMs: s.durationMs, isError: s.status.code === 2,
  })), maxSpans);
}
