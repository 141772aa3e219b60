/** @module core: one escaping rule for Prometheus label values. */
import { describe, expect, it } from 'vitest';
import { escapeLabelValue } from './index.js';

describe('escapeLabelValue', () => {
  it('escapes backslash, double quote and line feed, and nothing else', () => {
    expect(escapeLabelValue('C:\\tmp "x"\nnext')).toBe('C:\\\\tmp \\"x\\"\\nnext');
    expect(escapeLabelValue('GET /fhir/Patient/{id} · ü')).toBe('GET /fhir/Patient/{id} · ü');
  });

  it('escapes the backslash first, so an escaped quote is not escaped twice', () => {
    expect(escapeLabelValue('\\"')).toBe('\\\\\\"');
  });
});
