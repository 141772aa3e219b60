import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Server as Hl7Server } from 'node-hl7-server';
import { CodeblueError } from '../../core/errors.js';
import { scenarioSchema, type ScenarioSpec } from '../schema.js';
import { resolveThresholds } from '../thresholds.js';
import { runLoad } from '../engine/run-load.js';
import type { CheckSample } from '../../core/sample.js';

const SAFETY = { maxDuration: 60_000, maxRequests: 10_000, maxVUs: 50 };
const spec = (raw: unknown): ScenarioSpec => scenarioSchema.parse(raw);

/** The engine needs an HTTP target to preflight; MLLP-only scenarios never send to it. */
let http: HttpServer;
let baseUrl: string;
beforeAll(async () => {
  http = createHttpServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** An interface engine from node-hl7-server answering AA to every message; records what it received. */
async function startHl7Engine(): Promise<{ address: string; received: string[] }> {
  const received: string[] = [];
  const server = new Hl7Server({ bindAddress: '127.0.0.1' });
  const inbound = server.createInbound({ port: 0 }, async (req, res) => {
    received.push(req.getMessage().toString());
    await res.sendResponse('AA');
  });
  // node-hl7-server does not expose the bound port; its net.Server is `_socket`.
  const listener = (inbound as unknown as { _socket: Server })._socket;
  if (!listener.listening) await new Promise((r) => listener.once('listening', r));
  cleanups.push(async () => {
    await inbound.close();
  });
  return { address: `127.0.0.1:${(listener.address() as AddressInfo).port}`, received };
}

/** A raw TCP peer written here; `onFrame` answers each complete MLLP frame (or misbehaves). */
async function startRawPeer(onData: (socket: Socket, frame: string) => void): Promise<{ address: string; connections: () => number }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = '';
    socket.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (let end = buf.indexOf('\x1c\r'); end >= 0; end = buf.indexOf('\x1c\r')) {
        const frame = buf.slice(buf.indexOf('\x0b') + 1, end);
        buf = buf.slice(end + 2);
        onData(socket, frame);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

const field = (message: string, segment: string, n: number): string | undefined => {
  const seg = message.split('\r').find((s) => s.startsWith(`${segment}|`));
  return seg?.split('|')[segment === 'MSH' ? n - 1 : n];
};
const ack = (frame: string, code: string, text = ''): string =>
  `\x0bMSH|^~\\&|PEER|HOSP|CODEBLUE|LOAD|20260101000000||ACK^A01^ACK|R${field(frame, 'MSH', 10)}|P|2.5\rMSA|${code}|${field(frame, 'MSH', 10)}|${text}\x1c\r`;

describe('mllp step against node-hl7-server', () => {
  it('sends synthetic ADT^A01, ADT^A08 and ORU^R01 with unique control ids, each acknowledged AA', { timeout: 30_000 }, async () => {
    const engine = await startHl7Engine();
    const checks: CheckSample[] = [];
    const one = (name: string, message: string, expect?: Record<string, string>): ScenarioSpec =>
      spec({ executor: 'per-vu-iterations', vus: 2, iterations: 1, steps: [{ name, mllp: { address: engine.address, message, ...(expect ? { expect } : {}) } }] });
    const result = await runLoad({
      baseUrl,
      scenarios: { admit: one('admit', 'ADT^A01', { 'MSA-1': 'AA', 'MSH-9.1': 'ACK' }), update: one('update', 'ADT^A08'), vitals: one('vitals', 'ORU^R01') },
      safety: SAFETY,
      checks: { add: (c) => void checks.push(c) },
    });
    const store = result.store;
    expect(store.query({ metric: 'hl7_msgs' }).count).toBe(6);
    expect(store.query({ metric: 'hl7_msg_failed' }).rate).toBe(0);
    expect(store.query({ metric: 'hl7_msg_duration', tags: { name: 'admit', ack: 'AA' } }).count).toBe(2);
    expect(store.query({ metric: 'iterations' }).count).toBe(6);
    expect(engine.received).toHaveLength(6);
    expect(new Set(engine.received.map((m) => field(m, 'MSH', 10))).size).toBe(6);
    expect(engine.received.map((m) => field(m, 'MSH', 9)?.split('^').slice(0, 2).join('^')).sort()).toEqual(['ADT^A01', 'ADT^A01', 'ADT^A08', 'ADT^A08', 'ORU^R01', 'ORU^R01']);
    const pid = engine.received[0]?.split('\r').find((s) => s.startsWith('PID|')) ?? '';
    expect(pid).toMatch(/CB-SYN-1-\d+\^\^\^CODEBLUE\^MR/);
    expect(pid).toMatch(/-Synth\^/);
    expect(checks.filter((c) => c.name === 'MSA-1 is AA' && c.ok)).toHaveLength(2);
    expect(checks.filter((c) => c.name === 'MSH-9.1 is ACK' && c.ok)).toHaveLength(2);
    expect(result.passed).toBe(true);
  });

  it('fails a message whose ACK names another control id (node-hl7-server 2.5.0 acknowledges the first message again on a kept-open connection)', { timeout: 30_000 }, async () => {
    const engine = await startHl7Engine();
    const result = await runLoad({
      baseUrl,
      scenarios: { feed: spec({ executor: 'per-vu-iterations', vus: 1, iterations: 2, steps: [{ name: 'admit', mllp: { address: engine.address, message: 'ADT^A01' } }] }) },
      safety: SAFETY,
    });
    const store = result.store;
    expect(store.query({ metric: 'hl7_msgs', tags: { ack: 'AA' } }).count).toBe(2);
    expect(store.query({ metric: 'hl7_msgs', tags: { error: 'EMLLPACKMISMATCH' } }).count).toBe(1);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^admit: the ACK is for control id "CB[0-9A-F]{6}1", not this message's$/)]);
  });
});

describe('mllp step against peers that misbehave', () => {
  it('keeps one connection per VU open across iterations and fills message templates', { timeout: 30_000 }, async () => {
    const frames: string[] = [];
    const peer = await startRawPeer((socket, frame) => {
      frames.push(frame);
      socket.write(ack(frame, 'AA'));
    });
    const result = await runLoad({
      baseUrl,
      scenarios: {
        feed: spec({
          executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2, maxVUs: 2,
          steps: [{ name: 'admit', mllp: { address: peer.address, message: 'MSH|^~\\&|CB|LOAD|EHR|HOSP|||ADT^A01|x|P|2.5\nPID|1||{{ synthetic.identifier }}||{{ synthetic.family }}' } }],
        }),
      },
      safety: SAFETY,
    });
    const sent = result.store.query({ metric: 'hl7_msgs' }).count;
    expect(sent).toBeGreaterThan(0);
    expect(result.store.query({ metric: 'hl7_msg_failed' }).rate).toBe(0);
    expect(peer.connections()).toBeLessThanOrEqual(2);
    expect(frames[0]).toMatch(/^MSH\|\^~\\&\|CB\|LOAD\|EHR\|HOSP\|\|\|ADT\^A01\|CB[0-9A-F]{6}[0-9A-Z]+\|P\|2\.5\rPID\|1\|\|CB-SYN-1-\d+\|\|[A-Za-z]+-Synth$/);
  });

  it('opens a new connection when the peer closes it after every ACK, and counts no failure for it', { timeout: 30_000 }, async () => {
    const peer = await startRawPeer((socket, frame) => socket.end(ack(frame, 'AA')));
    const result = await runLoad({
      baseUrl,
      scenarios: { feed: spec({ executor: 'per-vu-iterations', vus: 2, iterations: 5, steps: [{ name: 'admit', mllp: { address: peer.address, message: 'ADT^A01' } }] }) },
      safety: SAFETY,
    });
    expect(result.store.query({ metric: 'hl7_msgs', tags: { ack: 'AA' } }).count).toBe(10);
    expect(result.store.query({ metric: 'hl7_msg_failed' }).rate).toBe(0);
    expect(peer.connections()).toBe(10);
  });

  it('counts AE and AR as failures with their code, and a threshold on hl7_msg_failed fails the run', { timeout: 30_000 }, async () => {
    let n = 0;
    const peer = await startRawPeer((socket, frame) => socket.write(ack(frame, ++n % 2 === 0 ? 'AE' : 'AR', 'unknown patient')));
    const result = await runLoad({
      baseUrl,
      scenarios: { feed: spec({ executor: 'shared-iterations', vus: 1, iterations: 4, steps: [{ name: 'admit', mllp: { address: peer.address, message: 'ADT^A01', expect: { 'MSA-1': 'AA' } } }] }) },
      safety: SAFETY,
      thresholds: resolveThresholds({ hl7_msg_failed: ['rate<0.01'] }),
    });
    const store = result.store;
    expect(store.query({ metric: 'hl7_msg_failed' }).rate).toBe(1);
    expect(store.query({ metric: 'hl7_msgs', tags: { ack: 'AE', error: 'ACK_AE' } }).count).toBe(2);
    expect(store.query({ metric: 'hl7_msgs', tags: { ack: 'AR', error: 'ACK_AR' } }).count).toBe(2);
    expect(store.query({ metric: 'checks' }).rate).toBe(0);
    expect(result.errors).toEqual(expect.arrayContaining([{ message: 'admit: the peer answered AE', count: 2 }, { message: 'admit: the peer answered AR', count: 2 }]));
    expect(result.thresholds).toEqual([expect.objectContaining({ key: 'hl7_msg_failed', ok: false })]);
    expect(result.passed).toBe(false);
  });

  it('counts a peer that never acknowledges as a timeout, and the next message reconnects', { timeout: 30_000 }, async () => {
    let n = 0;
    const peer = await startRawPeer((socket, frame) => {
      if (++n !== 1) socket.write(ack(frame, 'AA'));
    });
    const result = await runLoad({
      baseUrl,
      scenarios: { feed: spec({ executor: 'shared-iterations', vus: 1, iterations: 3, steps: [{ name: 'admit', mllp: { address: peer.address, message: 'ADT^A01', timeout: '2s' } }] }) },
      safety: SAFETY,
    });
    const store = result.store;
    expect(store.query({ metric: 'hl7_msgs', tags: { error: 'EMLLPTIMEOUT' } }).count).toBe(1);
    expect(store.query({ metric: 'hl7_msgs', tags: { ack: 'AA' } }).count).toBe(2);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^admit: no ACK from 127\.0\.0\.1:\d+ within 2000 ms$/)]);
    expect(peer.connections()).toBe(2);
  });

  it('counts garbage, a close mid-frame and a close before any reply as failures with clear reasons, never a crash', { timeout: 30_000 }, async () => {
    let n = 0;
    const peer = await startRawPeer((socket, frame) => {
      n++;
      if (n === 1) socket.write('HTTP/1.1 400 Bad Request\r\n\r\n');
      else if (n === 2) socket.end(ack(frame, 'AA').slice(0, 30));
      else if (n === 3) socket.destroy();
      else socket.write(ack(frame, 'AA'));
    });
    const result = await runLoad({
      baseUrl,
      scenarios: { feed: spec({ executor: 'shared-iterations', vus: 1, iterations: 4, steps: [{ name: 'admit', mllp: { address: peer.address, message: 'ADT^A01' } }] }) },
      safety: SAFETY,
    });
    const store = result.store;
    expect(store.query({ metric: 'hl7_msgs' }).count).toBe(4);
    expect(store.query({ metric: 'hl7_msgs', tags: { error: 'EMLLPGARBAGE' } }).count).toBe(1);
    expect(store.query({ metric: 'hl7_msgs', tags: { error: 'EMLLPCLOSED' } }).count).toBe(2);
    expect(store.query({ metric: 'hl7_msgs', tags: { ack: 'AA' } }).count).toBe(1);
    const messages = result.errors.map((e) => e.message).join('\n');
    expect(messages).toMatch(/sent bytes that are not MLLP: expected <VT> \(0x0b\) to start a frame, got 0x48/);
    expect(messages).toMatch(/closed the connection in the middle of an ACK frame/);
    expect(messages).toMatch(/closed the connection before it acknowledged the message/);
    expect(store.query({ metric: 'iterations' }).count).toBe(4);
  });

  it('refuses a non-loopback MLLP address before any traffic, naming the step', { timeout: 30_000 }, async () => {
    const run = runLoad({
      baseUrl,
      scenarios: { feed: spec({ executor: 'shared-iterations', vus: 1, iterations: 1, steps: [{ name: 'admit', mllp: { address: '192.0.2.10:2575', message: 'ADT^A01' } }] }) },
      safety: SAFETY,
    });
    await expect(run).rejects.toBeInstanceOf(CodeblueError);
    await expect(run).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED', message: expect.stringContaining('scenarios.feed.steps[0].mllp.address') });
  });
});
