/** @module plan: the steady-state hypothesis — probes checked before faults and after recovery. */
import { z } from 'zod';
import type { DeepReadonly } from '../core/deep-readonly.js';
import { positiveDuration } from '../core/schema-kit.js';
import { requestSchema } from '../scenarios/schema.js';

const expectSchema = z
  .object({
    status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]).default(200),
    maxDuration: positiveDuration.optional(),
    contains: z.string().optional(),
  })
  .strict();

/** A probe: one HTTP request to the target and what its answer must be (Chaos Toolkit's steady-state probe). */
export const probeSchema = z
  .object({
    name: z.string().min(1),
    request: requestSchema,
    expect: expectSchema.prefault({}),
    /** Tries before the probe counts as failed (a flaky probe is not a finding). */
    tries: z.number().int().min(1).max(10).default(3),
  })
  .strict();

export type ProbeSpec = DeepReadonly<z.output<typeof probeSchema>>;
