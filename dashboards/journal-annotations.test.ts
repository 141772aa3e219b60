/**
 * @module dashboards: the journal as Grafana region annotations with exact times, posted to a local server that
 * checks `POST /api/annotations` as Grafana's API documents it (epoch ms time/timeEnd, tags, text, dashboardUID).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../core/index.js';
import { journalAnnotationRequests, parseJournal, pushAnnotations } from './index.js';

const START = Date.UTC(2026, 10, 25, 10, 0, 0);
const entry = (offsetMs: number, action: JournalEntry['action'], extra: Partial<JournalEntry> = {}): JournalEntry => ({
  time: new Date(START + offsetMs).toISOString(), offsetMs, action, outcome: 'ok', ...extra,
});
const JOURNAL = [
  entry(0, 'run-start'),
  entry(0, 'phase-start', { phase: 'baseline' }),
  entry(30_000, 'phase-start', { phase: 'fault' }),
  entry(30_010, 'fault-on', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' }),
  entry(75_000, 'fault-off', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' }),
  entry(90_000, 'phase-start', { phase: 'recovery' }),
  entry(120_000, 'run-end'),
];

const received: Record<string, unknown>[] = [];
let server: Server;
let grafanaUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => { text += c.toString(); });
    req.on('end', () => {
      const reply = (status: number, body: object): void => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)); };
      if (req.method !== 'POST' || req.url !== '/api/annotations') return reply(404, { message: 'Not found' });
      if (req.headers.authorization !== 'Bearer good') return reply(401, { message: 'Invalid API key' });
      const b = JSON.parse(text) as Record<string, unknown>;
      const valid = Number.isInteger(b.time) && Number.isInteger(b.timeEnd) && (b.timeEnd as number) >= (b.time as number)
        && Array.isArray(b.tags) && b.tags.every((t) => typeof t === 'string') && typeof b.text === 'string';
      if (!valid) return reply(400, { message: 'bad annotation' });
      received.push(b);
      return reply(200, { message: 'Annotation added', id: received.length });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  grafanaUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('journal annotations', () => {
  it('makes one region per fault window and per phase, at the journal\'s wall-clock times', () => {
    expect(journalAnnotationRequests(JOURNAL, { runId: 'r1', dashboardUid: 'cb-run-r1' })).toEqual([
      { dashboardUID: 'cb-run-r1', time: START + 30_010, timeEnd: START + 75_000, tags: ['codeblue', 'run:r1', 'fault', 'proxy:ehr', 'toxic:ehr-latency'], text: 'fault ehr · ehr-latency (latency)' },
      { dashboardUID: 'cb-run-r1', time: START, timeEnd: START + 30_000, tags: ['codeblue', 'run:r1', 'phase', 'phase:baseline'], text: 'phase baseline' },
      { dashboardUID: 'cb-run-r1', time: START + 30_000, timeEnd: START + 90_000, tags: ['codeblue', 'run:r1', 'phase', 'phase:fault'], text: 'phase fault' },
      { dashboardUID: 'cb-run-r1', time: START + 90_000, timeEnd: START + 120_000, tags: ['codeblue', 'run:r1', 'phase', 'phase:recovery'], text: 'phase recovery' },
    ]);
    expect(journalAnnotationRequests([])).toEqual([]);
  });

  it('posts them to /api/annotations and returns Grafana\'s ids; a bad token is CB_GRAFANA_API with a hint', async () => {
    const annotations = journalAnnotationRequests(JOURNAL, { dashboardUid: 'cb-run-r1' });
    expect(await pushAnnotations({ grafanaUrl, token: 'good', annotations })).toEqual([1, 2, 3, 4]);
    expect(received.map((r) => r.dashboardUID)).toEqual(['cb-run-r1', 'cb-run-r1', 'cb-run-r1', 'cb-run-r1']);
    await expect(pushAnnotations({ grafanaUrl, token: 'bad', annotations })).rejects.toMatchObject({ code: 'CB_GRAFANA_API', hint: expect.stringContaining('--token') });
  });

  it('parses journal.ndjson, naming the broken line', () => {
    const text = `${JOURNAL.map((e) => JSON.stringify(e)).join('\n')}\n`;
    expect(parseJournal(text)).toEqual(JOURNAL);
    expect(() => parseJournal(`${JSON.stringify(JOURNAL[0])}\n{"time":"x"}\n`, 'runs/a/journal.ndjson'))
      .toThrow(expect.objectContaining({ code: 'CB_RUN_DIR_INVALID', message: expect.stringContaining('runs/a/journal.ndjson:2') }));
  });
});
