/** @module reports: the plan's `slos` slice — an OpenSLO-compatible subset (ratio objectives over a window). */
import { z } from 'zod';
import type { DeepReadonly } from '../../core/deep-readonly.js';
import { positiveDuration, ratio } from '../../core/schema-kit.js';

/** Narrows which requests or spans an SLO counts. */
const filterSchema = z
  .object({
    scenario: z.string().optional(),
    request: z.string().optional(),
    service: z.string().optional(),
  })
  .strict();

/** `availability`: good = requests that did not fail. `{ latency: 300ms }`: good = requests faster than that. */
export const sliSchema = z.union([
  z.literal('availability'),
  z.object({ latency: positiveDuration }).strict(),
]);

export const sloSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Target ratio of good events, e.g. `99.95%`. */
    objective: ratio,
    sli: sliSchema,
    /** Rolling window the error budget is counted over (OpenSLO `timeWindow`), e.g. `30d`. */
    window: positiveDuration.prefault('30d'),
    filter: filterSchema.optional(),
  })
  .strict();

export type SloSpec = DeepReadonly<z.output<typeof sloSchema>>;
