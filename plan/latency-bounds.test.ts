/** @module plan: the latencies a plan judges requests by, which become /metrics histogram buckets. */
import { describe, expect, it } from 'vitest';
import { durationBucketsSeconds } from '../core/index.js';
import { parsePlan, planLatencyBoundsMs } from './index.js';

const PLAN = [
  'name: t',
  'target: { baseUrl: http://127.0.0.1:8080 }',
  'scenarios:',
  '  s1: { executor: constant-vus, vus: 1, duration: 5s, flow: fhir/clinician-dashboard }',
];

describe('planLatencyBoundsMs', () => {
  it('takes SLO latency thresholds first, then latency bounds of thresholds on time metrics, without repeats', () => {
    const plan = parsePlan([...PLAN,
      'slos:',
      '  - { name: reads, objective: 99%, sli: { latency: 2s } }',
      '  - { name: up, objective: 99.9%, sli: availability }',
      '  - { name: fast, objective: 95%, sli: { latency: 300ms } }',
      'thresholds:',
      '  "http_req_duration{scenario:s1}": ["p(95)<800", "avg<300"]',
      '  http_req_failed: ["rate<0.01"]',
      '  iteration_duration: ["max<5000"]',
      '  http_reqs: ["count>10"]',
    ].join('\n'));
    expect(planLatencyBoundsMs(plan)).toEqual([2000, 300, 800, 5000]);
    expect(durationBucketsSeconds(planLatencyBoundsMs(plan))).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 0.8, 1, 2, 2.5, 5, 10, 30, 60]);
  });

  it('is empty for a plan without latency objectives', () => {
    expect(planLatencyBoundsMs(parsePlan(PLAN.join('\n')))).toEqual([]);
  });
});
