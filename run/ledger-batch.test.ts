/** @module run: the ledger reads back in `_id` batches, and lets only a write's own read name a problem. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resourceFields } from '../core/index.js';
import { verifyLedger, type AcknowledgedWrite } from './ledger.js';
import { planBatches, searchBaseOf, searchUrl } from './ledger-batch.js';

/** How the test server answers `GET /fhir/Patient?_id=…`. */
type SearchMode = 'ok' | 'refuse' | 'stale' | 'capped';
let mode: SearchMode = 'ok';
const stored = new Map<string, Record<string, unknown>>();
const requests = { searches: 0, reads: 0, queries: [] as string[] };
let server: Server;
let baseUrl: string;

const patient = (id: string, identifier: string): Record<string, unknown> => ({ resourceType: 'Patient', id, identifier: [{ value: identifier }], meta: { versionId: '2' } });

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '', 'http://x');
    const send = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));
    if (url.pathname === '/fhir/Patient') {
      requests.searches += 1;
      requests.queries.push(url.search);
      if (mode === 'refuse') return send(400, { resourceType: 'OperationOutcome' });
      const ids = (url.searchParams.get('_id') ?? '').split(',');
      let found = ids.flatMap((id) => (stored.has(id) ? [stored.get(id) as Record<string, unknown>] : []));
      if (mode === 'capped') found = found.slice(0, 50);
      if (mode === 'stale') found = found.map((r) => ({ ...r, identifier: [{ value: 'STALE' }] }));
      return send(200, { resourceType: 'Bundle', type: 'searchset', total: found.length, entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) });
    }
    requests.reads += 1;
    const doc = stored.get(url.pathname.replace(/^\/fhir\/Patient\//, ''));
    return doc ? send(200, doc) : send(404, { resourceType: 'OperationOutcome' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  mode = 'ok';
  requests.searches = 0;
  requests.reads = 0;
  requests.queries = [];
  stored.clear();
});

/** What the engine keeps for an acknowledged Patient `id` with identifier `value`. */
const write = (id: string, value: string, readPath = `/fhir/Patient/${id}`): AcknowledgedWrite => ({
  at: 1000, scenario: 'registration', resourceType: 'Patient', id, readPath,
  keyFields: resourceFields({ resourceType: 'Patient', id, identifier: [{ value }], meta: { versionId: '1' } }),
});

/** 250 writes stored as acknowledged, except p7 (lost) and p8 (changed). */
function twoHundredFifty(): AcknowledgedWrite[] {
  const writes = Array.from({ length: 250 }, (_, i) => write(`p${i}`, `CB-${i}`));
  for (const w of writes) stored.set(w.id, patient(w.id, `CB-${w.id.slice(1)}`));
  stored.delete('p7');
  stored.set('p8', patient('p8', 'CB-OTHER'));
  return writes;
}

describe('verifyLedger in batches', { timeout: 20_000 }, () => {
  it('confirms writes 100 at a time by `_id` search and reads on its own only what a search did not return unchanged', async () => {
    const result = await verifyLedger(twoHundredFifty(), baseUrl);
    expect({ searches: requests.searches, reads: requests.reads }).toEqual({ searches: 3, reads: 2 });
    // Literal commas (no %2C): a long run of [A-Za-z0-9%.-] in the target's spans is quadratic for a PHI email rule.
    expect(requests.queries.map((q) => q.split('&')[1])).toEqual(['_count=100', '_count=100', '_count=50']);
    expect(requests.queries.every((q) => q.startsWith('?_id=p') && !q.includes('%'))).toBe(true);
    expect(result.checked).toBe(250);
    expect(result.missing.map((p) => [p.id, p.detail])).toEqual([['p7', 'read back 404']]);
    expect(result.changed.map((p) => [p.id, p.detail])).toEqual([['p8', 'identifier[0].value: "CB-8" → "CB-OTHER"']]);
    expect(result.unreadable).toEqual([]);
  });

  it('reads every write on its own when the server refuses `_id` searches, with the same result', async () => {
    mode = 'refuse';
    const result = await verifyLedger(twoHundredFifty(), baseUrl);
    expect({ searches: requests.searches, reads: requests.reads }).toEqual({ searches: 3, reads: 250 });
    expect(result.missing.map((p) => p.id)).toEqual(['p7']);
    expect(result.changed.map((p) => p.id)).toEqual(['p8']);
  });

  it('lets the write’s own read decide when a search shows it changed (a stale search never fails a write)', async () => {
    mode = 'stale';
    const writes = [write('a', 'CB-A'), write('b', 'CB-B')];
    stored.set('a', patient('a', 'CB-A'));
    stored.set('b', patient('b', 'CB-B'));
    const result = await verifyLedger(writes, baseUrl);
    expect(result.clean).toBe(true);
    expect({ searches: requests.searches, reads: requests.reads }).toEqual({ searches: 1, reads: 2 });
  });

  it('reads what a search capped below `_count` left out on its own', async () => {
    mode = 'capped';
    const writes = Array.from({ length: 80 }, (_, i) => write(`q${i}`, `CB-${i}`));
    for (const w of writes) stored.set(w.id, patient(w.id, `CB-${w.id.slice(1)}`));
    const result = await verifyLedger(writes, baseUrl);
    expect(result.clean).toBe(true);
    expect({ searches: requests.searches, reads: requests.reads }).toEqual({ searches: 1, reads: 30 });
  });
});

describe('planBatches', () => {
  it('batches plain reads per scenario and type, and leaves queries, other origins, HL7 messages and lone writes to single reads', () => {
    const plain = [write('a', '1'), write('b', '2'), { ...write('c', '3'), scenario: 'booking' }];
    const odd = [
      write('d', '4', '/fhir/Patient/d?_format=json'),
      write('e', '5', 'http://elsewhere.example/fhir/Patient/e'),
      write('f', '6', '/fhir/Patient/f/_history/1'),
      { ...write('g', '7'), existsOnly: true as const, withinMs: 30_000 },
      { ...write('h,i', '8'), readPath: '/fhir/Patient/h,i' },
    ];
    const { batches, single } = planBatches([...plain, ...odd], 'http://127.0.0.1:8080');
    expect(batches.map((b) => [b.searchBase, b.scenario, b.entries.map((e) => e.id)])).toEqual([['http://127.0.0.1:8080/fhir/Patient', 'registration', ['a', 'b']]]);
    expect(single.map((e) => e.id).sort()).toEqual(['c', 'd', 'e', 'f', 'g', 'h,i']);
  });

  it('cuts a group into batches of the given size', () => {
    const writes = Array.from({ length: 5 }, (_, i) => write(`x${i}`, String(i)));
    expect(planBatches(writes, 'http://127.0.0.1:1', 2).batches.map((b) => b.entries.length)).toEqual([2, 2, 1]);
  });

  it('writes the ids of a search joined by literal commas', () => {
    expect(searchUrl('http://127.0.0.1:8080/fhir/Patient', ['a-1', 'b.2', 'C3'])).toBe('http://127.0.0.1:8080/fhir/Patient?_id=a-1,b.2,C3&_count=3');
  });

  it('finds the search base under a path prefix', () => {
    expect(searchBaseOf(write('a', '1', '/api/r4/Patient/a'), 'http://127.0.0.1:1/ignored')).toBe('http://127.0.0.1:1/api/r4/Patient');
  });
});
