/** @module core: the seeded random source replays and stays in range. */
import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from './random.js';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number): number[] => Array.from({ length: 5 }, seededRandom(seed));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws uniformly in [0, 1)', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, random);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('randomInt stays in [0, n) and is 0 for n <= 0', () => {
    const random = seededRandom(1);
    const ints = Array.from({ length: 1000 }, () => randomInt(random, 6));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(randomInt(random, 0)).toBe(0);
  });
});
