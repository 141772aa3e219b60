import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../core/metrics/index.js';
import { ingestK6Json } from './ingest.js';

const point = (metric: string, value: number, tags: Record<string, string>): string =>
  JSON.stringify({ type: 'Point', metric, data: { time: '2026-12-01T03:00:00.500000000Z', value, tags } });
const declare = (metric: string, type: string): string => JSON.stringify({ type: 'Metric', metric, data: { type, contains: 'default' } });

describe('ingesting k6 output of a script with auth', () => {
  it('keeps token requests out of http_reqs and records their auth_token_* points', { timeout: 10_000 }, async () => {
    const lines = [
      declare('http_reqs', 'counter'), declare('http_req_duration', 'trend'), declare('auth_token_duration', 'trend'), declare('auth_token_failed', 'rate'),
      point('http_reqs', 1, { name: 'auth_token', codeblue_auth: '1', status: '200', method: 'POST' }),
      point('http_req_duration', 42, { name: 'auth_token', codeblue_auth: '1', status: '200', method: 'POST' }),
      point('auth_token_duration', 45, {}),
      point('auth_token_failed', 0, {}),
      point('http_reqs', 1, { name: 'search', status: '200', method: 'GET', scenario: 'reads' }),
    ];
    const store = new MetricStore();
    await ingestK6Json(Readable.from(lines.map((l) => `${l}\n`)), store);
    expect(store.query({ metric: 'http_reqs' }).count).toBe(1);
    expect(store.query({ metric: 'http_req_duration' }).samples).toBe(0);
    expect(store.query({ metric: 'auth_token_duration' }).count).toBe(1);
    expect(store.query({ metric: 'auth_token_failed' }).rate).toBe(0);
  });
});
