/**
 * @module test/e2e: the live control room in real Chromium during real, short game days against the demo stack:
 * the page stays on its origin with no console errors, live numbers move, the fault window appears once journaled,
 * a control without the token is refused (403) and changes nothing, "end this fault now" removes the toxic from the
 * chaos server, "halt now" halts the run (exit 1, halted by operator, nothing left on the chaos server), and SLO
 * state, latency from the intended start and server span p95 per service move per second while the run goes.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrefix, startChaosServer, type ChaosServer } from '../../chaos/index.js';
import { executeGameDay, OPERATOR_HALT_REASON, startControlRoom, type ControlRoom, type GameDayOutcome } from '../../run/index.js';
import { CHROMIUM_ARGS } from '../support/offline-report.js';
import { waitUntil } from '../support/poll.js';
import { drill, dropDrillSchemas, proxyNames, readJournal, REPO_ROOT, toxicPresent, type Drill } from './game-day-fixture.js';

/** Screenshots kept as test artefacts (test-output/ is gitignored). */
const ARTEFACTS = join(REPO_ROOT, 'test-output', 'control-room');

let out: string;
let chaos: ChaosServer;
let browser: BrowserContext;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'cb-e2e-control-room-'));
  mkdirSync(ARTEFACTS, { recursive: true });
  chaos = await startChaosServer({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launchPersistentContext(join(out, 'profile'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1280, height: 1000 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await chaos?.close();
  await dropDrillSchemas();
  if (out) rmSync(out, { recursive: true, force: true });
}, 60_000);

/** EHR answers 300 ms late for 14 s of a 20 s fault phase: long enough to act on it from the page. */
function slowEhrDrill(name: string): Promise<Drill> {
  return drill({
    name, preset: 'hardened', chaosServer: chaos.url, rate: 4,
    phases: { baseline: 3, fault: 20, recovery: 3 },
    faults: [{ name: 'ehr-slow', proxy: 'ehr', at: 'fault+1s', duration: '14s', toxic: 'latency', attributes: { latency: 300 } }],
  });
}

interface Watched {
  readonly page: Page;
  /** Requests that left the room's origin (each was refused). */
  readonly foreign: string[];
  readonly consoleErrors: string[];
}

async function openPage(room: ControlRoom): Promise<Watched> {
  const page = await browser.newPage();
  const foreign: string[] = [];
  const consoleErrors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${room.origin}/`)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(room.url);
  return { page, foreign, consoleErrors };
}

/** Runs the drill in-process with a control room on a free loopback port; `during` drives the page while it runs. */
async function runWithRoom(d: Drill, during: (room: ControlRoom, run: { dir(): string; id(): string }) => Promise<void>): Promise<{ outcome: GameDayOutcome; room: ControlRoom }> {
  const room = await startControlRoom({ host: '127.0.0.1', port: 0, policy: { allowHosts: [], allowRemote: false }, setting: '--ui-listen', title: d.plan.name });
  let started: { runDir: string; runId: string } = { runDir: '', runId: '' };
  const run = executeGameDay(d.plan, {
    outRoot: out, onOperator: room.attach,
    onEvent: (e) => {
      if (e.type === 'run-start') started = e;
      room.onEvent(e);
    },
  });
  try {
    await during(room, { dir: () => started.runDir, id: () => started.runId });
  } finally {
    await run.catch(() => undefined);
  }
  const outcome = await run;
  room.finish(outcome.results, join(outcome.runDir, 'report.html'));
  return { outcome, room };
}

const statText = (page: Page, key: string): Promise<string> => page.locator(`[data-stat="${key}"]`).innerText();

describe('the live control room', { timeout: 180_000 }, () => {
  it('shows live numbers and the journaled fault window, refuses a control without the token, and ends a fault early', async () => {
    const d = await slowEhrDrill('control-room-end-fault');
    let watched: Watched | undefined;
    let prefix = '';
    const { outcome, room } = await runWithRoom(d, async (room, run) => {
      watched = await openPage(room);
      const { page } = watched;
      // Live values: the request count moves while the run proceeds.
      await page.locator('[data-stat="requests"]').waitFor({ timeout: 60_000 });
      const first = await statText(page, 'requests');
      await waitUntil(async () => (await statText(page, 'requests')) !== first, 'the live request count changes', 30_000);
      await page.locator('figure.chart#chart-rps path.series').first().waitFor();

      // The fault window appears once the journal says the fault is on, with the journal's start.
      const bar = page.locator('rect.fault-bar[data-fault="ehr-slow"]');
      await bar.waitFor({ timeout: 30_000 });
      const on = readJournal(run.dir()).find((j) => j.action === 'fault-on' && j.toxic === 'ehr-slow');
      expect(on).toBeDefined();
      expect(Number(await bar.getAttribute('data-start-ms'))).toBe(Math.round(on?.offsetMs ?? -1));
      prefix = runPrefix(run.id());
      expect(await toxicPresent(chaos.url, `${prefix}ehr`, `${prefix}ehr-slow`)).toBe(true);
      await page.screenshot({ path: join(ARTEFACTS, 'mid-run.png'), fullPage: true });

      // The same action without the token (from the page itself, so same origin) is refused and changes nothing.
      const refused = await page.evaluate(async () => {
        const res = await fetch('/control/end-fault', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fault: 'ehr-slow' }) });
        return res.status;
      });
      expect(refused).toBe(403);
      const wrong = await fetch(`${room.origin}/control/halt`, { method: 'POST', headers: { 'content-type': 'application/json', origin: room.origin, 'x-codeblue-token': 'not-the-token' }, body: '{}' });
      expect(wrong.status).toBe(403);
      expect((await fetch(`${room.origin}/?token=nope`)).status).toBe(403);
      expect(await toxicPresent(chaos.url, `${prefix}ehr`, `${prefix}ehr-slow`)).toBe(true);

      // End this fault now: the toxic is gone from the chaos server long before its planned end.
      await page.locator('button[data-control="end-fault"][data-fault="ehr-slow"]').click();
      await waitUntil(async () => !(await toxicPresent(chaos.url, `${prefix}ehr`, `${prefix}ehr-slow`)), 'the toxic is removed from the chaos server', 10_000);
      await page.locator('#control-message.ok').waitFor();
    });
    const { page, foreign, consoleErrors } = watched as Watched;

    expect(outcome.results.meta.status).toBe('passed');
    const window = outcome.results.faults.find((f) => f.name === 'ehr-slow');
    const planned = d.plan.faults[0] as { endMs: number };
    // The report's window ends when the operator ended it, not at the planned end.
    expect(window?.endMs).toBeLessThan(planned.endMs - 2000);
    const journal = readJournal(outcome.runDir);
    const controls = journal.filter((j) => j.action === 'control') as (typeof journal[number] & { attributes?: { client?: string } })[];
    expect(controls.filter((c) => c.outcome === 'error').length).toBeGreaterThanOrEqual(3);
    const ended = controls.find((c) => c.outcome === 'ok' && c.reason === 'end fault ehr-slow now');
    expect(ended?.attributes?.client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(journal.find((j) => j.action === 'fault-off' && j.toxic === 'ehr-slow')?.reason).toContain('ended early by operator');

    // After the run: the verdict, and report.html served by the same server showing the shortened window.
    await page.locator('#status .banner.passed').waitFor({ timeout: 15_000 });
    const href = await page.locator('.report-link a').getAttribute('href');
    expect(href).toBe('/report.html');
    const report = await (await fetch(`${room.origin}/report.html?token=${room.token}`)).text();
    expect(report).toContain(`data-end-ms="${window?.endMs}"`);
    // The one error is the refused request the test sent on purpose.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    expect(foreign).toEqual([]);
    await page.close();
    await room.close();
  });

  it('re-evaluates SLO state as the run goes and draws latency from the intended start and server span p95 per second', async () => {
    const d = await drill({
      name: 'control-room-live-values', preset: 'hardened', chaosServer: chaos.url, rate: 4,
      phases: { baseline: 5, fault: 30, recovery: 5 },
      faults: [{ name: 'ehr-slow', proxy: 'ehr', at: 'fault+0s', duration: '20s', toxic: 'latency', attributes: { latency: 200 } }],
    });
    let watched: Watched | undefined;
    const { outcome, room } = await runWithRoom(d, async (room) => {
      watched = await openPage(room);
      const { page } = watched;
      // SLO and threshold state is re-evaluated while the run proceeds: its "as of" clock moves.
      const asOf = page.locator('#slos .as-of');
      await asOf.waitFor({ timeout: 60_000 });
      const firstAsOf = await asOf.innerText();
      await waitUntil(async () => (await asOf.innerText()) !== firstAsOf, 'the SLO state is re-evaluated', 30_000);
      // p95/p99 from the intended start, and each service's SERVER span p95 per second (not the per-phase step line).
      await page.locator('figure.chart#chart-latency-intended path.series').first().waitFor({ timeout: 30_000 });
      const services = page.locator('figure.chart#chart-services path.series').first();
      await services.waitFor({ timeout: 30_000 });
      // Until the first complete second's spans arrive the room may draw the per-phase step line; per second takes over.
      const caption = page.locator('figure.chart#chart-services figcaption');
      await waitUntil(async () => !(await caption.innerText()).includes('per phase'), 'the server span chart is drawn per second', 30_000);
      const line = await services.getAttribute('d');
      await waitUntil(async () => (await services.getAttribute('d')) !== line, 'the server span p95 line grows', 30_000);
      // The PHI count: live where the collectors scan spans as they arrive, else said to come after the run.
      expect(await statText(page, 'phi')).toMatch(/^(\d+|after the run)$/);
    });
    const { page, consoleErrors, foreign } = watched as Watched;
    expect(outcome.results.timeline.overall.p95IntendedMs?.some((v) => v !== null)).toBe(true);
    await page.locator('#status .banner').waitFor({ timeout: 15_000 });
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
    await room.close();
  });

  it('halt now with the token stops the run: exit 1, halted by operator, nothing left on the chaos server', async () => {
    const d = await slowEhrDrill('control-room-halt');
    let watched: Watched | undefined;
    const { outcome, room } = await runWithRoom(d, async (room) => {
      watched = await openPage(room);
      const { page } = watched;
      await page.locator('rect.fault-bar[data-fault="ehr-slow"]').waitFor({ timeout: 60_000 });
      const halt = page.locator('button[data-control="halt"]');
      await halt.click();
      await page.locator('#control-message.ok').waitFor();
      await halt.click();
      await page.locator('#control-message.ok', { hasText: 'halting' }).waitFor();
    });
    const { page, consoleErrors, foreign } = watched as Watched;
    expect(outcome.exitCode).toBe(1);
    expect(outcome.results.meta.status).toBe('halted');
    expect(outcome.results.meta.haltReason).toBe(OPERATOR_HALT_REASON);
    expect((await proxyNames(chaos.url)).filter((n) => n.includes(outcome.record.runId))).toEqual([]);
    const journal = readJournal(outcome.runDir) as { action: string; reason?: string; attributes?: { client?: string; control?: string } }[];
    expect(journal.find((j) => j.action === 'control' && j.attributes?.control === 'halt')?.attributes?.client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(journal.find((j) => j.action === 'halt')?.reason).toBe(OPERATOR_HALT_REASON);
    await page.locator('#status .banner.halted').waitFor({ timeout: 15_000 });
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
    await room.close();
  });
});
