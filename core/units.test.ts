/** @module core: k6 duration syntax, ratios and their formatting. */
import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, parseDurationText, parsePlanDuration, parseRatio } from './index.js';

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

describe('parsePlanDuration', () => {
  it.each([['30s', 30_000], [1500, 1500], ['365d', 365 * 86_400_000], ['0', 0]])('%j → %s ms', (input, ms) => {
    expect(parsePlanDuration(input)).toEqual({ ok: true, ms });
  });
  it.each([['99999999999999999999h', /longer than any game day/], [`${'9'.repeat(400)}h`, /too large for any game day/], ['366d', /at most 365d/], [1e300, /longer than/], [Infinity, /too large/], ['1e400s', /duration like/], [-1, /duration like/], ['soon', /duration like/]])('refuses %j', (input, message) => {
    const r = parsePlanDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
  it('never returns Infinity from parseDurationText', () => {
    expect(parseDurationText(`${'9'.repeat(400)}h`)).toBeUndefined();
  });
});

describe('formatClock', () => {
  it.each([[0, '00:00'], [999, '00:00'], [59_999, '00:59'], [61_500, '01:01'], [90_500, '01:30'], [3_599_999, '59:59'], [3_723_000, '1:02:03'],
    // Setup lines count down to the first phase: never "-00:00", and each shown second covers one second of setup.
    [-1, '-00:01'], [-400, '-00:01'], [-1000, '-00:01'], [-1001, '-00:02'], [-1500, '-00:02'], [-61_000, '-01:01'], [-3_600_500, '-1:00:01'], [-0, '00:00']])(
    '%s ms → %s', (ms, text) => {
      expect(formatClock(ms)).toBe(text);
    });
});
