/** @module cli: run progress rendering — plain lines for CI, the live view for a TTY (pure functions). */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../run/index.js';
import { paint } from './output.js';
import { renderEventLine, renderLiveView } from './progress.js';

const p = paint(false);
const at = new Date('2026-11-25T10:00:05Z');
const start: Extract<RunEvent, { type: 'run-start' }> = {
  type: 'run-start', runId: 'r1', plan: 'plan.yaml', runDir: 'runs/r1', runLengthMs: 40_000,
  phases: [{ name: 'baseline', startMs: 0, endMs: 10_000 }, { name: 'fault', startMs: 10_000, endMs: 30_000 }, { name: 'recovery', startMs: 30_000, endMs: 40_000 }],
  faults: [{ name: 'ehr-slow', proxy: 'ehr', toxic: 'latency', startMs: 10_000, endMs: 20_000 }],
};

describe('renderEventLine', () => {
  it('prints one timestamped line per event', () => {
    expect(renderEventLine(start, p, at)).toBe('10:00:05 run r1 · plan.yaml · 40s · folder runs/r1');
    expect(renderEventLine({ type: 'fault', atMs: 10_020, action: 'on', name: 'ehr-slow', proxy: 'ehr', toxic: 'latency', outcome: 'ok' }, p, at)).toBe('10:00:05 00:10 fault ON  ehr-slow (latency on ehr)');
    expect(renderEventLine({ type: 'halt', atMs: 15_000, reason: 'error rate above 50.0% for 10s' }, p, at)).toContain('HALT error rate above 50.0% for 10s');
    expect(renderEventLine({ type: 'rollback', removed: 2, leftovers: [] }, p, at)).toContain('nothing left on the chaos server');
  });

  it('says "nothing left" only when no dead run\'s proxies are left either (#13)', () => {
    const removedOthers = renderEventLine({ type: 'rollback', removed: 2, leftovers: [], others: { removed: ['cb-old-ehr'], failed: [] } }, p, at);
    expect(removedOthers).toBe('10:00:05 rollback: removed 2 (and 1 leftovers of dead runs: cb-old-ehr), nothing left on the chaos server');
    const stuck = renderEventLine({ type: 'rollback', removed: 0, leftovers: [], others: { removed: [], failed: ['run old: answered status code 500: boom'] } }, p, at);
    expect(stuck).not.toContain('nothing left');
    expect(stuck).toContain('left: run old: answered status code 500: boom');
  });

  it('prints a tick only every five seconds', () => {
    const tick = (atMs: number): RunEvent => ({ type: 'tick', atMs, phase: 'fault', activeFaults: ['ehr-slow'], stats: { rps: 50, p95Ms: 812.4, errorRate: 0.034, requests: 600, vus: 12, aborted: 0 } });
    expect(renderEventLine(tick(10_200), p, at)).toBe('10:00:05 00:10 fault       50 req/s · p95 812ms · errors 3.4% · 12 VUs · 600 reqs');
    expect(renderEventLine(tick(11_200), p, at)).toBeUndefined();
  });

  it('shows HL7 messages beside the requests, and alone for a plan of MLLP steps only', () => {
    const hl7 = { mps: 8, p95Ms: 2410.2, errorRate: 0.25, messages: 96 };
    const tick = (requests: number): RunEvent => ({ type: 'tick', atMs: 10_200, phase: 'fault', activeFaults: [], stats: { rps: requests > 0 ? 20 : 0, p95Ms: requests > 0 ? 31 : undefined, errorRate: 0, requests, vus: 9, aborted: 0, hl7 } });
    expect(renderEventLine(tick(240), p, at)).toBe('10:00:05 00:10 fault       20 req/s · p95 31ms · errors 0.0% · 8 msg/s · ACK p95 2410ms · failed 25.0% · 9 VUs · 240 reqs · 96 msgs');
    expect(renderEventLine(tick(0), p, at)).toBe('10:00:05 00:10 fault        8 msg/s · ACK p95 2410ms · failed 25.0% · 9 VUs · 96 msgs');
  });

  it('says where /metrics is as soon as the run listens', () => {
    const line = renderEventLine({ type: 'endpoints', chaosUrl: 'http://127.0.0.1:8474', otlpUrl: 'http://127.0.0.1:4318', metricsUrl: 'http://127.0.0.1:41234/metrics' }, p, at);
    expect(line).toBe('10:00:05 metrics http://127.0.0.1:41234/metrics (Prometheus can scrape it) · OTLP http://127.0.0.1:4318 · chaos API http://127.0.0.1:8474');
  });

  it('names the OTLP/gRPC receiver when the run has one', () => {
    const line = renderEventLine({ type: 'endpoints', chaosUrl: 'http://127.0.0.1:8474', otlpUrl: 'http://127.0.0.1:4318', otlpGrpcUrl: 'http://127.0.0.1:4317', metricsUrl: null }, p, at);
    expect(line).toBe('10:00:05 OTLP http://127.0.0.1:4318 · OTLP/gRPC http://127.0.0.1:4317 · chaos API http://127.0.0.1:8474');
  });

  it('says what it waits for while the target is not up, and shows incidents', () => {
    expect(renderEventLine({ type: 'waiting', url: 'http://127.0.0.1:8080/health', expect: '2xx', last: 'HTTP 404', elapsedMs: 6_100, timeoutMs: 60_000 }, p, at))
      .toBe('10:00:05 waiting for http://127.0.0.1:8080/health (2xx): last HTTP 404 · 6s of 60s');
    expect(renderEventLine({ type: 'incident', message: 'scanning the spans for PHI: disk full' }, p, at)).toBe('10:00:05 incident scanning the spans for PHI: disk full');
  });

  it('ends with the verdict and the reasons, then where the reports went', () => {
    const line = renderEventLine({ type: 'verdict', status: 'failed', exitCode: 1, runDir: 'runs/r1', reasons: ['slo availability: 97 % good'] }, p, at);
    expect(line).toBe('10:00:05 verdict FAIL · exit 1 · run folder runs/r1\n     ✗ slo availability: 97 % good');
    const end = renderEventLine({ type: 'run-end', status: 'failed', exitCode: 1, runDir: 'runs/r1', reasons: ['slo availability: 97 % good'], report: 'runs/r1/report.html' }, p, at);
    expect(end).toBe('10:00:05 reports written · report runs/r1/report.html');
    expect(renderEventLine({ type: 'run-end', status: 'passed', exitCode: 0, runDir: 'runs/r1', reasons: [] }, p, at)).toBe('10:00:05 reports written · run folder runs/r1');
    const interrupted = renderEventLine({ type: 'verdict', status: 'interrupted', exitCode: 130, runDir: 'runs/r1', reasons: [], abortedRequests: 7 }, p, at);
    expect(interrupted).toBe('10:00:05 verdict INTERRUPTED · exit 130 · run folder runs/r1 · 7 requests aborted by codeblue (not failures)');
  });

  it('shows the run\'s p95/p99 beside their intended-start values', () => {
    const latency = { p95Ms: 212.4, p99Ms: 480, p95CorrectedMs: 1210.6, p99CorrectedMs: 2400 };
    const line = renderEventLine({ type: 'verdict', status: 'passed', exitCode: 0, runDir: 'runs/r1', reasons: [], latency }, p, at);
    expect(line).toBe('10:00:05 verdict PASS · exit 0 · run folder runs/r1\n     latency p95 212ms (1211ms from intended start) · p99 480ms (2400ms from intended start)');
    const rawOnly = renderEventLine({ type: 'verdict', status: 'passed', exitCode: 0, runDir: 'runs/r1', reasons: [], latency: { p95Ms: 10, p99Ms: 20 } }, p, at);
    expect(rawOnly).toBe('10:00:05 verdict PASS · exit 0 · run folder runs/r1\n     latency p95 10ms · p99 20ms');
  });

  it('lists failures that do not gate the verdict apart, as information', () => {
    const line = renderEventLine({ type: 'verdict', status: 'passed', exitCode: 0, runDir: 'runs/r1', reasons: [], notes: ['slo availability [fault]: fault: 80 % good · information only (scope: steady-state)'] }, p, at);
    expect(line).toBe('10:00:05 verdict PASS · exit 0 · run folder runs/r1\n     ! not gating: slo availability [fault]: fault: 80 % good · information only (scope: steady-state)');
  });
});

describe('renderLiveView', () => {
  it('draws the phase bar with the fault window, elapsed and remaining time, stats and active faults', () => {
    const lines = renderLiveView({ start, tick: { type: 'tick', atMs: 15_000, phase: 'fault', activeFaults: ['ehr-slow'], stats: { rps: 50, p95Ms: 90, errorRate: 0, requests: 700, vus: 5, aborted: 0 } } }, p);
    expect(lines[0]).toBe('  [bbbbbbbbbb!!!!!!!!!!ffffffffffrrrrrrrrrr] 00:15 / 00:40  (00:25 left)');
    expect(lines[1]).toContain('fault       50 req/s · p95 90ms');
    expect(lines[2]).toBe('  faults: ehr-slow');
  });
});
