/** @module core: k6 duration syntax, ratios and their formatting. */
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationText, parseRatio } from './index.js';

describe('parseDurationText', () => {
  it.each([['500ms', 500], ['30s', 30_000], ['1m30s', 90_000], ['1h30m', 5_400_000], ['1.5s', 1500], ['0', 0], ['250us', 0.25], ['2d', 172_800_000], [' 10s ', 10_000]])(
    '%s → %s ms', (text, ms) => {
      expect(parseDurationText(text)).toBe(ms);
    });
  it.each(['', '30', '1m 30s', 'soon', '-5s', '10x', 's', '1..5s'])('rejects %j', (text) => {
    expect(parseDurationText(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([[250, '250ms'], [1500, '1.5s'], [90_000, '1m30s'], [3_600_000, '1h0m0s']])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('parseRatio', () => {
  it.each([['99.95%', 0.9995], [0.5, 0.5], ['0.25', 0.25], ['100%', 1]])('%s → %s', (input, value) => {
    expect(parseRatio(input)).toBeCloseTo(value, 12);
  });
  it.each(['120%', -0.1, 'lots', '', 2])('rejects %j', (input) => {
    expect(parseRatio(input)).toBeUndefined();
  });
});
