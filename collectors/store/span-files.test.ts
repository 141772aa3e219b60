/** @module collectors/store: span files — gzip members, rotation at a size, a total bound, truncated files, old plain files. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../otlp/types.js';
import { readSpanFiles, SpanFileWriter, type SpanReadBreak } from './span-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'cb-span-files-'));
  dirs.push(d);
  return d;
};

/** Spans whose attribute is random hex, so gzip cannot shrink them to nothing. */
function span(i: number): SpanRecord {
  let noise = '';
  for (let k = 0; k < 40; k++) noise += ((i * 2654435761 + k * 40503) >>> 0).toString(16);
  return {
    traceId: i.toString(16).padStart(32, '0'), spanId: i.toString(16).padStart(16, '0'), parentSpanId: '', traceState: '', flags: 1, name: 'GET', kind: 2,
    service: 'api', startTimeUnixNano: '0', endTimeUnixNano: '0', startEpochMs: i, durationMs: 1, status: { code: 0, message: '' },
    attributes: { noise }, resource: { 'service.name': 'api' }, scope: { name: 't', version: '1' }, events: [], links: [],
  };
}

async function read(dir: string, onBreak?: (b: SpanReadBreak) => void): Promise<number[]> {
  const out: number[] = [];
  for await (const s of readSpanFiles(dir, onBreak)) out.push(s.startEpochMs);
  return out;
}

describe('span files', () => {
  it('rotates at rotateBytes and removes the oldest files past maxBytes, counting their spans', async () => {
    const dir = tempDir();
    const w = new SpanFileWriter(dir, { rotateBytes: 20_000, maxBytes: 60_000, chunkBytes: 8_000 });
    for (let i = 0; i < 2000; i++) w.write([span(i)]);
    w.flush();
    const files = readdirSync(dir).sort();
    expect(files.every((f) => /^spans-\d{4}\.ndjson\.gz$/.test(f))).toBe(true);
    const onDisk = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    const st = w.stats();
    expect(st.filesRemoved).toBeGreaterThan(0);
    expect(onDisk).toBe(st.bytesOnDisk);
    expect(onDisk).toBeLessThanOrEqual(60_000);
    expect(files[0]).not.toBe('spans-0001.ndjson.gz'); // the oldest went
    const kept = await read(dir);
    // The newest spans are what is left, in order, and the counts add up.
    expect(kept.length).toBe(st.spansWritten - st.spansRemoved);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 2000 - kept.length + k));
  });

  it('reads a compressed file cut short by a killed run up to the break, and says where it broke', async () => {
    const dir = tempDir();
    const w = new SpanFileWriter(dir, { rotateBytes: 1e9, maxBytes: 2e9, chunkBytes: 4_000 });
    for (let i = 0; i < 300; i++) w.write([span(i)]);
    w.flush();
    const file = join(dir, 'spans-0001.ndjson.gz');
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size * 0.6));
    const breaks: SpanReadBreak[] = [];
    const kept = await read(dir, (b) => breaks.push(b));
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(300);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => k)); // a clean prefix
    expect(breaks).toHaveLength(1);
    expect(breaks[0]?.file).toBe(file);
  });

  it('still reads an older run\'s plain spans.ndjson, after any compressed files, a cut last line included', async () => {
    const dir = tempDir();
    const lines = [0, 1, 2].map((i) => JSON.stringify(span(i))).join('\n');
    writeFileSync(join(dir, 'spans.ndjson'), `${lines}\n${JSON.stringify(span(3)).slice(0, 40)}`);
    const breaks: SpanReadBreak[] = [];
    expect(await read(dir, (b) => breaks.push(b))).toEqual([0, 1, 2]);
    expect(breaks[0]?.reason).toContain('cut short');
    expect(readFileSync(join(dir, 'spans.ndjson'), 'utf8')).toContain('"startEpochMs":2');
  });
});
