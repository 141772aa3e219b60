import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../test/support/cli.js';
import { createSpanStore, type SpanRecord } from '../../collectors/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1_700_000_000_000;

const cli = (args: string[]): Promise<CliResult> => runCli(args, { COLUMNS: '120' });

/** A span as the receiver stores it. */
function span(spanId: string, parentSpanId: string, service: string, name: string, start: number, durationMs: number, error = false): SpanRecord {
  const nanos = (ms: number): string => (BigInt(T0 + ms) * 1_000_000n).toString();
  return {
    traceId: TRACE, spanId, parentSpanId, traceState: '', flags: 1, name, kind: parentSpanId ? 3 : 2, service,
    startTimeUnixNano: nanos(start), endTimeUnixNano: nanos(start + durationMs), startEpochMs: T0 + start, durationMs,
    status: { code: error ? 2 : 0, message: '' }, attributes: {}, resource: { 'service.name': service }, scope: { name: 't', version: '1' }, events: [], links: [],
  };
}

describe('codeblue trace', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'codeblue-cli-trace-'));
  const store = createSpanStore({ spillDir: dir });
  store.addSpans([
    span('a1', '', 'fhir-api', 'POST /fhir/Encounter', 0, 2240),
    span('b1', 'a1', 'fhir-api', 'pg.query INSERT', 12, 4), // beside the EHR call: off the critical path
    span('c1', 'a1', 'legacy-ehr', 'MLLP send', 10, 2200, true),
  ]);
  store.flush();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the waterfall with the critical path marked and names the span with the most self time (exit 0)', async () => {
    const r = await cli(['trace', dir, TRACE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain(`trace  ${TRACE} · 2.2 s · 3 span(s)`);
    expect(lines.find((l) => l.includes('MLLP send'))).toMatch(/^ {2}● {3}legacy-ehr MLLP send .* 2\.2 s .*│ *█+│ error$/);
    expect(lines.find((l) => l.includes('pg.query'))).toMatch(/^ {2}· .*│░+ +│$/);
    expect(r.stdout).toContain('critical path  fhir-api POST /fhir/Encounter (40 ms) → legacy-ehr MLLP send (2.2 s)');
    expect(r.stdout).toContain('most self time on the path  legacy-ehr MLLP send: 2.2 s of 2.2 s');
  });

  it('prints the waterfall as JSON with --json', async () => {
    const r = await cli(['--json', 'trace', dir, TRACE]);
    expect(r.code).toBe(0);
    const w = JSON.parse(r.stdout) as { spans: { spanId: string; critical: boolean; selfMs: number }[] };
    expect(w.spans.map((s) => [s.spanId, s.critical, Math.round(s.selfMs)])).toEqual([['a1', true, 40], ['c1', true, 2200], ['b1', false, 4]]);
  });

  it('exits 2 with a clear message for a folder without spans, a malformed id and an unknown trace', async () => {
    const missing = await cli(['trace', join(dir, 'nope'), TRACE]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('CB_RUN_DIR_INVALID');
    expect(missing.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const bad = await cli(['trace', dir, 'not-a-trace']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not 32 hex digits');
    const unknown = await cli(['trace', dir, 'f'.repeat(32)]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('CB_TRACE_NOT_FOUND');
    expect(unknown.stderr).toContain('hint:');
  });
});
