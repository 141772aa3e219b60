/** @module dashboards: the run folder's dashboard — fault windows and phases from the journal, fixed time range. */
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../core/index.js';
import { drillPlan } from './fixtures/drill-plan.js';
import { buildRunDashboard, faultWindows, journalAnnotations } from './index.js';

const START = Date.UTC(2026, 10, 25, 10, 0, 0);
const entry = (offsetMs: number, action: JournalEntry['action'], extra: Partial<JournalEntry> = {}): JournalEntry => ({
  time: new Date(START + offsetMs).toISOString(), offsetMs, action, outcome: 'ok', ...extra,
});
const JOURNAL: JournalEntry[] = [
  entry(0, 'run-start'),
  entry(0, 'phase-start', { phase: 'baseline' }),
  entry(30_000, 'phase-start', { phase: 'fault' }),
  entry(30_010, 'fault-on', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' }),
  entry(31_000, 'fault-on', { proxy: 'postgres', toxic: 'db-down', type: 'down', outcome: 'error', error: 'proxy missing' }),
  entry(40_000, 'fault-on', { proxy: 'postgres', toxic: 'db-reset', type: 'reset_peer' }),
  entry(75_000, 'fault-off', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' }),
  entry(90_000, 'phase-start', { phase: 'recovery' }),
  entry(120_000, 'run-end'),
];

describe('buildRunDashboard', () => {
  it('pairs each successful fault-on with its fault-off; a fault never switched off stays open; failed ones are skipped', () => {
    expect(faultWindows(JOURNAL)).toEqual([
      { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency', startMs: 30_010, endMs: 75_000 },
      { proxy: 'postgres', toxic: 'db-reset', type: 'reset_peer', startMs: 40_000 },
    ]);
  });

  it('has one annotation per fault window and per phase change, each selecting exactly its series', () => {
    expect(journalAnnotations(JOURNAL).map((a) => [a.name, a.expr])).toEqual([
      ['fault ehr · ehr-latency (latency) 00:30–01:15', 'codeblue_fault_active{run="$run",proxy="ehr",toxic="ehr-latency"} == 1'],
      ['fault postgres · db-reset (reset_peer) 00:40–end', 'codeblue_fault_active{run="$run",proxy="postgres",toxic="db-reset"} == 1'],
      ['phase baseline from 00:00', 'codeblue_phase{run="$run",phase="baseline"} == 1'],
      ['phase fault from 00:30', 'codeblue_phase{run="$run",phase="fault"} == 1'],
      ['phase recovery from 01:30', 'codeblue_phase{run="$run",phase="recovery"} == 1'],
    ]);
  });

  it('is fixed to the run: absolute time range, no auto-refresh, the run preselected, its own uid', () => {
    const d = buildRunDashboard(drillPlan(), JOURNAL, { runId: '20261125T1000-ab12', startEpochMs: START, endEpochMs: START + 120_000, datasource: 'Prometheus' });
    expect(d.time).toEqual({ from: '2026-11-25T10:00:00.000Z', to: '2026-11-25T10:02:00.000Z' });
    expect(d.refresh).toBe('');
    expect(d.uid).toBe('cb-run-20261125T1000-ab12');
    const vars = (d.templating as { list: Record<string, unknown>[] }).list;
    expect(vars.find((v) => v.name === 'run')?.current).toEqual({ text: '20261125T1000-ab12', value: '20261125T1000-ab12', selected: true });
    const names = (d.annotations as { list: Record<string, unknown>[] }).list.map((a) => a.name);
    expect(names).toHaveLength(1 + 5);
    expect(names).not.toContain('Faults');
  });

  it('rejects a run that ends before it starts with CB_USAGE', () => {
    expect(() => buildRunDashboard(drillPlan(), [], { runId: 'r', startEpochMs: START, endEpochMs: START - 1 }))
      .toThrow(expect.objectContaining({ code: 'CB_USAGE' }));
  });
});
