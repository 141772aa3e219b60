import { describe, expect, it } from 'vitest';
import { rampingArrivalAt } from './ramping-arrival-rate.js';
import { rampingTarget } from './ramping-vus.js';

describe('rampingTarget (ramping-vus)', () => {
  const stages = [{ duration: 1000, target: 10 }, { duration: 1000, target: 10 }, { duration: 1000, target: 0 }];
  it('interpolates linearly within a stage and reaches each target at its end', () => {
    expect([0, 500, 999, 1000, 1500, 2000, 2500, 2999, 3000, 9999].map((t) => rampingTarget(0, stages, t))).toEqual([0, 5, 9, 10, 10, 10, 5, 1, 0, 0]);
    expect(rampingTarget(4, [{ duration: 1000, target: 4 }], 500)).toBe(4);
  });
});

describe('rampingArrivalAt (ramping-arrival-rate)', () => {
  it('spaces arrivals evenly at a constant rate, starting at 0', () => {
    const at = (k: number): number | undefined => rampingArrivalAt(10, [{ duration: 1000, target: 10 }], 1000, k);
    expect([0, 1, 5, 9].map(at)).toEqual([0, 100, 500, 900]);
    expect(at(10)).toBeUndefined();
  });

  it('places the k-th arrival where the integral of a linear ramp reaches k', () => {
    // 0 → 20/s over 1 s: N(t) = 10 t², so the k-th arrival is at sqrt(k / 10) s
    const at = (k: number): number | undefined => rampingArrivalAt(0, [{ duration: 1000, target: 20 }], 1000, k);
    expect(at(0)).toBeCloseTo(Math.sqrt(1 / 10) * 1000, 6);
    expect(at(3)).toBeCloseTo(Math.sqrt(4 / 10) * 1000, 6);
    expect(at(9)).toBeUndefined(); // the 10th would fall exactly on the end
  });

  it('honours timeUnit and moves through stages', () => {
    // 60 per minute = 1/s for 2 s, then a 0-rate stage
    const at = (k: number): number | undefined => rampingArrivalAt(60, [{ duration: 2000, target: 60 }, { duration: 1000, target: 0 }], 60_000, k);
    expect(at(1)).toBeCloseTo(1000, 6);
    expect(at(2)).toBeCloseTo(2000, 6); // the 2nd falls on the first stage's end, so it opens the ramp-down stage
    expect(at(3)).toBeUndefined(); // ∫ = 2 + 0.5 arrivals in total
  });
});
