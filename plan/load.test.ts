/** @module plan: a valid plan comes back resolved, defaulted and frozen. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CodeblueError } from '../core/index.js';
import { loadPlan, parsePlan, renderStarterPlan } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadPlan', () => {
  it('resolves the starter plan: phases, fault window, thresholds and defaults', async () => {
    const file = join(dir, 'codeblue.yaml');
    writeFileSync(file, renderStarterPlan('drill'));
    const plan = await loadPlan(file);
    expect(plan.name).toBe('drill');
    expect(plan.phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([['baseline', 0, 20_000], ['fault', 20_000, 50_000], ['recovery', 50_000, 70_000]]);
    expect(plan.runLengthMs).toBe(70_000);
    expect(plan.faults[0]).toMatchObject({ name: 'ehr-latency-0', proxy: 'ehr', startMs: 20_000, endMs: 40_000, attributes: { latency: 1500, jitter: 100 } });
    expect(plan.thresholds.map((t) => t.key.source)).toEqual(['http_req_failed', 'http_req_duration{scenario:clinicians}']);
    expect(plan.thresholds[1]?.key.tags).toEqual({ scenario: 'clinicians' });
    expect(plan.slos[0]?.objective).toBeCloseTo(0.995, 10);
    expect(plan.slos[1]?.sli).toEqual({ latency: 500 });
    expect(plan.slos[0]?.window).toBe(30 * 86_400_000);
    expect(plan.chaos).toEqual({ server: 'embedded', listen: '127.0.0.1:0' });
    expect(plan.safety.maxVUs).toBe(1000);
    expect(Object.isFrozen(plan.faults[0])).toBe(true);
  });

  it('resolves phase-relative and absolute fault times', () => {
    const plan = parsePlan(`
name: t
target: { baseUrl: "http://127.0.0.1:1" }
proxies: [{ name: db, listen: "127.0.0.1:25432", upstream: "127.0.0.1:5432" }]
phases: { baseline: 10s, fault: 20s, recovery: 10s }
scenarios: { s: { executor: constant-vus, duration: 40s, flow: fhir/patient-registration } }
faults:
  - { proxy: db, toxic: latency, at: fault+5s, duration: 5s }
  - { proxy: db, toxic: timeout, at: 12s, duration: 1s, attributes: { timeout: 100 } }
  - { proxy: db, toxic: down, at: recovery-2s, duration: 2s }
  - { proxy: db, toxic: bandwidth, attributes: { rate: 10 } }
`);
    expect(plan.faults.map((f) => [f.startMs, f.endMs])).toEqual([[15_000, 20_000], [12_000, 13_000], [28_000, 30_000], [10_000, 30_000]]);
  });

  it('uses the longest scenario as the run length when there are no phases', () => {
    const plan = parsePlan(`
name: t
target: { baseUrl: "http://127.0.0.1:1" }
scenarios:
  a: { executor: constant-vus, duration: 10s, flow: fhir/patient-registration }
  b: { executor: ramping-arrival-rate, startTime: 5s, preAllocatedVUs: 2, stages: [{ duration: 10s, target: 5 }, { duration: 5s, target: 0 }], flow: fhir/patient-registration }
`);
    expect(plan.phases).toEqual([]);
    expect(plan.runLengthMs).toBe(20_000);
  });

  it('reports a missing file as CB_PLAN_NOT_FOUND with exit 2', async () => {
    await expect(loadPlan(join(dir, 'nope.yaml'))).rejects.toMatchObject({ code: 'CB_PLAN_NOT_FOUND', exitCode: 2 });
  });

  it('refuses a 50 MB file before reading it', async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 0x61));
    const err = await loadPlan(big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodeblueError);
    expect((err as CodeblueError).message).toMatch(/50\.0 MiB/);
  });

  it('reports several problems at once, sorted by line', () => {
    const err = (() => {
      try {
        parsePlan(renderStarterPlan().replace('rate: 20', 'rate: lots').replace('vus: 2', 'vus: -1').replace('name: first-game-day', 'name: 7'));
      } catch (e) {
        return e as { issues: { line: number }[] };
      }
      return undefined;
    })();
    expect(err?.issues.length).toBe(3);
    const lines = err?.issues.map((i) => i.line) ?? [];
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });
});
