import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricStore } from '../../core/metrics/index.js';
import { ingestK6Json, parseK6Time } from './ingest.js';
import { findK6, runK6 } from './run-k6.js';

const FIXTURE = new URL('./fixtures/k6-output.ndjson', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('ingestK6Json', () => {
  it('rebuilds k6 metrics from documented JSON output into the MetricStore', { timeout: 10_000 }, async () => {
    const store = new MetricStore();
    const stats = await ingestK6Json(FIXTURE, store);
    expect(stats.points).toBe(34);
    expect(stats.originEpochMs).toBe(Date.UTC(2026, 10, 25, 11, 0, 0));
    const d = store.query({ metric: 'http_req_duration' });
    expect([d.count, d.min, d.max]).toEqual([6, 60.5, 410.75]);
    expect(d.avg).toBeCloseTo((120.5 + 80.25 + 300.125 + 95 + 410.75 + 60.5) / 6, 9);
    expect(store.query({ metric: 'http_req_duration', tags: { expected_response: 'true' } }).max).toBe(300.125);
    expect(store.query({ metric: 'http_req_failed' }).rate).toBeCloseTo(1 / 6, 9);
    expect(store.query({ metric: 'checks', tags: { check: 'status is 200' } }).passes).toBe(5);
    expect(store.query({ metric: 'vus' }).value).toBe(3);
    expect(store.query({ metric: 'fhir_read_ms' }).max).toBe(42.5);
    expect(store.query({ metric: 'data_received', fromMs: 1000, toMs: 2000 }).count).toBe(2000);
    expect(store.list().some((s) => 'url' in s.tags)).toBe(false);
  });

  it('parses Go RFC 3339 nano timestamps with offsets', () => {
    expect(parseK6Time('2017-05-09T14:34:45.239531499+02:00')).toBeCloseTo(Date.UTC(2017, 4, 9, 12, 34, 45) + 239.531499, 6);
    expect(parseK6Time('yesterday')).toBeUndefined();
  });

  it('rejects lines that are not k6 JSON output with CB_K6_OUTPUT_INVALID and the line number', async () => {
    const bad = Readable.from(['{"type":"Metric","data":{"type":"trend"},"metric":"x"}\n', '{"type":"Point","data":{"time":"nope","value":1},"metric":"x"}\n']);
    await expect(ingestK6Json(bad, new MetricStore(), { source: 'out.json' })).rejects.toMatchObject({ code: 'CB_K6_OUTPUT_INVALID', message: expect.stringContaining('out.json:2') });
  });
});

describe('runK6', () => {
  it('fails with CB_K6_NOT_FOUND (exit 3) and a hint when k6 is not on PATH', async () => {
    expect(await findK6('/nonexistent-dir')).toBeUndefined();
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent-dir';
    try {
      await expect(runK6({ script: 'script.ts', outFile: 'out.json', baseUrl: 'http://127.0.0.1:1', store: new MetricStore() })).rejects.toMatchObject({ code: 'CB_K6_NOT_FOUND', exitCode: 3, hint: expect.stringContaining('install k6') });
    } finally {
      process.env.PATH = saved;
    }
  });

  it('spawns k6 with --out json and ingests what it wrote (stand-in k6 executable)', { timeout: 10_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cb-k6-'));
    dirs.push(dir);
    // A stand-in for the k6 binary: records its argv and writes the documented JSON output where --out points.
    const fake = join(dir, 'k6');
    await writeFile(fake, `#!/bin/sh\necho "$@" > "${dir}/argv"\nout=$(echo "$3" | sed 's/^json=//')\ncp "${FIXTURE}" "$out"\necho "k6 stand-in done"\nexit 99\n`);
    await chmod(fake, 0o755);
    expect(await findK6(`/nonexistent:${dir}`)).toBe(fake);
    const store = new MetricStore();
    const lines: string[] = [];
    const result = await runK6({ script: join(dir, 'script.ts'), outFile: join(dir, 'out.json'), baseUrl: 'http://127.0.0.1:8080', store, k6Path: fake, onOutput: (l) => lines.push(l) });
    expect(result).toMatchObject({ exitCode: 99, thresholdsFailed: true });
    expect((await readFile(join(dir, 'argv'), 'utf8')).trim()).toBe(`run --out json=${join(dir, 'out.json')} -e BASE_URL=http://127.0.0.1:8080 ${join(dir, 'script.ts')}`);
    expect(store.query({ metric: 'http_reqs' }).count).toBe(6);
    expect(lines).toContain('k6 stand-in done');
  });
});
