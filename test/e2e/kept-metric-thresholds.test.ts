/**
 * @module test/e2e: thresholds on every metric a plan may name are evaluated after a game day from the run's
 * MetricStore — iteration_duration, vus, iterations, data_sent, http_req_waiting … — not only the request
 * metrics (a plan that validated used to fail these with "not kept after the run").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../plan/index.js';
import type { RunResults } from '../../reports/index.js';
import { executeGameDay } from '../../run/index.js';

let dir: string;
let target: Server;
let results: RunResults;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-kept-thresholds-'));
  // Every answer waits 30 ms, so an iteration of two requests lasts about 60 ms or more (timers may fire ~1 ms early: 55 leaves room).
  target = createServer((_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), 30));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const file = join(dir, 'codeblue.yaml');
  writeFileSync(file, JSON.stringify({
    name: 'kept-thresholds',
    target: { baseUrl: `http://127.0.0.1:${(target.address() as AddressInfo).port}` },
    outputs: ['json'],
    collectors: { otlpListen: '127.0.0.1:0', otlpGrpcListen: 'off', metricsListen: '127.0.0.1:0' },
    scenarios: {
      closed: { executor: 'constant-vus', vus: 2, duration: '3s', steps: [{ name: 'one', request: { path: '/a' } }, { name: 'two', request: { path: '/b' } }] },
    },
    thresholds: {
      iteration_duration: ['p(95)>=55', 'max<50'],
      'iteration_duration{scenario:closed}': ['min>=55'],
      vus: ['value<=2', 'value>2'],
      iterations: ['count>5', 'rate>1000'],
      data_sent: ['count>0'],
      http_req_waiting: ['p(50)>=25'],
    },
  }));
  const outcome = await executeGameDay(await loadPlan(file), { outRoot: join(dir, 'runs') });
  results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
}, 90_000);

afterAll(async () => {
  await new Promise((r) => target?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('thresholds on kept metrics after a game day', { timeout: 60_000 }, () => {
  it('evaluates each expression from the store, true ones pass and false ones fail, none "not kept"', () => {
    const run = results.verdicts.filter((v) => v.kind === 'threshold' && v.phase === null);
    const byName = new Map(run.map((v) => [v.name, v]));
    const verdict = (name: string) => {
      const v = byName.get(name);
      expect(v, `${name} in ${JSON.stringify([...byName.keys()])}`).toBeDefined();
      expect(v?.message).not.toContain('not kept');
      return v;
    };
    expect(verdict('iteration_duration: p(95)>=55')?.pass).toBe(true);
    expect(verdict('iteration_duration: max<50')?.pass).toBe(false);
    expect(verdict('iteration_duration{scenario:closed}: min>=55')?.pass).toBe(true);
    expect(verdict('vus: value<=2')?.pass).toBe(true);
    expect(verdict('vus: value>2')?.pass).toBe(false);
    expect(verdict('iterations: count>5')?.pass).toBe(true);
    expect(verdict('iterations: rate>1000')?.pass).toBe(false);
    expect(verdict('data_sent: count>0')?.pass).toBe(true);
    expect(verdict('http_req_waiting: p(50)>=25')?.pass).toBe(true);
    expect(verdict('iteration_duration: p(95)>=55')?.observed).toBeGreaterThanOrEqual(55);
    expect(results.meta.status).toBe('failed');
  });
});
