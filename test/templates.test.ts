/** @module test: every template `codeblue init --template` offers is a valid plan for the demo stack. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../plan/index.js';

const DIR = new URL('../examples/', import.meta.url);
const TEMPLATES = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

describe('templates', () => {
  it('ships the six drills the issue names', () => {
    expect(TEMPLATES.map((f) => f.replace('.yaml', '')).sort()).toEqual(['compliance', 'db-latency', 'dirty-data', 'ehr-outage', 'full', 'spike']);
  });

  it.each(TEMPLATES)('%s validates, stays under 3 minutes and only targets loopback', (file) => {
    const plan = parsePlan(readFileSync(new URL(file, DIR), 'utf8'), file);
    expect(plan.runLengthMs).toBeLessThanOrEqual(180_000);
    expect(new URL(plan.target.baseUrl).hostname).toBe('127.0.0.1');
    for (const p of plan.proxies) expect([p.listen, p.upstream].every((a) => a.startsWith('127.0.0.1:'))).toBe(true);
    expect(plan.safety.maxRequests).toBeLessThanOrEqual(100_000);
  });

  it('ehr-outage runs latency, then timeout, then reset_peer on the EHR link', () => {
    const plan = parsePlan(readFileSync(new URL('ehr-outage.yaml', DIR), 'utf8'));
    expect(plan.faults.map((f) => [f.proxy, f.toxic])).toEqual([['ehr', 'latency'], ['ehr', 'timeout'], ['ehr', 'reset_peer']]);
    expect(plan.faults.map((f) => f.startMs)).toEqual([...plan.faults.map((f) => f.startMs)].sort((a, b) => a - b));
  });
});
