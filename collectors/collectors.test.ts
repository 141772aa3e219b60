/** @module collectors: startCollectors wires receiver → store → metrics and writes the run folder on close. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunSpans } from '../test/support/spans.js';
import { millis } from '../core/index.js';
import { startCollectors } from './index.js';
import { hexId, traceRequestJson } from './otlp/test-payloads.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('startCollectors', () => {
  it('places spans in the phases the orchestrator set, feeds live metrics, and writes the run folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-collectors-'));
    dirs.push(dir);
    const c = await startCollectors({ runId: 'r42', port: 0, metricsPort: 0, outDir: dir });
    const t0 = 1_700_000_000_000;
    c.setPhase('baseline', t0);
    c.setPhase('fault', t0 + 60_000);
    c.recordFault({ at: millis(60_000), action: 'on', proxy: 'ehr', toxic: 'latency', type: 'latency', outcome: 'ok' });
    const body = traceRequestJson('ehr-adapter', [
      { traceId: hexId(1, 16), spanId: hexId(1, 8), name: 'GET /Patient', startMs: t0 + 1000, durationMs: 20 },
      { traceId: hexId(2, 16), spanId: hexId(2, 8), name: 'GET /Patient', startMs: t0 + 61_000, durationMs: 900, statusCode: 2 },
    ]);
    const res = await fetch(`${c.receiver.url}/v1/traces`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    const metrics = await (await fetch(`${c.metrics?.url}/metrics`)).text();
    expect(metrics).toContain('codeblue_phase{run="r42",testid="r42",phase="fault"} 1\n');
    expect(metrics).toContain('codeblue_fault_active{run="r42",testid="r42",proxy="ehr",toxic="latency"} 1\n');
    expect(metrics).toContain('codeblue_span_errors_total{run="r42",testid="r42",service="ehr-adapter",span="GET /Patient"} 1\n');
    const summary = await c.close();
    expect(summary.aggregates.map((a) => [a.phase, a.count, a.errors, a.latency.maxMs])).toEqual([['baseline', 1, 0, 20], ['fault', 1, 1, 900]]);
    expect(readdirSync(dir).sort()).toEqual(['logs.ndjson', 'metrics.ndjson', 'spans-0001.ndjson.gz', 'summary.json']);
    expect(await readRunSpans(dir)).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toMatchObject({ runId: 'r42', receiver: { accepted: { traces: 2 } } });
    expect(await c.close()).toBe(summary); // closing twice is harmless
  });
});
