import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestSample } from '../../core/sample.js';
import { scenarioSchema, type ScenarioSpec } from '../schema.js';
import { runLoad } from './run-load.js';

/**
 * A target that dies after the preflight (the orphan that held the port and exited): the preflight's TCP connect
 * succeeds, then nothing listens and every request of the run is refused.
 */
async function dyingTarget(): Promise<{ baseUrl: string; server: Server }> {
  const server = createServer((socket) => {
    socket.destroy();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const SAFETY = { maxDuration: 120_000, maxRequests: 5_000_000, maxVUs: 50 };
const steps = [{ name: 'health', request: { path: '/health' } }];
const spec = (raw: Record<string, unknown>): ScenarioSpec => scenarioSchema.parse({ ...raw, steps });

/** Counts undici connection attempts (every Client publishes one before it dials). */
let connects = 0;
const onConnect = (): void => void connects++;
let server: Server | undefined;
beforeEach(() => {
  connects = 0;
  subscribe('undici:client:beforeConnect', onConnect);
});
afterEach(async () => {
  unsubscribe('undici:client:beforeConnect', onConnect);
  if (server?.listening) await new Promise((r) => server?.close(r));
  server = undefined;
});

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const counting = (): { items: RequestSample[]; add(s: RequestSample): void } => {
  const items: RequestSample[] = [];
  return { items, add: (s) => void items.push(s) };
};

describe('runLoad against a refused port', () => {
  it('constant-vus ends near its duration, keeps timers running and dials at most once per request', { timeout: 30_000 }, async () => {
    const t = await dyingTarget();
    server = t.server;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const started = Date.now();
    const samples = counting();
    const result = await runLoad({ baseUrl: t.baseUrl, scenarios: { s: spec({ executor: 'constant-vus', vus: 3, duration: '2s' }) }, safety: SAFETY, samples });
    const took = Date.now() - started;
    clearInterval(ticker);
    expect(took).toBeLessThan(2_000 + 10_000);
    expect(result.aborted).toBeUndefined();
    expect(result.requests).toBeGreaterThan(0);
    expect(samples.items.every((s) => s.failed && s.status === 0)).toBe(true);
    expect(samples.items.filter((s) => s.errorCode === 'ECONNREFUSED').length).toBeGreaterThan(0);
    // A failing request costs one connect attempt, never a retry storm or a Client per iteration.
    expect(connects).toBeLessThanOrEqual(result.requests + 3);
    // The event loop was not starved: a 50 ms interval fired during the run.
    expect(ticks).toBeGreaterThanOrEqual(2);
  });

  for (const [name, raw] of [
    ['constant-vus', { executor: 'constant-vus', vus: 4, duration: '60s' }],
    ['ramping-vus', { executor: 'ramping-vus', startVUs: 2, stages: [{ duration: '30s', target: 4 }, { duration: '30s', target: 4 }] }],
    ['constant-arrival-rate', { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '60s', preAllocatedVUs: 4, maxVUs: 8 }],
    ['ramping-arrival-rate', { executor: 'ramping-arrival-rate', startRate: 100, timeUnit: '1s', preAllocatedVUs: 4, maxVUs: 8, stages: [{ duration: '60s', target: 200 }] }],
  ] as const) {
    it(`${name}: aborting the signal stops the load promptly and no connection is dialled afterwards`, { timeout: 60_000 }, async () => {
      const t = await dyingTarget();
      server = t.server;
      const controller = new AbortController();
      const samples = counting();
      const run = runLoad({ baseUrl: t.baseUrl, scenarios: { s: spec(raw) }, safety: SAFETY, samples, signal: controller.signal });
      await until(() => samples.items.length >= 20);
      const abortedAt = Date.now();
      controller.abort();
      const result = await run;
      expect(Date.now() - abortedAt).toBeLessThan(5_000);
      expect(result.aborted?.reason).toBe('signal');
      expect(result.durationMs).toBeLessThan(40_000);
      const after = connects;
      const sent = samples.items.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(connects).toBe(after);
      expect(samples.items.length).toBe(sent);
    });
  }

  it('an iteration that throws stops every VU before runLoad rejects: nothing is dialled after it settled', { timeout: 60_000 }, async () => {
    const t = await dyingTarget();
    server = t.server;
    let seen = 0;
    const samples = {
      add(): void {
        // A broken sink (a bug) throws once, in one VU's iteration; the other VUs would otherwise keep going.
        if (++seen === 5) throw new Error('sink broke');
      },
    };
    const controller = new AbortController();
    const started = Date.now();
    await expect(runLoad({ baseUrl: t.baseUrl, scenarios: { s: spec({ executor: 'constant-vus', vus: 4, duration: '60s' }) }, safety: SAFETY, samples, signal: controller.signal })).rejects.toThrow('sink broke');
    expect(Date.now() - started).toBeLessThan(30_000);
    const after = connects;
    const sent = seen;
    await new Promise((r) => setTimeout(r, 500));
    expect(connects).toBe(after);
    expect(seen).toBe(sent);
  });

  it('ramping-vus keeps memory flat over many failing iterations (no signal kept per iteration)', { timeout: 300_000 }, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const t = await dyingTarget();
    server = t.server;
    // Bounded by count, not time (the stage only caps a very slow machine): 40,000 refused requests, one per iteration; the heap is measured mid-run.
    let n = 0;
    let early = 0;
    let late = 0;
    const samples = {
      add(): void {
        n++;
        if (n === 5_000) early = heap();
        if (n === 35_000) late = heap();
      },
    };
    const result = await runLoad({ baseUrl: t.baseUrl, scenarios: { s: spec({ executor: 'ramping-vus', startVUs: 5, stages: [{ duration: '240s', target: 5 }] }) }, safety: { ...SAFETY, maxDuration: 300_000, maxRequests: 40_000 }, samples });
    expect(result.aborted?.reason).toBe('max-requests');
    expect(late).toBeGreaterThan(0);
    // Before the fix this grew by ~1 KB per iteration (~30 MB over these 30,000).
    expect((late - early) / 1e6).toBeLessThan(10);
  });
});
