/** @module test/support: every kept span of a run (or collect) folder, from its compressed span files or an old spans.ndjson. */
import { readSpanFiles, type SpanRecord } from '../../collectors/index.js';

export async function readRunSpans(dir: string): Promise<SpanRecord[]> {
  const out: SpanRecord[] = [];
  for await (const s of readSpanFiles(dir)) out.push(s);
  return out;
}
