/**
 * @module chaos/timeline: guaranteed rollback: child processes running a timeline are interrupted with SIGINT and
 * SIGTERM at random moments; nothing of theirs may stay on the server. After SIGKILL, `chaos reset` cleans up.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../index.js';
import { echoServer, type TestServer } from '../testing/net.js';

const CHILD = fileURLToPath(new URL('./fixtures/timeline-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let server: ChaosServer;
let echo: TestServer;
let dir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  echo = await echoServer();
  dir = mkdtempSync(join(tmpdir(), 'cb-rollback-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await server.close();
  await echo.close();
  rmSync(dir, { recursive: true, force: true });
});

function startChild(runId: string): { child: ChildProcess; journal: string; saw: (line: string) => Promise<void>; exit: Promise<number | null> } {
  const journal = join(dir, `${runId}.ndjson`);
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, server.url, runId, echo.address, journal], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) if (out.includes(`${w.line}\n`)) w.resolve();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
  const saw = (line: string): Promise<void> =>
    out.includes(`${line}\n`) ? Promise.resolve() : new Promise((resolve) => waiters.push({ line, resolve }));
  return { child, journal, saw, exit };
}

async function namesWith(prefix: string): Promise<string[]> {
  return Object.keys(await new Toxiproxy(server.url).getAll()).filter((n) => n.startsWith(prefix));
}

// 24 tsx children start in batches of 4: on a starved CPU each start takes seconds, so the bound is generous.
describe('rollback on signals', { timeout: 480_000 }, () => {
  it('leaves nothing on the server after SIGINT or SIGTERM at a random moment (24 trials)', async () => {
    const trials = fc.sample(fc.record({ signal: fc.constantFrom('SIGINT' as const, 'SIGTERM' as const), delayMs: fc.integer({ min: 0, max: 1200 }) }), { numRuns: 24, seed: 2026 });
    // Four children at a time keeps the run short on a 2-core machine.
    for (let batch = 0; batch < trials.length; batch += 4) {
      await Promise.all(
        trials.slice(batch, batch + 4).map(async ({ signal, delayMs }, i) => {
          const runId = `sig${batch + i}`;
          const run = startChild(runId);
          await run.saw('ready');
          await new Promise((r) => setTimeout(r, delayMs));
          run.child.kill(signal);
          const code = await run.exit;
          expect(code, `${signal} after ${delayMs} ms`).toBe(130);
          expect(await namesWith(`cb-${runId}-`)).toEqual([]);
          const lines = readFileSync(run.journal, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string; outcome: string; leftovers?: string[] });
          expect(lines.at(-1)).toMatchObject({ action: 'rollback-verified', outcome: 'ok', leftovers: [] });
        }),
      );
    }
  });

  it('after SIGKILL (no rollback possible), `codeblue chaos reset` removes the leftovers', async () => {
    const run = startChild('killed');
    await run.saw('setup-done');
    run.child.kill('SIGKILL');
    await run.exit;
    expect((await namesWith('cb-killed-')).length).toBe(3);
    // Async: the server under test lives in this process, so a blocking spawn could never be answered.
    const reset = await promisify(execFile)(process.execPath, ['bin/codeblue.js', 'chaos', 'reset', '--server', server.url], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(reset.stdout).toContain('removed 3 proxies');
    expect(await namesWith('cb-')).toEqual([]);
  });
});
