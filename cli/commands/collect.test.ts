/** @module cli: `codeblue collect` as a process — receives spans, serves /metrics, writes DIR on SIGINT, exits 0. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunSpans } from '../../test/support/spans.js';
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

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
  it('collects spans over OTLP/HTTP and OTLP/gRPC until SIGINT, then writes spans/logs/metrics/summary and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-collect-'));
    dirs.push(dir);
    const { child, lines } = run(['--json', 'collect', '--port', '0', '--metrics-port', '0', '--out', dir]);
    const first = JSON.parse((await lines.next()).value as string) as { event: string; otlp: string; otlpGrpc: string; metrics: string };
    expect(first.event).toBe('listening');
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'fhir-api' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${first.otlp}/v1/traces` }))],
    });
    const spanIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const span = provider.getTracer('t').startSpan('GET /fhir/Patient');
      span.setStatus({ code: i === 0 ? SpanStatusCode.ERROR : SpanStatusCode.OK });
      span.end();
      spanIds.push(span.spanContext().spanId);
    }
    await provider.forceFlush();
    await provider.shutdown();
    const overGrpc = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'fhir-api' }),
      spanProcessors: [new SimpleSpanProcessor(new GrpcTraceExporter({ url: first.otlpGrpc }))],
    });
    for (let i = 0; i < 3; i++) {
      const span = overGrpc.getTracer('t').startSpan('GET /fhir/Observation');
      span.end();
      spanIds.push(span.spanContext().spanId);
    }
    await overGrpc.forceFlush();
    await overGrpc.shutdown();
    const metrics = await (await fetch(first.metrics)).text();
    expect(metrics).toMatch(/codeblue_span_errors_total\{run="[^"]+",testid="[^"]+",service="fhir-api",span="GET \/fhir\/Patient"\} 1\n/);
    child.kill('SIGINT');
    const last = JSON.parse((await lines.next()).value as string) as { event: string; spans: number };
    expect(last).toMatchObject({ event: 'written', spans: 8 });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const written = await readRunSpans(dir);
    expect(written.map((s) => s.spanId).sort()).toEqual(spanIds.sort());
    expect(readFileSync(join(dir, 'logs.ndjson'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'metrics.ndjson'), 'utf8')).toBe('');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      receiver: { accepted: { traces: number } }; grpcReceiver: { accepted: { traces: number } }; aggregates: { span: string; count: number; errors: number }[];
    };
    expect(summary.receiver.accepted.traces).toBe(5);
    expect(summary.grpcReceiver.accepted.traces).toBe(3);
    expect([...summary.aggregates].sort((a, b) => a.span.localeCompare(b.span))).toEqual([
      expect.objectContaining({ phase: 'run', service: 'fhir-api', span: 'GET /fhir/Observation', count: 3, errors: 0 }),
      expect.objectContaining({ phase: 'run', service: 'fhir-api', span: 'GET /fhir/Patient', count: 5, errors: 1 }),
    ]);
  }, 30_000);

  it('exits 3 with CB_PORT_IN_USE when the port is taken, and 2 for a bad flag', async () => {
    const blocker: Server = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      // A folder the collect would have made (two levels) is not left behind; one that existed before stays.
      const parent = mkdtempSync(join(tmpdir(), 'cb-collect-taken-'));
      dirs.push(parent);
      const taken = run(['collect', '--port', String(port), '--out', join(parent, 'made', 'here')]);
      const [code] = await once(taken.child, 'exit');
      expect(code).toBe(3);
      expect(taken.stderr()).toMatch(/CB_PORT_IN_USE .*address in use/);
      expect(existsSync(join(parent, 'made'))).toBe(false);
      expect(existsSync(parent)).toBe(true);
      // A reused folder keeps an earlier collection's files as they were: nothing is taken before the port is.
      const earlier = { 'spans-0001.ndjson.gz': 'earlier spans', 'logs.ndjson': '{"earlier":"log"}\n', 'metrics.ndjson': '{"earlier":"point"}\n' };
      for (const [file, text] of Object.entries(earlier)) writeFileSync(join(parent, file), text);
      const again = run(['collect', '--port', String(port), '--out', parent]);
      const [code1] = await once(again.child, 'exit');
      expect(code1).toBe(3);
      for (const [file, text] of Object.entries(earlier)) expect(readFileSync(join(parent, file), 'utf8')).toBe(text);
      const bad = run(['collect', '--forward', 'not a url']);
      const [code2] = await once(bad.child, 'exit');
      expect(code2).toBe(2);
      expect(bad.stderr()).toMatch(/--forward must be an http\(s\) URL/);
    } finally {
      blocker.close();
    }
  }, 30_000);
});
