/** @module core: the one seedable random source (mulberry32), so fault draws, synthetic data and test runs replay. */

/** Uniform draws in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: fast, 32-bit state, good enough for fault sampling and synthetic data (not for cryptography).
 * Without a seed it starts from a random state, like Toxiproxy (whose `-seed` is ignored).
 * @example const rng = seededRandom(42); rng() // same sequence for the same seed
 */
export function seededRandom(seed?: number): Random {
  let state = (seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n), like Go's `rand.Intn` (0 when n <= 0, where Go would panic). */
export function randomInt(random: Random, n: number): number {
  return n > 0 ? Math.floor(random() * n) : 0;
}
