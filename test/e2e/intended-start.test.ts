/**
 * @module test/e2e: intended-start latency on a stalled target. An open-model game day against a target that is
 * paused (SIGSTOP) for a while: raw latency stays low — the stall happens before a request is written — while
 * latency from the intended start shows it, so the threshold and the SLO on the corrected series fail and the raw
 * ones pass.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../plan/index.js';
import type { RunResults } from '../../reports/index.js';
import { executeGameDay } from '../../run/index.js';

const TARGET = fileURLToPath(new URL('./fixtures/stalling-target.mjs', import.meta.url));
const STALL_MS = 2500;

let target: ChildProcess | undefined;
const out = mkdtempSync(join(tmpdir(), 'cb-e2e-intended-'));

afterAll(async () => {
  if (target && target.exitCode === null && target.signalCode === null) {
    target.kill('SIGCONT');
    const exited = new Promise((resolve) => target?.once('exit', resolve));
    target.kill('SIGTERM');
    await exited;
  }
  rmSync(out, { recursive: true, force: true });
}, 20_000);

function startTarget(): Promise<number> {
  target = spawn(process.execPath, [TARGET], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  return new Promise((resolve, reject) => {
    target?.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /listening (\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    target?.once('exit', (code) => reject(new Error(`stalling target exited ${code}`)));
  });
}

function planFor(port: number) {
  const doc = {
    name: 'stalled-target',
    target: { baseUrl: `http://127.0.0.1:${port}`, health: '/' },
    phases: { baseline: '2s', fault: '3s', recovery: '2s' },
    scenarios: {
      open: {
        executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '7s', preAllocatedVUs: 80, maxVUs: 120,
        steps: [{ name: 'get', request: { method: 'GET', path: '/' } }],
      },
    },
    thresholds: { http_req_duration: ['p(90)<1000'], http_req_duration_corrected: ['p(90)<1000'] },
    slos: [
      { name: 'fast from start', objective: '95%', sli: { latency: '1000ms' }, scope: 'run' },
      { name: 'fast from intended start', objective: '95%', sli: { latency: '1000ms', from: 'intended' }, scope: 'run' },
    ],
    collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
    safety: { maxDuration: '1m', maxRequests: 5000, maxVUs: 200 },
    outputs: ['json', 'html', 'markdown'],
  };
  return parsePlan(`${JSON.stringify(doc, null, 2)}\n`, 'stalled-target.yaml');
}

describe('intended-start latency on a stalled target (open model)', { timeout: 90_000 }, () => {
  it('shows corrected > raw; the corrected threshold and SLO fail while the raw ones pass', async () => {
    const port = await startTarget();
    const child = target as ChildProcess;
    let resume: NodeJS.Timeout | undefined;
    const outcome = await executeGameDay(planFor(port), {
      outRoot: out,
      onEvent: (e) => {
        // The target process freezes for STALL_MS from the start of the fault phase.
        if (e.type === 'phase' && e.phase === 'fault') {
          child.kill('SIGSTOP');
          resume = setTimeout(() => child.kill('SIGCONT'), STALL_MS);
        }
      },
    }).finally(() => {
      clearTimeout(resume);
      child.kill('SIGCONT');
    });
    const results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;

    const total = results.phaseTables.find((t) => t.scope === 'run')?.total;
    expect(total?.count ?? 0).toBeGreaterThan(100);
    expect(total?.failures).toBe(0);
    // Latency from the intended start is above raw latency where it counts (p95), not only at the edge.
    expect(total?.p95CorrectedMs ?? 0).toBeGreaterThan(total?.p95Ms ?? Infinity);

    const threshold = (name: string) => results.verdicts.find((v) => v.kind === 'threshold' && v.name === name);
    expect(threshold('http_req_duration: p(90)<1000')?.pass, JSON.stringify(results.verdicts)).toBe(true);
    expect(threshold('http_req_duration_corrected: p(90)<1000')?.pass, JSON.stringify(results.verdicts)).toBe(false);
    const slo = (name: string) => results.slos.find((s) => s.name === name);
    expect(slo('fast from start')?.pass).toBe(true);
    expect(slo('fast from intended start')?.pass).toBe(false);
    expect(slo('fast from intended start')?.latencyFrom).toBe('intended');
    expect(results.meta.status).toBe('failed');
    expect(outcome.exitCode).toBe(1);

    // The report shows the intended-start columns and the slowest requests with their lag.
    const html = readFileSync(join(outcome.runDir, 'report.html'), 'utf8');
    expect(html).toContain('p95 intended');
    const slowest = results.exemplars?.run?.slowest ?? [];
    expect(slowest.length).toBeGreaterThan(0);
    for (const e of slowest) expect(e.correctedDurationMs).toBeGreaterThanOrEqual(e.durationMs);
  });
});
