/** @module cli: `codeblue chaos serve|apply|clear|reset` as processes, against a served embedded server. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, echoServer, median, portOf, roundTrip } from '../../chaos/testing/net.js';

const BIN = fileURLToPath(new URL('../../bin/codeblue.js', import.meta.url));
const PLAN = `name: manual-drill
target:
  baseUrl: http://127.0.0.1:8080
proxies:
  - name: ehr
    listen: 127.0.0.1:0
    upstream: 127.0.0.1:7001
phases: { baseline: 1s, fault: 2s, recovery: 1s }
scenarios:
  s:
    executor: constant-vus
    vus: 1
    duration: 4s
    steps:
      - name: health
        request: { method: GET, path: /health }
faults:
  - { proxy: ehr, name: slow-ehr, toxic: latency, attributes: { latency: 100 } }
  - { proxy: ehr, name: ehr-down, toxic: down }
`;

let serve: ChildProcess;
let url: string;
let dir: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 }); // a bound for a starved CPU, not a measurement
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-chaos-cli-'));
  writeFileSync(join(dir, 'plan.yaml'), PLAN);
  serve = spawn(process.execPath, [BIN, '--json', 'chaos', 'serve', '--port', '0', '--seed', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    serve.once('exit', () => reject(new Error('serve exited')));
  });
}, 30_000);
afterAll(() => {
  if (serve.exitCode === null) serve.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('codeblue chaos', { timeout: 240_000 }, () => {
  it('serves the Toxiproxy API: a latency toxic made with toxiproxy-node-client shows on the wire', async () => {
    const echo = await echoServer();
    try {
      const client = new Toxiproxy(url);
      const proxy = await client.createProxy({ name: 'wire', listen: '127.0.0.1:0', upstream: echo.address });
      await proxy.addToxic({ type: 'latency', attributes: { latency: 50, jitter: 0 } } as never);
      const socket = await connectTo(portOf(proxy.listen));
      const rtt = median([await roundTrip(socket), await roundTrip(socket), await roundTrip(socket)]);
      socket.destroy();
      await proxy.remove();
      expect(rtt).toBeGreaterThanOrEqual(49.5);
      expect(rtt).toBeLessThan(50 + 1000); // not absurdly more (a starved CPU adds); accuracy is in `npm run bench -- toxics`
    } finally {
      await echo.close();
    }
  });

  it('applies plan faults by position and by name, and clears them', async () => {
    const plan = join(dir, 'plan.yaml');
    expect((await cli(['chaos', 'apply', plan, '--fault', '1', '--server', url])).code).toBe(0);
    const client = new Toxiproxy(url);
    const proxy = await client.get('cb-manual-ehr');
    expect((await proxy.getToxic('cb-manual-slow-ehr')).attributes).toEqual({ latency: 100, jitter: 0 });
    expect((await cli(['chaos', 'apply', plan, '--fault', 'ehr-down', '--server', url])).code).toBe(0);
    expect((await client.get('cb-manual-ehr')).enabled).toBe(false);
    const cleared = await cli(['chaos', 'clear', plan, '--server', url]);
    expect(cleared.code).toBe(0);
    expect(await client.getAll()).toEqual({});
  });

  it('answers a bad --fault with a clear error and exit 2', async () => {
    const res = await cli(['chaos', 'apply', join(dir, 'plan.yaml'), '--fault', '9', '--server', url]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('CB_USAGE --fault 9 matches no fault of the plan (faults: 1:slow-ehr, 2:ehr-down)');
  });

  it('refuses to serve on a non-loopback host (exit 2) and to drive a remote server', async () => {
    expect((await cli(['chaos', 'serve', '--host', '0.0.0.0'])).code).toBe(2);
    const remote = await cli(['chaos', 'reset', '--server', 'http://10.0.0.1:8474']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('CB_TARGET_NOT_ALLOWED');
  });

  it('reports an unreachable server with exit 3', async () => {
    const res = await cli(['chaos', 'reset', '--server', 'http://127.0.0.1:1']);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('CB_CHAOS_SERVER_UNREACHABLE');
  });

  it('stops serving on SIGINT with exit 0', async () => {
    serve.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => serve.once('exit', resolve));
    expect(code).toBe(0);
  });
});
