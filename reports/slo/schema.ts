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

/**
 * `availability`: good = requests that did not fail. `{ latency: 300ms }`: good = requests faster than that,
 * measured from the actual start (`from: start`, k6 `http_req_duration`) or from the open model's intended start
 * (`from: intended`, `http_req_duration_corrected`: a stalled generator or target cannot hide latency).
 */
const sliSchema = z.union([
  z.literal('availability'),
  z.object({ latency: positiveDuration, from: z.enum(['start', 'intended']).optional() }).strict(),
]);

export const sloSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Target ratio of good events, e.g. `99.95%`. */
    objective: ratio,
    sli: sliSchema,
    /**
     * What the SLO counts: `http` requests (default; `http_req_failed`, `http_req_duration`) or `hl7` messages of
     * `mllp` steps (good = ACKed `AA`/`CA` for availability, `hl7_msg_duration` for latency).
     */
    events: z.enum(['http', 'hl7']).default('http'),
    /** Rolling window the error budget is counted over (OpenSLO `timeWindow`), e.g. `30d`. */
    window: positiveDuration.prefault('30d'),
    filter: filterSchema.optional(),
    /** Which windows gate the verdict; the others are reported as information. See SLO_SCOPES. */
    scope: z.enum(['all-windows', 'run', 'phases', 'steady-state', 'baseline']).default('all-windows'),
  })
  .strict();

/**
 * `slos[].scope`: the windows an SLO must hold in to pass.
 * - `all-windows` (default): the whole run, each phase and each fault window — a drill's strictest reading.
 * - `run`: the whole run only (a plain load test, or an SLO measured as a monthly average would be).
 * - `phases`: each phase (baseline, fault, recovery), not the fault windows on their own.
 * - `steady-state`: baseline and recovery — the SLO must hold when nothing is broken and again after.
 * - `baseline`: the baseline phase only.
 * A plan without phases has only the whole run, and it gates whatever the scope says.
 */
export type SloScopeName = z.output<typeof sloSchema>['scope'];

/** A parsed SLO; `scope` and `events` are optional so hand-built specs (tests, benches) keep the defaults `all-windows` and `http`. */
export type SloSpec = DeepReadonly<Omit<z.output<typeof sloSchema>, 'scope' | 'events'> & { scope?: z.output<typeof sloSchema>['scope']; events?: z.output<typeof sloSchema>['events'] }>;
