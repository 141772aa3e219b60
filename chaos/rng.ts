/** @module chaos: the seedable random source toxics draw from; the generator itself lives in core/random.ts. */
export { randomInt, seededRandom } from '../core/random.js';
export type { Random } from '../core/random.js';
