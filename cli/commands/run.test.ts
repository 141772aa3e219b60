/**
 * @module cli: `codeblue run` as a user runs it — a stale process on the target port is exit 3 with the port named,
 * and nothing starts; `-o experimental-prometheus-rw=URL` pushes the run to a real Prometheus, as k6's `--out` does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus } from '../../test/support/prometheus.js';

const BIN = resolve(import.meta.dirname, '../../bin/codeblue.js');
let dir: string;
let stale: Server;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-cli-run-'));
  stale = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => stale.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => stale?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('codeblue run', { timeout: 60_000 }, () => {
  it('exits 3 before starting anything when target.start is set and the target port is already served', async () => {
    const port = (stale.address() as AddressInfo).port;
    writeFileSync(join(dir, 'codeblue.yaml'), `name: stale
target:
  baseUrl: http://127.0.0.1:${port}
  start: touch spawned.txt
scenarios:
  s: { executor: shared-iterations, steps: [{ name: x, request: { path: / } }] }
`);
    const { code, stderr, stdout } = await cli(['run', 'codeblue.yaml']);
    expect(code, stderr).toBe(3);
    expect(stderr).toContain(`CB_PORT_IN_USE port ${port} of target.baseUrl http://127.0.0.1:${port}`);
    expect(stderr).toContain(`lsof -i :${port}`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack
    expect(stdout).not.toContain('starting the embedded chaos server');
    expect(existsSync(join(dir, 'spawned.txt'))).toBe(false);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });

  it('pushes the run over remote write with -o experimental-prometheus-rw=URL, and refuses an unknown output with exit 2', async () => {
    const target = createHttpServer((_req, res) => res.writeHead(200).end('ok'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const prom = await startPrometheus('global: { scrape_interval: 1m }\n', { flags: ['--web.enable-remote-write-receiver'] });
    try {
      writeFileSync(join(dir, 'rw.yaml'), `name: rw-flag
target: { baseUrl: "http://127.0.0.1:${(target.address() as AddressInfo).port}" }
chaos: { listen: "127.0.0.1:0" }
collectors: { otlpListen: "127.0.0.1:0", metricsListen: "127.0.0.1:0" }
scenarios:
  s: { executor: shared-iterations, vus: 1, iterations: 5, steps: [{ name: x, request: { path: / } }] }
outputs: [json]
`);
      const bad = await cli(['run', 'rw.yaml', '-o', 'influxdb=http://127.0.0.1:8086']);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toContain('CB_USAGE --output influxdb=http://127.0.0.1:8086: unknown output');
      const { code, stdout, stderr } = await cli(['run', 'rw.yaml', '--out', 'rw-runs', '-o', `experimental-prometheus-rw=${prom.url}/api/v1/write`]);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain(`pushing k6 metrics to ${prom.url}/api/v1/write every 5s`);
      const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('sum(k6_http_reqs_total)')}`);
      const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
      expect(body.data.result[0]?.value[1]).toBe('5');
    } finally {
      await prom.stop();
      await new Promise((r) => target.close(r));
    }
  });
});
