import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { renderHtml } from './html.js';
import { GEOMETRY, xOf } from './html/svg-chart.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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
  const dir = mkdtempSync(join(tmpdir(), 'codeblue-report-'));
  const file = join(dir, 'report.html');
  let context: BrowserContext;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    writeFileSync(file, renderHtml(results));
    // A new, empty profile directory for this test only.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1200, height: 900 } });
    // Every request except the report file itself is recorded and refused: the page must work offline.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === `file://${file}`) return route.continue();
      requests.push(url);
      return route.abort();
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads without network requests or console errors, every chart has data, fault windows match the journal', async () => {
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`file://${file}`);
    expect(await page.locator('#verdict h1').innerText()).toContain('FAILED');

    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => ({
      id: f.id,
      points: [...f.querySelectorAll('path.series')].map((p) => Number(p.getAttribute('data-points'))),
      drawn: [...f.querySelectorAll('path.series')].map((p) => (p as unknown as { getTotalLength(): number }).getTotalLength()),
    })));
    expect(charts.map((c) => c.id)).toEqual(['chart-rps', 'chart-latency', 'chart-errors', 'chart-services', 'chart-vus']);
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

    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/report.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: 'test-output/report-phone.png', fullPage: false });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');

    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
