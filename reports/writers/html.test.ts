import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { openOfflineReport, type OfflineReport } from '../../test/support/offline-report.js';
import { renderHtml } from './html.js';
import { GEOMETRY, tickStepMs, xOf } from './html/svg-chart.js';
import { WATERFALL, waterfallX } from './html/waterfall-svg.js';

/** The page's getComputedStyle (these callbacks run in the browser; the test compiles without the DOM lib). */
type StyleWindow = { getComputedStyle(el: unknown): { fill: string; strokeDasharray: string } };


describe('report.html without a browser', () => {
  it('draws per-service span latency per phase when there is no per-second span data', () => {
    const input = sampleRunInput();
    const html = renderHtml(evaluateRun({ ...input, spans: { aggregates: input.spans!.aggregates } }));
    const chart = /<figure class="chart" id="chart-services">.*?<\/figure>/s.exec(html)?.[0] ?? '';
    expect(chart).toContain('(per phase)');
    expect([...chart.matchAll(/data-points="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([90, 90]);
  });
});

describe('report.html in headless Chromium', () => {
  const results = evaluateRun(sampleRunInput());
  let report: OfflineReport;
  beforeAll(async () => {
    report = await openOfflineReport(renderHtml(results), 'codeblue-report-');
  }, 30_000);
  afterAll(async () => {
    await report?.close();
  });

  it('loads without network requests or console errors, every chart has data, fault windows match the journal', async () => {
    const page = await report.open();
    expect(await page.locator('#verdict h1').innerText()).toContain('FAILED');

    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => ({
      id: f.id,
      points: [...f.querySelectorAll('path.series')].map((p) => Number(p.getAttribute('data-points'))),
      drawn: [...f.querySelectorAll('path.series')].map((p) => (p as unknown as { getTotalLength(): number }).getTotalLength()),
    })));
    expect(charts.map((c) => c.id)).toEqual(['chart-rps', 'chart-latency', 'chart-latency-intended', 'chart-errors', 'chart-services', 'chart-vus']);
    for (const c of charts) {
      expect(c.points.length, c.id).toBeGreaterThan(0);
      expect(Math.max(...c.points), c.id).toBeGreaterThan(30);
      expect(Math.max(...c.drawn), c.id).toBeGreaterThan(100);
    }

    // The journal says fault-on at 30.18 s and fault-off at 60.12 s of a 90 s run.
    const on = results.journal.find((e) => e.action === 'fault-on')!.offsetMs;
    const off = results.journal.find((e) => e.action === 'fault-off')!.offsetMs;
    expect([on, off]).toEqual([30_180, 60_120]);
    const windows = await page.$$eval('rect.fault-window', (rects) => rects.map((r) => ({
      x: Number(r.getAttribute('x')), width: Number(r.getAttribute('width')), start: Number(r.getAttribute('data-start-ms')), end: Number(r.getAttribute('data-end-ms')),
    })));
    expect(windows.length).toBe(charts.length + 1); // one per chart + the timeline band
    for (const w of windows) {
      expect([w.start, w.end]).toEqual([on, off]);
      expect(w.x).toBeCloseTo(xOf(on, 90_000), 1);
      expect(w.x + w.width).toBeCloseTo(xOf(off, 90_000), 0);
    }
    expect(xOf(on, 90_000)).toBeCloseTo(GEOMETRY.left + (on / 90_000) * (GEOMETRY.width - GEOMETRY.left - GEOMETRY.right), 6);

    // On screen, the shaded window sits at the same fraction of the plot as in the journal.
    const box = await page.locator('#chart-latency svg').boundingBox();
    const rect = await page.locator('#chart-latency rect.fault-window').boundingBox();
    expect(box && rect).toBeTruthy();
    const scale = box!.width / GEOMETRY.width;
    // within 1.5 px: the dashed stroke widens the box by half its width
    expect(Math.abs(rect!.x - box!.x - xOf(on, 90_000) * scale)).toBeLessThan(1.5);

    expect(await page.locator('.slo-card').count()).toBe(3);
    expect(await page.locator('.slo-card .sentence').first().innerText()).toMatch(/30-day budget of 99\.95 %.* lasts /);
    expect(await page.locator('table.journal tbody tr').count()).toBe(results.journal.length);
    expect(await page.locator('#findings').innerText()).toContain('PHI');

    // Time ticks sit on round seconds, and on every phase edge (the sample's phases change at 0:30 and 1:00).
    const ticks = await page.$$eval('#chart-latency text.x-tick', (ts) => ts.map((t) => ({ ms: Number(t.getAttribute('data-ms')), label: t.textContent })));
    expect(ticks.map((t) => t.label)).toEqual(['00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30']);
    for (const p of results.phases) expect(ticks.map((t) => t.ms)).toContain(p.startMs);
    expect(tickStepMs({ runMs: 100_000, phases: [{ name: 'baseline', startMs: 0, endMs: 20_000 }, { name: 'fault', startMs: 20_000, endMs: 70_000 }] })).toBe(10_000);
    // No axis label is clipped: each y label's box lies inside its SVG, and the widest ("5 s"-style) fits the label column.
    for (const id of ['chart-latency', 'chart-services', 'chart-rps']) {
      const svg = (await page.locator(`#${id} svg`).boundingBox())!;
      const labels = await page.locator(`#${id} text.y-tick`).evaluateAll((ts) => ts.map((t) => (t as unknown as { getBoundingClientRect(): { x: number; right: number } }).getBoundingClientRect()).map((b) => ({ x: b.x, right: b.right })));
      expect(labels.length).toBe(3);
      for (const l of labels) expect(l.x, id).toBeGreaterThanOrEqual(svg.x);
    }
    // p99 is dashed with markers, p95 solid: they stay apart where they coincide.
    expect(await page.locator('#chart-latency path[data-series="p99"]').getAttribute('class')).toContain('dashed');
    expect(await page.locator('#chart-latency path[data-series="p95"]').getAttribute('class')).not.toContain('dashed');
    expect(await page.locator('#chart-latency circle.marker').count()).toBeGreaterThan(30);
    expect(await page.locator('#chart-latency path[data-series="p99"]').evaluate((e) => (globalThis as unknown as StyleWindow).getComputedStyle(e).strokeDasharray)).not.toBe('none');
    // Server span p95 per service, per second (not one flat value per phase).
    expect(await page.locator('#chart-services figcaption').innerText()).not.toContain('per phase');

    // Attribution: the table names the EHR span first; the glance line says where the p95 went; the p50 delta sits beside the p95 one.
    expect(await page.locator('table.attribution tbody tr').first().innerText()).toMatch(/legacy-ehr\s+MLLP send/);
    expect(await page.locator('#glance').innerText()).toMatch(/`ehr-latency`: \+\d+ ms p95, 100 % of it in `legacy-ehr MLLP send`/);
    expect(await page.locator('#resilience + .table-wrap thead').innerText()).toMatch(/p50 vs baseline\s+p95 vs baseline/);

    // The waterfall: anchored by trace id, the critical path solid and the database read off it, bars where the offsets say.
    const trace = results.traces![0]!;
    const wf = page.locator(`#waterfall-${trace.traceId}`);
    expect(await wf.count()).toBe(1);
    const bars = await wf.locator('rect.wf-bar').evaluateAll((rs) => rs.map((r) => ({ cls: r.getAttribute('class'), x: Number(r.getAttribute('x')), w: Number(r.getAttribute('width')) })));
    expect(bars.map((b) => b.cls?.includes('critical'))).toEqual(trace.spans.map((sp) => sp.critical));
    expect(bars.map((b) => b.cls?.includes('critical'))).toEqual([true, false, true, true]);
    trace.spans.forEach((sp, i) => expect(bars[i]!.x).toBeCloseTo(waterfallX(sp.offsetMs, trace.durationMs), 0));
    expect(bars[0]!.x + bars[0]!.w).toBeCloseTo(WATERFALL.width - WATERFALL.right, 0);
    const fills = await wf.locator('rect.wf-bar').evaluateAll((rs) => rs.map((r) => (globalThis as unknown as StyleWindow).getComputedStyle(r).fill));
    expect(fills[0]).not.toBe(fills[1]);

    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/report.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: 'test-output/report-phone.png', fullPage: false });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');

    expect(report.requests).toEqual([]);
    expect(report.consoleErrors).toEqual([]);
  }, 60_000);
});
