/** @module run: a port already taken under a plan's listen keys is reported with the plan key to change, never a flag `run` lacks. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeblueError } from '../core/index.js';
import { parsePlan } from '../plan/index.js';
import { startEmbedded } from './embedded.js';

let taken: Server;
let port: number;
let dir: string;

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as { port: number }).port;
  dir = await mkdtemp(join(tmpdir(), 'cb-port-hints-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => taken.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const plan = (extra: string) => parsePlan([
  'name: hints',
  'target: { baseUrl: "http://127.0.0.1:8080" }',
  'scenarios: { s: { executor: shared-iterations, flow: fhir/patient-registration } }',
  extra,
].join('\n'), 'drill.yaml');

describe('port-in-use hints from a plan', () => {
  it.each([
    ['chaos.listen', (p: number) => `chaos: { listen: "127.0.0.1:${p}" }\ncollectors: { otlpListen: "127.0.0.1:0", metricsListen: "127.0.0.1:0" }`],
    ['collectors.otlpListen', (p: number) => `chaos: { listen: "127.0.0.1:0" }\ncollectors: { otlpListen: "127.0.0.1:${p}", metricsListen: "127.0.0.1:0" }`],
    ['collectors.otlpGrpcListen', (p: number) => `chaos: { listen: "127.0.0.1:0" }\ncollectors: { otlpListen: "127.0.0.1:0", otlpGrpcListen: "127.0.0.1:${p}", metricsListen: "127.0.0.1:0" }`],
    ['collectors.metricsListen', (p: number) => `chaos: { listen: "127.0.0.1:0" }\ncollectors: { otlpListen: "127.0.0.1:0", metricsListen: "127.0.0.1:${p}" }`],
  ])('names %s in the hint (exit 3)', { timeout: 20_000 }, async (key, extra) => {
    let caught: unknown;
    try {
      const parts = await startEmbedded(plan(extra(port)), 'cb-test-hints', join(dir, key));
      await parts.close();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CodeblueError);
    const e = caught as CodeblueError;
    expect(e.code).toBe('CB_PORT_IN_USE');
    expect(e.exitCode).toBe(3);
    expect(e.hint).toContain(`change ${key} in drill.yaml`);
    expect(e.hint).not.toMatch(/--port|--metrics-port/);
  });
});
