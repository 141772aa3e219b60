/** @module run/control-room: the page's fragments — real fault windows from the journal, the now marker, no inline style. */
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/index.js';
import { parsePlan } from '../../plan/index.js';
import { evaluateRun, sampleRunInput } from '../../reports/index.js';
import { liveFaults } from './fault-windows.js';
import { buildSnapshot } from './view.js';

const plan = parsePlan(JSON.stringify({
  name: 'view', target: { baseUrl: 'http://127.0.0.1:9' }, phases: { baseline: '10s', fault: '20s', recovery: '10s' },
  proxies: [{ name: 'ehr', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }],
  faults: [{ name: 'slow', proxy: 'ehr', at: 'fault+2s', duration: '10s', toxic: 'latency', attributes: { latency: 100 } }],
  scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '40s', steps: [{ name: 'root', request: { path: '/' } }] } },
}), 'view.yaml');

const line = (offsetMs: number, action: JournalEntry['action'], extra: Partial<JournalEntry> = {}): JournalEntry =>
  ({ time: new Date(offsetMs).toISOString(), offsetMs, action, outcome: 'ok', ...extra });

describe('the control room view', () => {
  it('pairs the journal’s fault-on/off with the plan, and marks a window ended early', () => {
    expect(liveFaults(plan, [], [])).toEqual([expect.objectContaining({ name: 'slow', plannedStartMs: 12_000, plannedEndMs: 22_000, active: false })]);
    const on = [line(12_040, 'fault-on', { toxic: 'slow' })];
    expect(liveFaults(plan, on, ['slow'])[0]).toMatchObject({ onMs: 12_040, active: true });
    const off = [...on, line(15_000, 'fault-off', { toxic: 'slow', reason: 'ended early by operator from the control room (127.0.0.1:5)' })];
    const [fault] = liveFaults(plan, off, []);
    expect(fault).toMatchObject({ onMs: 12_040, offMs: 15_000, active: false });
    const snap = buildSnapshot({
      state: 'live', plan, atMs: 16_000, phase: 'fault', stats: undefined, faults: fault ? [fault] : [], results: undefined,
      evaluatedAtMs: undefined, chartResults: undefined, journal: off, message: undefined, reportHref: undefined,
    });
    expect(snap.html.timeline).toContain('data-fault="slow" data-start-ms="12040" data-end-ms="15000"');
    expect(snap.html.timeline).toContain('ended early');
    expect(snap.html.timeline).toContain('now 00:16');
    // No fault is on, so the only control is "halt now".
    expect(snap.html.controls).toContain('data-control="halt"');
    expect(snap.html.controls).not.toContain('data-control="end-fault"');
  });

  it('sends the report’s sections without inline styles (the CSP refuses them; the script applies data-style)', () => {
    const results = evaluateRun(sampleRunInput());
    const snap = buildSnapshot({
      state: 'ended', plan, atMs: undefined, phase: undefined, stats: undefined, faults: [], results, evaluatedAtMs: undefined,
      chartResults: undefined, journal: results.journal, message: undefined, reportHref: '/report.html',
    });
    const all = Object.values(snap.html).join('');
    expect(all).toContain('data-style="width:');
    expect(all).toContain('data-style="background:');
    expect(all).not.toMatch(/ style="/);
    expect(snap.html.status).toContain('href="/report.html"');
    expect(snap.html.controls).toBe('');
  });
});
