/**
 * @module test/e2e: the rollback promise under SIGKILL — `codeblue run` against a standalone chaos server is killed
 * after its proxies exist, during a fault and during the finish; its target's process group must be gone within 5 s,
 * and `codeblue cleanup`, `codeblue chaos reset` or the next run must find and remove every leftover proxy, and say so.
 * (bench/sigkill.ts runs the same trials ≥ 20 times for figures.)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './game-day-fixture.js';
import { killTrial, runCleanup, startHarness, type Harness } from './sigkill-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('SIGKILL of codeblue run', { timeout: 120_000 }, () => {
  it('during a fault: the target group dies with it, and `codeblue cleanup` removes its proxies and says so', async () => {
    const trial = await killTrial(h, 'fault', 100);
    expect(trial.pgid).toBeDefined();
    expect(trial.pids.length).toBeGreaterThanOrEqual(2);
    expect(trial.orphans).toEqual([]);
    expect(trial.leftovers.length).toBe(2);
    const cleanup = await runCleanup(h);
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toContain(`leftovers of dead run ${trial.runId}`);
    expect(cleanup.stdout).toContain(`removed 2 proxies from ${h.chaosUrl}`);
    expect(await h.proxies()).toEqual([]);
    const again = await runCleanup(h);
    expect(again.stdout).toContain('nothing left by dead runs');
  });

  it('right after its proxies exist: no orphans, and the next run removes the leftovers before creating its own; killed in its finish, `chaos reset` cleans it', async () => {
    const trial = await killTrial(h, 'proxies', 30);
    expect(trial.orphans).toEqual([]);
    expect(trial.leftovers.length).toBe(2);
    const next = await killTrial(h, 'finish', 0);
    expect(next.saidAtStart.join('\n')).toContain(`leftovers of dead run ${trial.runId}`);
    expect(next.saidAtStart.join('\n')).toContain(`removed 2 proxies from ${h.chaosUrl}`);
    expect(next.orphans).toEqual([]);
    // The killed next run's own proxies are all that may be left: the first run's went before the next run's were made.
    expect((await h.proxies()).filter((n) => n.startsWith(`cb-${trial.runId}-`))).toEqual([]);
    // Killed in its finish, the next run may have removed 0, 1 or 2 of its proxies already (the rollback races the kill).
    const reset = await promisify(execFile)(process.execPath, ['bin/codeblue.js', 'chaos', 'reset', '--server', h.chaosUrl, '--out', h.outRoot], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: process.env });
    expect(reset.stdout).toContain(`leftovers of dead run ${next.runId}`);
    expect(reset.stdout).toContain(next.leftovers.length > 0 ? `removed ${next.leftovers.length} proxies from ${h.chaosUrl}` : 'nothing of it was left');
    expect(await h.proxies()).toEqual([]);
  });
});
