/** @module run: the acknowledged-write ledger reads every write back and names what is missing or changed. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceFields } from '../core/index.js';
import { createLedger, verifyLedger, type AcknowledgedWrite } from './ledger.js';

const stored = new Map<string, Record<string, unknown>>([
  ['Patient/p1', { resourceType: 'Patient', id: 'p1', identifier: [{ value: 'CB-SYN-1' }], meta: { versionId: '3' } }],
  ['Patient/p2', { resourceType: 'Patient', id: 'p2', identifier: [{ value: 'CB-SYN-OTHER' }] }],
]);
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const key = (req.url ?? '').replace(/^\/fhir\//, '');
    if (key === 'Patient/p4') return void res.writeHead(503).end();
    const doc = stored.get(key);
    if (!doc) return void res.writeHead(404, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome"}');
    res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** What the engine keeps for an acknowledged Patient `id` whose first identifier was `identifier` (versionId 1). */
const write = (id: string, identifier: string): AcknowledgedWrite => ({
  at: 1000, scenario: 'registration', resourceType: 'Patient', id, readPath: `/fhir/Patient/${id}`,
  keyFields: resourceFields({ resourceType: 'Patient', id, identifier: [{ value: identifier }], meta: { versionId: '1' } }),
});

describe('verifyLedger', () => {
  it('passes writes read back unchanged (a later version bump is not a change)', async () => {
    const result = await verifyLedger([write('p1', 'CB-SYN-1')], baseUrl);
    expect(result).toMatchObject({ checked: 1, clean: true, missing: [], changed: [], unreadable: [] });
  });

  it('names missing, changed and unreadable writes with their ids', async () => {
    const result = await verifyLedger([write('p1', 'CB-SYN-1'), write('p2', 'CB-SYN-2'), write('p3', 'CB-SYN-3'), write('p4', 'CB-SYN-4')], baseUrl);
    expect(result.clean).toBe(false);
    expect(result.missing.map((p) => p.id)).toEqual(['p3']);
    expect(result.changed.map((p) => [p.id, p.detail])).toEqual([['p2', 'identifier[0].value: "CB-SYN-2" → "CB-SYN-OTHER"']]);
    expect(result.unreadable.map((p) => [p.id, p.detail])).toEqual([['p4', 'read back 503']]);
  });
});

describe('createLedger', () => {
  it('keeps every write while under its cap, the latest acknowledgement per resource, and says so', () => {
    const ledger = createLedger(3);
    ledger.add(write('a', '1'));
    ledger.add({ ...write('a', '2'), at: 2000 });
    ledger.add(write('b', '1'));
    ledger.add(write('c', '1'));
    expect(ledger.total()).toBe(4);
    expect(ledger.entries().map((e) => [e.id, e.keyFields['identifier[0].value']])).toEqual([['a', '"2"'], ['b', '"1"'], ['c', '"1"']]);
    expect(ledger.rule()).toBe('every acknowledged write, each resource at its latest acknowledgement (3 resources of 4 acknowledged writes)');
  });

  it('past its cap keeps a uniform sample across the whole run, not the first writes, and updates what it keeps', () => {
    const ledger = createLedger(1000, { seed: 11 });
    for (let i = 0; i < 20_000; i++) {
      ledger.add({ ...write(`p${i}`, `CB-SYN-${i}`), at: i });
      // Every tenth resource is updated right away: a kept one takes the update, whenever it was kept.
      if (i % 10 === 0) ledger.add({ ...write(`p${i}`, `CB-SYN-${i}-v2`), at: i });
    }
    const kept = ledger.entries();
    expect(kept).toHaveLength(1000);
    expect(new Set(kept.map((e) => e.id)).size).toBe(1000);
    // 1000 of 20,000 drawn uniformly: ~100 from each tenth of the run (binomial, sd ~9.5).
    const byTenth = Array.from({ length: 10 }, (_, t) => kept.filter((e) => Math.floor(e.at / 2000) === t).length);
    for (const n of byTenth) expect(n).toBeGreaterThan(60), expect(n).toBeLessThan(140);
    for (const e of kept) expect(e.keyFields['identifier[0].value']).toBe(Number(e.id.slice(1)) % 10 === 0 ? `"CB-SYN-${e.id.slice(1)}-v2"` : `"CB-SYN-${e.id.slice(1)}"`);
    expect(ledger.total()).toBe(22_000);
    expect(ledger.rule()).toMatch(/^a uniform random sample across the whole run: 1000 resources of 22000 acknowledged writes \(ledger\.maxRecords: 1000;/);
  });

  it('gives back each write as acknowledged (compare list included), whatever it holds it as', () => {
    const ledger = createLedger(100);
    const full = write('p9', 'CB-SYN-9');
    const named: AcknowledgedWrite = { ...write('p10', 'CB-SYN-10'), at: 2500.5, scenario: 'booking', compare: ['identifier'] };
    ledger.add(full);
    ledger.add(named);
    expect(ledger.entries()).toEqual([full, named]);
    expect('compare' in (ledger.entries()[0] as AcknowledgedWrite)).toBe(false);
  });

  it('gives back writes whose strings hold control characters or whose lists are empty unchanged', () => {
    const ledger = createLedger(100);
    const odd: AcknowledgedWrite[] = [
      { ...write('n\u0000ul', 'x'), keyFields: { 'a\u0001b': '"\u0002"', c: '"d"' } },
      { ...write('no-fields', 'x'), keyFields: {} },
      { ...write('empty-compare', 'x'), compare: [] },
      { ...write('empty-name', 'x'), keyFields: { '': '"v"' }, compare: ['', 'name'] },
    ];
    for (const w of odd) ledger.add(w);
    expect(ledger.entries()).toEqual(odd);
  });

  it('spilled to the run folder, gives back the same writes in the same order as held in memory (a sample past its cap too), and removes its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-ledger-'));
    try {
      const file = join(dir, 'ledger-writes.ndjson.gz');
      const inMemory = createLedger(3000, { seed: 3 });
      const spilled = createLedger(3000, { spillPath: file, seed: 3 });
      const writes: AcknowledgedWrite[] = [];
      for (let i = 0; i < 4000; i++) writes.push({ ...write(`p${i % 3500}`, `CB-SYN-${i}`), at: i, ...(i % 7 === 0 ? { compare: ['identifier'] } : {}) });
      writes.push({ ...write('n\u0000ul', 'x'), keyFields: { 'a\u0001b': '"\u0002"' } });
      for (const w of writes) {
        inMemory.add(w);
        spilled.add(w);
      }
      expect(existsSync(file)).toBe(true);
      const expected = inMemory.entries();
      expect(expected).toHaveLength(3000);
      expect(spilled.entries()).toEqual(expected);
      expect(spilled.total()).toBe(4001);
      expect(existsSync(file)).toBe(false);
      // Still a ledger after the read-back (a write that lands late is kept as in memory).
      spilled.add(write('p1', 'CB-SYN-late'));
      inMemory.add(write('p1', 'CB-SYN-late'));
      expect(spilled.entries()).toEqual(inMemory.entries());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
