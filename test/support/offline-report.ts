/**
 * @module test/support: a report file opened in Debian's headless Chromium (playwright-core, never a downloaded
 * browser) with every request but the file itself recorded and refused — a report must work offline — and the
 * page's console errors collected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OfflineReport {
  /** The report's file URL's path (the folder it is in is removed by `close`). */
  readonly file: string;
  readonly context: BrowserContext;
  /** Requests the page tried other than the report itself (all refused). */
  readonly requests: string[];
  /** Console errors and uncaught page errors of every page opened with `open`. */
  readonly consoleErrors: string[];
  /** A new page on the report, its errors collected. */
  open(): Promise<Page>;
  close(): Promise<void>;
}

/** Writes `html` to a fresh folder and opens a persistent context (an empty profile of its own) on it. */
export async function openOfflineReport(html: string, prefix: string): Promise<OfflineReport> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `file://${file}`) return route.continue();
    requests.push(url);
    return route.abort();
  });
  return {
    file, context, requests, consoleErrors,
    async open() {
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      await page.goto(`file://${file}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
