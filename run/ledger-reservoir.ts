/**
 * @module run: which acknowledged writes the ledger keeps once a run acknowledges more than it holds — a uniform
 * random sample across the whole run (reservoir sampling, Vitter's algorithm R), so a soak's last hour is checked as
 * likely as its first minutes. Seeded from the plan, so the same run keeps the same writes.
 */
import { randomInt, seededRandom, type Random } from '../core/index.js';

/** Where an offered write goes: `slot` while the reservoir fills or when it replaces the write held there; `-1`: not kept. */
export interface Reservoir {
  offer(): number;
  /** How many slots hold a write. */
  readonly filled: number;
  /** True once a write was left out or replaced: what is held is a sample. */
  readonly sampled: boolean;
}

export function createReservoir(limit: number, seed?: number): Reservoir {
  const random: Random = seededRandom(seed);
  let offered = 0;
  let sampled = false;
  return {
    offer() {
      offered += 1;
      if (offered <= limit) return offered - 1;
      sampled = true;
      // The n-th write offered is kept with probability limit / n, in a slot chosen uniformly.
      const slot = randomInt(random, offered);
      return slot < limit ? slot : -1;
    },
    get filled() {
      return Math.min(offered, limit);
    },
    get sampled() {
      return sampled;
    },
  };
}
