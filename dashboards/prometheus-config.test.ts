/** @module dashboards: the scrape-config snippet is valid Prometheus configuration (checked by the real promtool). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheusScrapeConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-scrape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prometheusScrapeConfig', () => {
  it('passes `promtool check config` as a whole prometheus.yml', () => {
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, prometheusScrapeConfig({ target: '127.0.0.1:9464', runId: '20261125T1000-ab12', interval: '1s' }));
    const out = execFileSync('/usr/bin/promtool', ['check', 'config', file], { encoding: 'utf8', timeout: 20_000 });
    expect(out).toMatch(/SUCCESS/);
  }, 25_000);

  it('scrapes /metrics of the target at the interval, in a job named after the run', () => {
    const doc = parse(prometheusScrapeConfig({ target: '[::1]:9464', runId: 'run 1' })) as { scrape_configs: Record<string, unknown>[] };
    expect(doc.scrape_configs).toEqual([{
      job_name: 'codeblue-run_1', scrape_interval: '5s', scrape_timeout: '5s', metrics_path: '/metrics',
      static_configs: [{ targets: ['[::1]:9464'] }],
    }]);
  });

  it('rejects a target that is not host:port, and an interval that is not a Prometheus duration', () => {
    expect(() => prometheusScrapeConfig({ target: 'http://127.0.0.1:9464' })).toThrow(expect.objectContaining({ code: 'CB_USAGE', hint: expect.stringContaining('127.0.0.1:9464') }));
    expect(() => prometheusScrapeConfig({ target: '127.0.0.1:99999' })).toThrow(expect.objectContaining({ code: 'CB_USAGE' }));
    expect(() => prometheusScrapeConfig({ target: '127.0.0.1:9464', interval: '1.5s' })).toThrow(expect.objectContaining({ code: 'CB_USAGE' }));
  });
});
