/**
 * @module run: game days against small targets written here (not demo/) — a stale process on the target's port,
 * requests cut off by an interrupt, `target.start` run from the plan's folder, the default health rule, /metrics.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startChaosServer, type ChaosServer } from '../chaos/index.js';
import { loadPlan } from '../plan/index.js';
import { pickPort } from '../test/support/ports.js';
import { executeGameDay, type RunEvent } from './index.js';

let dir: string;
let chaos: ChaosServer;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-run-gameday-'));
  chaos = await startChaosServer({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});
afterAll(async () => {
  await chaos?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const portOf = (s: Server | HttpServer): number => (s.address() as AddressInfo).port;
async function listening<S extends Server | HttpServer>(server: S): Promise<S> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return server;
}
/** Writes a plan (JSON is YAML) into `folder` under dir and loads it as a user's file would be. */
async function planIn(folder: string, plan: Record<string, unknown>) {
  const at = join(dir, folder);
  mkdirSync(at, { recursive: true });
  const file = join(at, 'codeblue.yaml');
  writeFileSync(file, JSON.stringify({ outputs: ['json', 'markdown'], collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' }, ...plan }));
  return loadPlan(file);
}
const outRoot = (name: string): string => join(dir, `runs-${name}`);

describe('a game day', { timeout: 60_000 }, () => {
  it('refuses a stale process on the target port with exit 3 before starting anything (no folder, no proxies, no target)', async () => {
    const stale = await listening(createServer((socket) => socket.destroy()));
    const plan = await planIn('stale', {
      name: 'stale-port',
      target: { baseUrl: `http://127.0.0.1:${portOf(stale)}`, start: 'touch spawned.txt' },
      chaos: { server: chaos.url },
      proxies: [{ name: 'db', listen: `127.0.0.1:${await pickPort()}`, upstream: '127.0.0.1:5432' }],
      scenarios: { s: { executor: 'shared-iterations', iterations: 1, steps: [{ name: 'x', request: { path: '/' } }] } },
    });
    let chaosReady = false;
    const err = await executeGameDay(plan, { outRoot: outRoot('stale'), onChaosReady: () => (chaosReady = true) }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'CB_PORT_IN_USE', exitCode: 3 });
    expect((err as Error).message).toContain(`port ${portOf(stale)} of target.baseUrl http://127.0.0.1:${portOf(stale)}`);
    expect(chaosReady).toBe(false);
    expect(Object.keys(await clientFor(chaos.url).getAll())).toEqual([]);
    expect(existsSync(outRoot('stale'))).toBe(false);
    expect(existsSync(join(dir, 'stale', 'spawned.txt'))).toBe(false);
  });

  it('counts requests it cut off at Ctrl-C apart: the fault shows no target errors, results.json the aborted count and the /metrics URL', async () => {
    // Every request takes 1.5 s, so VUs always have one in flight when the run is interrupted.
    const slow = await listening(createHttpServer((_req, res) => { setTimeout(() => res.writeHead(200).end('ok'), 1500); }));
    const plan = await planIn('aborted', {
      name: 'aborted-requests',
      target: { baseUrl: `http://127.0.0.1:${portOf(slow)}` },
      proxies: [{ name: 'side', listen: `127.0.0.1:${await pickPort()}`, upstream: `127.0.0.1:${portOf(slow)}` }],
      phases: { baseline: '1s', fault: '20s', recovery: '1s' },
      faults: [{ name: 'side-slow', proxy: 'side', at: 'fault+0s', duration: '15s', toxic: 'latency', attributes: { latency: 10 } }],
      scenarios: { s: { executor: 'constant-vus', vus: 3, duration: '22s', steps: [{ name: 'slow', request: { path: '/slow' } }] } },
    });
    const interrupt = new AbortController();
    const events: RunEvent[] = [];
    let faultOn = false;
    const outcome = await executeGameDay(plan, {
      outRoot: outRoot('aborted'), signal: interrupt.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'fault' && e.action === 'on') faultOn = true;
        // Interrupt once the fault is on and some request has finished inside it.
        if (e.type === 'tick' && faultOn && e.phase === 'fault' && e.stats.requests >= 3) interrupt.abort(new Error('SIGINT'));
      },
    });
    expect(outcome.exitCode).toBe(130);
    const results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as typeof outcome.results;
    expect(results.meta.status).toBe('interrupted');
    expect(results.meta.abortedRequests).toBeGreaterThan(0);
    const fault = results.resilience.faults.find((f) => f.fault === 'side-slow');
    expect(fault?.during.errorRate).toBe(0);
    expect(results.phaseTables.find((t) => t.scope === 'run')?.total.failures).toBe(0);
    expect(readFileSync(join(outcome.runDir, 'summary.md'), 'utf8')).toMatch(/\d+ requests aborted by codeblue \(not failures\)/);
    // The /metrics URL: an event at start, a journal line, results.json.
    const endpoints = events.find((e): e is Extract<RunEvent, { type: 'endpoints' }> => e.type === 'endpoints');
    expect(endpoints?.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(events.findIndex((e) => e.type === 'endpoints')).toBeLessThan(events.findIndex((e) => e.type === 'phase'));
    expect(results.meta.metricsUrl).toBe(endpoints?.metricsUrl);
    expect(results.journal.find((j) => j.action === 'listening')?.attributes?.metricsUrl).toBe(endpoints?.metricsUrl);
    // The verdict is said before the pass over the kept spans and the reports, and run-end repeats it.
    const at = (match: (e: RunEvent) => boolean): number => events.findIndex(match);
    const said = events.find((e): e is Extract<RunEvent, { type: 'verdict' }> => e.type === 'verdict');
    const end = events.find((e): e is Extract<RunEvent, { type: 'run-end' }> => e.type === 'run-end');
    expect(at((e) => e.type === 'rollback')).toBeLessThan(at((e) => e.type === 'verdict'));
    expect(at((e) => e.type === 'verdict')).toBeLessThan(at((e) => e.type === 'step' && e.message.startsWith('reading the kept spans')));
    expect(at((e) => e.type === 'step' && e.message.startsWith('reading the kept spans'))).toBeLessThan(at((e) => e.type === 'run-end'));
    expect([said?.status, said?.exitCode, said?.reasons]).toEqual([end?.status, end?.exitCode, end?.reasons]);
  });

  it('runs target.start in the plan file\'s folder, and without target.health takes any answer (a 404) as up', async () => {
    const port = await pickPort();
    const plan = await planIn('own-service', {
      name: 'own-service',
      // A relative script path: found only when the command runs in the plan's folder (the process cwd is elsewhere).
      target: { baseUrl: `http://127.0.0.1:${port}`, start: 'node server.mjs', env: { PORT: String(port) }, healthTimeout: '20s' },
      scenarios: { s: { executor: 'shared-iterations', iterations: 3, steps: [{ name: 'x', request: { path: '/x', expectedStatuses: [404] } }] } },
    });
    writeFileSync(join(dir, 'own-service', 'server.mjs'), "import { createServer } from 'node:http';\ncreateServer((q, s) => s.writeHead(404).end()).listen(Number(process.env.PORT), '127.0.0.1');\n");
    const events: RunEvent[] = [];
    const outcome = await executeGameDay(plan, { outRoot: outRoot('own'), onEvent: (e) => events.push(e) });
    expect(events.find((e) => e.type === 'target-ready')).toMatchObject({ startedByUs: true });
    expect(outcome.record.status).toBe('completed');
    expect(outcome.results.phaseTables.find((t) => t.scope === 'run')?.total.count).toBe(3);
    expect(outcome.exitCode).toBe(0);
    expect(readdirSync(outRoot('own'))).toHaveLength(1);
  });
});
