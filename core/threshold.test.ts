/** @module core: k6 threshold expressions and metric keys. */
import { describe, expect, it } from 'vitest';
import { compare, parseMetricKey, parseThresholdExpression } from './threshold.js';

describe('parseThresholdExpression', () => {
  it.each([
    ['p(95)<300', { aggregation: 'p', percentile: 95, op: '<', value: 300 }],
    ['p(99.9) <= 2000', { aggregation: 'p', percentile: 99.9, op: '<=', value: 2000 }],
    ['rate<0.01', { aggregation: 'rate', op: '<', value: 0.01 }],
    ['avg < 200', { aggregation: 'avg', op: '<', value: 200 }],
    ['med>=1', { aggregation: 'med', op: '>=', value: 1 }],
    ['max<1e3', { aggregation: 'max', op: '<', value: 1000 }],
    ['count>100', { aggregation: 'count', op: '>', value: 100 }],
    ['value==1', { aggregation: 'value', op: '==', value: 1 }],
    ['min!=0', { aggregation: 'min', op: '!=', value: 0 }],
  ])('parses %s', (source, expected) => {
    const parsed = parseThresholdExpression(source);
    expect(parsed.ok && parsed.value).toMatchObject(expected);
  });
  it.each(['p95<300', 'p(101)<1', 'rate', '<1', 'avg<fast', 'p(95)=<300', 'sum<1'])('rejects %s', (source) => {
    expect(parseThresholdExpression(source).ok).toBe(false);
  });
});

describe('parseMetricKey', () => {
  it('parses tag filters as k6 sub-metrics', () => {
    const key = parseMetricKey('http_req_duration{scenario:clinicians, status:200}');
    expect(key.ok && key.value).toEqual({ source: 'http_req_duration{scenario:clinicians, status:200}', metric: 'http_req_duration', tags: { scenario: 'clinicians', status: '200' } });
  });
  it('keeps colons inside group tag values', () => {
    const key = parseMetricKey('group_duration{group:::outer::inner}');
    expect(key.ok && key.value.tags).toEqual({ group: '::outer::inner' });
  });
  it.each(['', 'http_req_duration{scenario}', 'a b', 'm{:x}'])('rejects %j', (source) => {
    expect(parseMetricKey(source).ok).toBe(false);
  });
});

describe('compare', () => {
  it('applies each operator', () => {
    expect([compare(1, '<', 2), compare(2, '<=', 2), compare(3, '>', 2), compare(2, '>=', 3), compare(2, '==', 2), compare(2, '===', 2), compare(2, '!=', 2)]).toEqual([true, true, true, false, true, true, false]);
  });
});
