/** @module scenarios: the plan's `scenarios` slice — k6 executors with their options, flows and steps. */
import { z } from 'zod';
import type { DeepReadonly } from '../core/deep-readonly.js';
import { duration, positiveDuration, stringMap } from '../core/schema-kit.js';
import { authSchema } from './auth/schema.js';
import { mllpSchema } from './mllp/schema.js';

/** The plan's `auth` slice (on `target` and per scenario); plan/ composes it from here. */
export { authSchema };

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** An HTTP request template; `{{ name }}` placeholders are filled from saved values and synthetic data. */
export const requestSchema = z
  .object({
    method: z.enum(HTTP_METHODS).default('GET'),
    path: z.string().min(1).refine((p) => p.startsWith('/') || p.startsWith('{{'), 'must start with "/" (it is joined to target.baseUrl)'),
    query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    headers: stringMap.optional(),
    json: z.unknown().optional(),
    body: z.string().optional(),
    timeout: positiveDuration.prefault('10s'),
    /** k6 `name` tag: groups URLs with ids into one time series. */
    name: z.string().optional(),
    /** Statuses that count as expected (k6 `responseCallback: http.expectedStatuses(…)`); default 200–399. */
    expectedStatuses: z.array(z.number().int().min(100).max(599)).min(1).optional(),
    tags: stringMap.optional(),
  })
  .strict()
  .refine((r) => r.json === undefined || r.body === undefined, { message: 'give either json or body, not both' });

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Checks on a response (k6 `check()`); each key becomes one named check. */
export const checkSchema = z
  .object({
    status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]).optional(),
    /** JSON path (`$.a.b[0]`) → expected value, or `{ exists: true|false }`. */
    json: z.record(z.string().regex(/^\$/, 'a JSON path starts with "$"'), z.union([scalar, z.object({ exists: z.boolean() }).strict()])).optional(),
    contains: z.string().optional(),
    headers: stringMap.optional(),
    maxDuration: positiveDuration.optional(),
  })
  .strict();

const thinkSchema = z.union([duration, z.object({ min: duration, max: duration }).strict()]);

const requestStep = z
  .object({
    name: z.string().min(1),
    request: requestSchema,
    check: checkSchema.optional(),
    /** Saved name → JSON path in the response, or `header:<name>`. */
    save: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a saved value name is an identifier'), z.string()).optional(),
    think: thinkSchema.optional(),
    /** Run the step only when this saved value exists (e.g. a `next` paging link). */
    onlyIf: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    /** Marks a write the target acknowledged; read back after recovery (ledger). */
    ledger: z.object({ read: z.string(), compare: z.array(z.string().min(1)).min(1).optional() }).strict().optional(),
  })
  .strict();

/** One HL7 v2 message over MLLP (embedded engine only; the k6 export skips it with a warning). */
const mllpStep = z
  .object({
    name: z.string().min(1),
    mllp: mllpSchema,
    think: thinkSchema.optional(),
    onlyIf: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  })
  .strict();

export type RequestStep = DeepReadonly<z.output<typeof requestStep>>;
export type MllpStep = DeepReadonly<z.output<typeof mllpStep>>;
export interface GroupStep {
  readonly group: string;
  readonly steps: readonly Step[];
}
export type Step = RequestStep | MllpStep | GroupStep;

/** A step is an HTTP request, an MLLP message or a named group of steps (k6 `group()`). */
export const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.union([requestStep, mllpStep, z.object({ group: z.string().min(1), steps: z.array(stepSchema).min(1) }).strict()]),
) as unknown as z.ZodType<Step>;

const stage = z.object({ duration, target: z.number().int().min(0) }).strict();

/** Options every k6 executor takes, plus codeblue's `flow` / `steps`. */
const common = {
  startTime: duration.prefault('0s'),
  gracefulStop: duration.prefault('30s'),
  exec: z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/).default('default'),
  env: stringMap.default({}),
  tags: stringMap.default({}),
  /** A workflow from the library (`fhir/patient-registration`), or explicit `steps`. */
  flow: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  steps: z.array(stepSchema).min(1).optional(),
  /** Overrides `target.auth` for this scenario (`{ type: none }`: no auth). */
  auth: authSchema.optional(),
};

const sharedIterations = z.object({ executor: z.literal('shared-iterations'), vus: z.number().int().min(1).default(1), iterations: z.number().int().min(1).default(1), maxDuration: positiveDuration.prefault('10m'), ...common }).strict();
const perVuIterations = z.object({ executor: z.literal('per-vu-iterations'), vus: z.number().int().min(1).default(1), iterations: z.number().int().min(1).default(1), maxDuration: positiveDuration.prefault('10m'), ...common }).strict();
const constantVus = z.object({ executor: z.literal('constant-vus'), vus: z.number().int().min(1).default(1), duration: positiveDuration, ...common }).strict();
const rampingVus = z.object({ executor: z.literal('ramping-vus'), startVUs: z.number().int().min(0).default(1), stages: z.array(stage).min(1), gracefulRampDown: duration.prefault('30s'), ...common }).strict();
const constantArrivalRate = z.object({ executor: z.literal('constant-arrival-rate'), rate: z.number().int().min(1), timeUnit: positiveDuration.prefault('1s'), duration: positiveDuration, preAllocatedVUs: z.number().int().min(0), maxVUs: z.number().int().min(0).optional(), ...common }).strict();
const rampingArrivalRate = z.object({ executor: z.literal('ramping-arrival-rate'), startRate: z.number().int().min(0).default(0), timeUnit: positiveDuration.prefault('1s'), stages: z.array(stage).min(1), preAllocatedVUs: z.number().int().min(0), maxVUs: z.number().int().min(0).optional(), ...common }).strict();
/** Removed from k6 in v2.0.0; accepted in plans for k6 v1 users and run only by the real-k6 path. */
const externallyControlled = z.object({ executor: z.literal('externally-controlled'), vus: z.number().int().min(0).default(1), maxVUs: z.number().int().min(0).optional(), duration: positiveDuration, ...common }).strict();

/** The seven k6 executor names, in k6's documentation order. */
export const EXECUTORS = ['shared-iterations', 'per-vu-iterations', 'constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate', 'externally-controlled'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

/** One scenario: a discriminated union on `executor`, with exactly one of `flow` or `steps`. */
export const scenarioSchema = z
  .discriminatedUnion('executor', [sharedIterations, perVuIterations, constantVus, rampingVus, constantArrivalRate, rampingArrivalRate, externallyControlled])
  .superRefine((s, ctx) => {
    if ((s.flow === undefined) === (s.steps === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "flow" (a library workflow) or "steps"', path: [] });
    }
    if ((s.executor === 'constant-arrival-rate' || s.executor === 'ramping-arrival-rate') && s.maxVUs !== undefined && s.maxVUs < s.preAllocatedVUs) {
      ctx.addIssue({ code: 'custom', message: `maxVUs (${s.maxVUs}) must be at least preAllocatedVUs (${s.preAllocatedVUs})`, path: ['maxVUs'] });
    }
  });

export type ScenarioSpec = DeepReadonly<z.output<typeof scenarioSchema>>;

/** Scenario name → scenario. */
export const scenariosSchema = z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'a scenario name uses letters, digits, "_" and "-"'), scenarioSchema);

/** How long a scenario may run at most, from its startTime, without its graceful stop (ms). */
export function scenarioSpan(s: ScenarioSpec): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return s.maxDuration;
    case 'constant-vus':
    case 'constant-arrival-rate':
    case 'externally-controlled':
      return s.duration;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return s.stages.reduce((sum, st) => sum + st.duration, 0);
  }
}

/** The most VUs a scenario can hold at once. */
export function scenarioMaxVus(s: ScenarioSpec): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
    case 'constant-vus':
      return s.vus;
    case 'externally-controlled':
      return s.maxVUs ?? s.vus;
    case 'ramping-vus':
      return Math.max(s.startVUs, ...s.stages.map((st) => st.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return s.maxVUs ?? s.preAllocatedVUs;
  }
}
