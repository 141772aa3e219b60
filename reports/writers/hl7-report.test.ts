/** @module reports/writers: a plan of `mllp` steps only — every writer shows HL7 messages, labelled as messages and ACK time. */
import { mkdirSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { millis } from '../../core/index.js';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { assertResults } from '../results/validate.js';
import { createHistogramLoad } from '../testing/histogram-load.js';
import { sampleRunInput } from '../testing/sample-run.js';
import type { RunResults } from '../results/types.js';
import { openOfflineReport, type OfflineReport } from '../../test/support/offline-report.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { junitWriter } from './junit.js';


/**
 * 60 s of ADT over MLLP, 20 messages a second on two steps: admit (30 ms ACKs) and update (50 ms). The fault
 * (20–40 s, "ehr-resets") makes every ACK 400 ms and fails 1 in 4; seconds 40–42 stay slow, then baseline again.
 */
function hl7Only(): RunResults {
  const load = createHistogramLoad();
  for (let s = 0; s < 60; s++) {
    const inFault = s >= 20 && s < 40;
    for (let i = 0; i < 10; i++) {
      for (const [name, base] of [['admit', 30], ['update', 50]] as const) {
        const failed = inFault && i % 4 === 3;
        load.record({ atMs: s * 1000 + i * 100, scenario: 'adt', name, status: 0, durationMs: inFault || (s >= 40 && s < 43) ? 400 : base, failed, events: 'hl7' });
      }
    }
    load.recordVus(s, 'adt', 4);
  }
  const base = sampleRunInput({ seconds: 60 });
  return evaluateRun({
    ...base, load, journal: [], spans: undefined, phi: undefined, join: undefined, ledger: { checked: 1180, missingIds: [], changedIds: [] }, thresholds: [], traceAssertions: [],
    meta: { ...base.meta, durationMs: 60_000 },
    phases: [{ name: 'baseline', startMs: 0, endMs: 20_000 }, { name: 'fault', startMs: 20_000, endMs: 40_000 }, { name: 'recovery', startMs: 40_000, endMs: 60_000 }],
    faults: [{ name: 'ehr-resets', proxy: 'ehr', toxic: 'reset_peer', startMs: 20_000, endMs: 40_000 }],
    slos: [{ name: 'admits acknowledged', objective: 0.95, sli: 'availability', window: millis(2_592_000_000), events: 'hl7', scope: 'steady-state' }],
  });
}

describe('the writers of an HL7-only run', () => {
  const results = hl7Only();

  it('keeps the figures in results.json, valid and unchanged through a re-render from the file', () => {
    const reread = assertResults(JSON.parse(JSON.stringify(results)), 'results.json');
    expect(reread.hl7?.resilience.faults[0]).toMatchObject({ recovered: true, timeToRecoverMs: 3000, errorRateDelta: 0.2 });
    expect(renderMarkdown(reread)).toBe(renderMarkdown(results));
    // An older reader's view (no hl7 key) still validates and renders, as HTTP.
    const { hl7: _hl7, ...old } = results;
    expect(renderMarkdown(assertResults(old, 'old results.json'))).toContain('| requests | error rate |');
  });

  it('summary.md: messages, failed share and ACK percentiles in the headline, ACK deltas in the fault table', () => {
    const md = renderMarkdown(results);
    expect(md).toContain('| HL7 messages | failed | ACK p95 | ACK p99 | SLOs met | resilience |');
    expect(md).toContain('| 1,200 | 6.67 % | 401 ms | 401 ms | 1 / 1 | 29 / 100 |');
    expect(md).toMatch(/\| ehr-resets \(ehr reset_peer\) \| \+\d+ ms \| \+3\d\d ms \| \+20 pp \| 3 s \| \d+ \|/);
    expect(md).not.toContain('not recovered');
  });

  it('junit.xml has a test case per HL7 SLO window, worded in messages', () => {
    const text = junitWriter.render(results);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(text) as { testsuites: { testsuite: { '@_name': string; '@_tests': string }[] } };
    expect(xml.testsuites.testsuite.find((s) => s['@_name'] === 'SLOs')?.['@_tests']).toBe('5');
    expect(text).toContain('80 % HL7 messages acknowledged AA (320/400)');
  });

  describe('report.html in headless Chromium', () => {
    let report: OfflineReport;
    beforeAll(async () => {
      report = await openOfflineReport(renderHtml(results), 'codeblue-hl7-report-');
    }, 30_000);
    afterAll(async () => {
      await report?.close();
    });

    it('shows messages in the tiles, the fault table, the charts and the phase tables', async () => {
      const page = await report.open();

      const tiles = await page.locator('section.tiles').innerText();
      expect(tiles).toMatch(/HL7 messages\s+1,200/);
      expect(tiles).toMatch(/failed\s+6\.67 %/);
      expect(tiles).toMatch(/ACK p95\s+401 ms/); // hdr-histogram-js at 2 significant digits: 400 reads 401
      expect(tiles).not.toContain('requests');

      expect(await page.locator('#resilience + .table-wrap thead').innerText()).toMatch(/ACK p50 vs baseline\s+ACK p95 vs baseline\s+failed vs baseline/);
      const row = await page.locator('#resilience + .table-wrap tbody tr').first().innerText();
      expect(row).toMatch(/ehr-resets[\s\S]*\+\d+ ms[\s\S]*\+20 pp\s+3 s\s+\d+/);
      expect(await page.locator('#glance').innerText()).toMatch(/Fault "ehr-resets".*ACK p95 \+\d+ ms, failed messages \+20 pp; recovered 3 s after it ended/);

      const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => ({
        id: f.id, points: [...f.querySelectorAll('path.series')].map((p) => Number(p.getAttribute('data-points'))),
      })));
      expect(charts.map((c) => c.id)).toEqual(['chart-hl7-rate', 'chart-hl7-ack', 'chart-hl7-failed', 'chart-vus']);
      for (const c of charts) expect(Math.max(...c.points), c.id).toBeGreaterThan(30);
      expect(await page.locator('#chart-hl7-ack figcaption').innerText()).toContain('ACK time');

      const tables = page.locator('table.phase-table');
      expect(await tables.count()).toBe(results.phaseTables.length);
      expect(await page.locator('table.phase-table[data-events="http"]').count()).toBe(0);
      const run = await page.locator('table.phase-table[data-scope="run"]').innerText();
      expect(run).toMatch(/messages\s+failed\s+failed share\s+ACK p50/);
      expect(run).toMatch(/adt\s+admit\s+600\s+40/);
      expect(run).toMatch(/\*\s+all messages\s+1,200\s+80\s+6\.67 %/);

      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: 'test-output/report-hl7.png', fullPage: true });
      expect(report.requests).toEqual([]);
      expect(report.consoleErrors).toEqual([]);
    }, 60_000);
  });
});
