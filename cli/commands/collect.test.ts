/** @module cli: `codeblue collect` as a process — receives spans, serves /metrics, writes DIR on SIGINT, exits 0. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { hexId, traceRequestProtobuf } from '../../collectors/otlp/test-payloads.js';

const BIN = fileURLToPath(new URL('../../bin/codeblue.js', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(args: string[]): { child: ChildProcess; lines: AsyncIterator<string>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  async function* lines(): AsyncGenerator<string> {
    let buf = '';
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        yield buf.slice(0, i);
        buf = buf.slice(i + 1);
      }
    }
  }
  return { child, lines: lines(), stderr: () => err };
}

describe('codeblue collect', () => {
  it('collects spans until SIGINT, then writes spans/logs/metrics/summary and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-collect-'));
    dirs.push(dir);
    const { child, lines } = run(['--json', 'collect', '--port', '0', '--metrics-port', '0', '--out', dir]);
    const first = JSON.parse((await lines.next()).value as string) as { event: string; otlp: string; metrics: string };
    expect(first.event).toBe('listening');
    const spans = Array.from({ length: 5 }, (_, i) => ({ traceId: hexId(i, 16), spanId: hexId(i, 8), name: 'GET /fhir/Patient', statusCode: i === 0 ? 2 : 1 }));
    const res = await fetch(`${first.otlp}/v1/traces`, { method: 'POST', body: traceRequestProtobuf('fhir-api', spans), headers: { 'content-type': 'application/x-protobuf' } });
    expect(res.status).toBe(200);
    const metrics = await (await fetch(first.metrics)).text();
    expect(metrics).toMatch(/codeblue_span_errors_total\{run="[^"]+",testid="[^"]+",service="fhir-api",span="GET \/fhir\/Patient"\} 1\n/);
    child.kill('SIGINT');
    const last = JSON.parse((await lines.next()).value as string) as { event: string; spans: number };
    expect(last).toMatchObject({ event: 'written', spans: 5 });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const written = readFileSync(join(dir, 'spans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { spanId: string; service: string });
    expect(written.map((s) => s.spanId)).toEqual(spans.map((s) => s.spanId));
    expect(readFileSync(join(dir, 'logs.ndjson'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'metrics.ndjson'), 'utf8')).toBe('');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { receiver: { accepted: { traces: number } }; aggregates: { count: number; errors: number }[] };
    expect(summary.receiver.accepted.traces).toBe(5);
    expect(summary.aggregates).toEqual([expect.objectContaining({ phase: 'run', service: 'fhir-api', span: 'GET /fhir/Patient', count: 5, errors: 1 })]);
  }, 30_000);

  it('exits 3 with CB_PORT_IN_USE when the port is taken, and 2 for a bad flag', async () => {
    const blocker: Server = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = run(['collect', '--port', String(port)]);
      const [code] = await once(taken.child, 'exit');
      expect(code).toBe(3);
      expect(taken.stderr()).toMatch(/CB_PORT_IN_USE .*address in use/);
      const bad = run(['collect', '--forward', 'not a url']);
      const [code2] = await once(bad.child, 'exit');
      expect(code2).toBe(2);
      expect(bad.stderr()).toMatch(/--forward must be an http\(s\) URL/);
    } finally {
      blocker.close();
    }
  }, 30_000);
});
