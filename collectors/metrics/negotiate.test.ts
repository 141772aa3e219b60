import { describe, expect, it } from 'vitest';
import { wantsOpenMetrics } from './negotiate.js';

describe('wantsOpenMetrics', () => {
  it.each([
    ['Prometheus 2.42', 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', true],
    ['OpenMetrics without a version', 'application/openmetrics-text', true],
    ['OpenMetrics 0.0.1 only', 'application/openmetrics-text; version=0.0.1', false],
    ['text preferred', 'text/plain;version=0.0.4,application/openmetrics-text;version=1.0.0;q=0.5', false],
    ['OpenMetrics refused', 'application/openmetrics-text;version=1.0.0;q=0,text/plain', false],
    ['curl', '*/*', false],
    ['no header', undefined, false],
  ] as const)('%s → %s', (_who, accept, expected) => {
    expect(wantsOpenMetrics(accept)).toBe(expected);
  });
});
