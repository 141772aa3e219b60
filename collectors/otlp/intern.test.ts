/** @module collectors/otlp: decoded spans share one copy of each repeated short value (intern.ts). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from './types.js';
import { decodeExport } from './decode.js';
import { hexId, traceRequestProtobuf } from './test-payloads.js';
import { intern } from './intern.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const STATEMENT = 'select content from soak_schema.resources where type = $1 and id = $2 and deleted_at is null order by version desc limit 1';

/** Live heap after `build` (what it returns is kept while measuring). */
function heapOf(build: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(kept).toBeDefined();
  return after - before;
}

/** `batches` × 500 spans decoded from protobuf, as the receiver decodes exports; `value(i)` per span. */
function decodeSpans(value: (i: number) => string, batches = 80): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const body = traceRequestProtobuf('fhir-api', Array.from({ length: 500 }, (_, k) => {
      const i = batch * 500 + k;
      return { traceId: hexId(i + 1, 16), spanId: hexId(i + 1, 8), name: 'pg.query:SELECT test', attributes: { 'db.statement': value(i), 'net.peer.name': '127.0.0.1', 'db.system': 'postgresql' } };
    }));
    const decoded = decodeExport('traces', 'protobuf', body);
    if (decoded.signal === 'traces') spans.push(...decoded.result.records);
  }
  return spans;
}

describe('intern', () => {
  it('gives back the held copy of an equal short string, and long strings as they are', () => {
    const a = ['127.0.0', '.1'].join('');
    expect(intern(a)).toBe('127.0.0.1');
    const long = 'x'.repeat(300);
    expect(intern(long)).toBe(long);
    expect(intern('')).toBe('');
  });

  it('decoded spans hold one copy of a repeated statement, not one each', () => {
    decodeSpans(() => STATEMENT, 2); // the decoder's types and code are built once, outside the measures
    // The same spans, once with one statement repeated and once with a distinct statement per span (nothing to share).
    const repeated = heapOf(() => decodeSpans(() => STATEMENT));
    const distinct = heapOf(() => decodeSpans((i) => `${STATEMENT} -- ${i.toString().padStart(6, '0')}`));
    // 40,000 statements of ~130 bytes are ~5.6 MB as copies; shared they are one.
    expect(distinct - repeated).toBeGreaterThan(3_000_000);
  });
});
