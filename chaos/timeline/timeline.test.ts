/** @module chaos/timeline: the fault timeline on a manual clock against the embedded server, through toxiproxy-node-client. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, type FaultEvent } from '../../core/index.js';
import { createFaultTimeline, createJournal, startChaosServer, type ChaosServer, type ResolvedFault } from '../index.js';
import { echoServer, type TestServer } from '../testing/net.js';
import { waitUntil } from '../../test/support/poll.js';

let server: ChaosServer;
let echo: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  echo = await echoServer();
  dir = mkdtempSync(join(tmpdir(), 'cb-timeline-'));
});
afterAll(async () => {
  await server.close();
  await echo.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = async (check: () => boolean | Promise<boolean>): Promise<void> => {
  await waitUntil(check, 'the timeline reached the expected state');
};

describe('the fault timeline', { timeout: 30_000 }, () => {
  it('creates the run proxies, switches faults on and off at their times, journals everything and rolls back with proof', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 25));
    const journalPath = join(dir, 'journal.ndjson');
    const events: FaultEvent[] = [];
    const faults: ResolvedFault[] = [
      { name: 'slow-ehr', proxy: 'ehr', toxic: 'latency', stream: 'downstream', toxicity: 1, at: '1s', attributes: { latency: 100, jitter: 0 }, startMs: 1000, endMs: 2000 },
      { name: 'ehr-down', proxy: 'ehr', toxic: 'down', stream: 'downstream', toxicity: 1, at: '3s', attributes: {}, startMs: 3000, endMs: 4000 },
    ];
    const timeline = createFaultTimeline({
      serverUrl: server.url, runId: 'r1', clock, journal: createJournal(journalPath), faults, onEvent: (e) => events.push(e),
      proxies: [{ name: 'ehr', listen: '127.0.0.1:0', upstream: echo.address, protocol: 'tcp', enabled: true }],
    });
    const client = new Toxiproxy(server.url);
    await timeline.setup();
    expect(Object.keys(await client.getAll())).toEqual(['cb-r1-ehr']);
    const running = timeline.run(new AbortController().signal);
    await clock.advance(1000);
    await until(() => events.length === 1);
    expect((await (await client.get('cb-r1-ehr')).getToxic('cb-r1-slow-ehr')).attributes).toEqual({ latency: 100, jitter: 0 });
    expect(timeline.activeFaults().map((f) => f.name)).toEqual(['slow-ehr']);
    await clock.advance(1000);
    await until(() => events.length === 2);
    await clock.advance(1000);
    await until(() => events.length === 3);
    expect((await client.get('cb-r1-ehr')).enabled).toBe(false);
    await clock.advance(1000);
    await until(() => events.length === 4);
    expect((await client.get('cb-r1-ehr')).enabled).toBe(true);
    await running;
    expect(events.map((e) => `${e.action}:${e.toxic}:${e.outcome}@${e.at}`)).toEqual([
      'on:slow-ehr:ok@1000', 'off:slow-ehr:ok@2000', 'on:ehr-down:ok@3000', 'off:ehr-down:ok@4000',
    ]);
    const result = await timeline.rollback();
    expect(result).toEqual({ removed: ['cb-r1-ehr'], leftovers: [] });
    expect(await timeline.rollback()).toBe(result);
    expect(await client.getAll()).toEqual({});
    const lines = readFileSync(journalPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.action)).toEqual(['proxy-create', 'fault-on', 'fault-off', 'fault-on', 'fault-off', 'rollback-start', 'proxy-delete', 'rollback-verified']);
    expect(lines[1]).toMatchObject({ offsetMs: 1000, time: '2026-11-25T00:00:01.000Z', proxy: 'cb-r1-ehr', toxic: 'slow-ehr', type: 'latency', attributes: { latency: 100, jitter: 0 }, outcome: 'ok' });
    expect(lines.at(-1)).toMatchObject({ action: 'rollback-verified', outcome: 'ok', leftovers: [] });
  });

  it('ends one active fault early on request, journals why, and skips its scheduled off', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 25));
    const journalPath = join(dir, 'journal-early.ndjson');
    const events: FaultEvent[] = [];
    const faults: ResolvedFault[] = [
      { name: 'slow-ehr', proxy: 'ehr', toxic: 'latency', stream: 'downstream', toxicity: 1, at: '1s', attributes: { latency: 100, jitter: 0 }, startMs: 1000, endMs: 5000 },
    ];
    const timeline = createFaultTimeline({
      serverUrl: server.url, runId: 'r3', clock, journal: createJournal(journalPath), faults, onEvent: (e) => events.push(e),
      proxies: [{ name: 'ehr', listen: '127.0.0.1:0', upstream: echo.address, protocol: 'tcp', enabled: true }],
    });
    await timeline.setup();
    expect(await timeline.endFault('slow-ehr', 'too early')).toBe('not-active');
    const running = timeline.run(new AbortController().signal);
    await clock.advance(1000);
    await until(() => events.length === 1);
    await clock.advance(500);
    expect(await timeline.endFault('slow-ehr', 'ended early by operator')).toBe('ended');
    expect(await (await fetch(`${server.url}/proxies/cb-r3-ehr/toxics`)).json()).toEqual([]);
    expect(timeline.activeFaults()).toEqual([]);
    await clock.advance(3500);
    await running;
    expect(events.map((e) => `${e.action}:${e.outcome}@${e.at}`)).toEqual(['on:ok@1000', 'off:ok@1500']);
    await timeline.rollback();
    const lines = readFileSync(journalPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.action === 'fault-off')).toEqual([expect.objectContaining({ offsetMs: 1500, outcome: 'ok', reason: 'ended early by operator' })]);
  });

  it('journals a failing fault as data and keeps going', async () => {
    const clock = manualClock();
    const journalPath = join(dir, 'journal-bad.ndjson');
    const events: FaultEvent[] = [];
    const timeline = createFaultTimeline({
      serverUrl: server.url, runId: 'r2', clock, journal: createJournal(journalPath), onEvent: (e) => events.push(e),
      proxies: [{ name: 'tcp', listen: '127.0.0.1:0', upstream: echo.address, protocol: 'tcp', enabled: true }],
      faults: [{ name: 'needs-http', proxy: 'tcp', toxic: 'http_error', stream: 'downstream', toxicity: 1, at: '0s', attributes: { status: 503 }, startMs: 0, endMs: 10 }],
    });
    await timeline.setup();
    const running = timeline.run(new AbortController().signal);
    await until(() => events.length === 1);
    await clock.advance(10);
    await running;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'on', outcome: 'error', error: expect.stringContaining('status code 400') });
    await timeline.rollback();
  });

  it('fails setup with CB_CHAOS_SERVER_UNREACHABLE when no server answers', async () => {
    const timeline = createFaultTimeline({
      serverUrl: 'http://127.0.0.1:1', runId: 'r3', clock: manualClock(), journal: createJournal(join(dir, 'j3.ndjson')), faults: [],
      proxies: [{ name: 'x', listen: '127.0.0.1:0', upstream: echo.address, protocol: 'tcp', enabled: true }],
    });
    await expect(timeline.setup()).rejects.toMatchObject({ code: 'CB_CHAOS_SERVER_UNREACHABLE' });
  });
});
