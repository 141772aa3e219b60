import { describe, expect, it } from 'vitest';
import { parseJournal } from './index.js';
import { drillPlan } from './fixtures/drill-plan.js';
import { dashboardValidator, SCHEMA_SETS } from './fixtures/grafana-schema.js';
import { buildDashboard, buildRunDashboard, grafanaRelease, OLDEST_GRAFANA } from './index.js';

const START = Date.UTC(2026, 10, 25, 10, 0, 0);
const JOURNAL = parseJournal([
  { time: new Date(START).toISOString(), offsetMs: 0, action: 'phase-start', outcome: 'ok', phase: 'baseline' },
  { time: new Date(START + 2000).toISOString(), offsetMs: 2000, action: 'fault-on', outcome: 'ok', proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' },
].map((e) => JSON.stringify(e)).join('\n'), 'journal.ndjson');

/** Every supported release, the schemaVersion it gets, and the schema set it is checked against (12.0 has no SDK branch; it is 11.6's model). */
const SUPPORTED: readonly (readonly [string, number, string])[] = [
  ['11.0', 36, '11.0'], ['11.1', 39, '11.1'], ['11.2', 39, '11.2'], ['11.3', 39, '11.3'], ['11.4', 39, '11.4'],
  ['11.5', 39, '11.5'], ['11.6', 41, '11.6'], ['12.0', 41, '11.6'], ['latest', 42, 'latest'],
];

describe('dashboards per Grafana release', () => {
  it('covers every schema set stored as test data', () => {
    expect(new Set(SUPPORTED.map(([, , set]) => set))).toEqual(new Set(Object.keys(SCHEMA_SETS)));
  });

  it.each(SUPPORTED)('Grafana %s: schemaVersion %i, plan and run dashboards valid against its schemas', (version, schemaVersion, set) => {
    const validate = dashboardValidator(set);
    const plan = buildDashboard(drillPlan(), { datasource: 'Prometheus', runId: 'r1', grafanaVersion: version });
    const run = buildRunDashboard(drillPlan(), JOURNAL, { runId: 'r1', startEpochMs: START, endEpochMs: START + 6000, grafanaVersion: version });
    expect(plan.schemaVersion).toBe(schemaVersion);
    expect(run.schemaVersion).toBe(schemaVersion);
    expect(validate(plan)).toEqual([]);
    expect(validate(run)).toEqual([]);
  }, 60_000);

  it(`writes for the oldest supported release, ${OLDEST_GRAFANA}, by default`, () => {
    expect(buildDashboard(drillPlan()).schemaVersion).toBe(36);
  });

  it('leaves out the stat option 11.0 does not know, and the 11.0 schema would refuse it', () => {
    const stats = (d: Record<string, unknown>): Record<string, unknown>[] => (d.panels as Record<string, unknown>[]).filter((p) => p.type === 'stat').map((p) => p.options as Record<string, unknown>);
    expect(stats(buildDashboard(drillPlan(), { grafanaVersion: '11.0' })).every((o) => !('percentChangeColorMode' in o))).toBe(true);
    const newer = buildDashboard(drillPlan(), { grafanaVersion: '11.1' });
    expect(stats(newer).every((o) => o.percentChangeColorMode === 'standard')).toBe(true);
    expect(dashboardValidator('11.0')(newer).join('\n')).toMatch(/options must NOT have additional properties \(percentChangeColorMode\)/);
  }, 60_000);

  it('maps versions to releases and refuses what it does not support', () => {
    expect(grafanaRelease('11.6.3')).toEqual({ version: '11.6', schemaVersion: 41 });
    expect(grafanaRelease('v12.0.1')).toEqual({ version: '12.0', schemaVersion: 41 });
    expect(grafanaRelease('12.3')).toEqual({ version: '12.3', schemaVersion: 42 });
    expect(() => grafanaRelease('10.4')).toThrow(/older than the oldest supported release, 11\.0/);
    expect(() => grafanaRelease('eleven')).toThrow(/major\.minor/);
  });
});
