import { describe, expect, it } from 'vitest';
import { clock, count, humanDuration, ms, objectiveText, pct, pp, windowText } from './format.js';

describe('report wording', () => {
  it('words durations the way the budget sentence needs them', () => {
    expect([850, 6200, 1_296_000, 32_400_000, 53_040_000, 183_600_000, 2_592_000_000].map(humanDuration))
      .toEqual(['850 ms', '6.2 s', '21.6 min', '9 h', '14 h 44 min', '2 d 3 h', '30 d']);
    expect(humanDuration(Infinity)).toBe('∞');
  });

  it('words shares, objectives, windows, offsets, latencies and counts', () => {
    expect([pct(0.0046), pct(0.0000077), pct(0.5), pct(0)]).toEqual(['0.46 %', '0.00077 %', '50 %', '0 %']);
    expect([objectiveText(0.9995), objectiveText(0.99)]).toEqual(['99.95 %', '99 %']);
    expect([windowText(2_592_000_000), windowText(21_600_000), windowText(300_000)]).toEqual(['30-day', '6-hour', '5-minute']);
    expect([clock(61_500), clock(3_723_000)]).toEqual(['01:01', '1:02:03']);
    expect([ms(null), ms(12.345), ms(312.6)]).toEqual(['–', '12.3 ms', '313 ms']);
    expect(count(10_008_000)).toBe('10,008,000');
    expect([pp(0.0211), pp(-0.005)]).toEqual(['+2.11 pp', '−0.5 pp']);
  });
});
