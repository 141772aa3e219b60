/**
 * @module collectors: the plan schema of a trace assertion (a small Tracetest): a selector over spans and
 * assertions on the matched spans, evaluated per phase. The plan room composes it under
 * `hypothesis` / `slos` entries of kind `trace`.
 */
import { z } from 'zod';
import type { DeepReadonly } from '../core/index.js';
import { parseCountExpression, parseDurationExpression, parseRateExpression, spanNamePattern } from './assertions/expressions.js';

export { remoteWriteOutputSchema, REMOTE_WRITE_TYPE } from './remote-write/schema.js';

const STATUS = z.enum(['ok', 'error', 'unset']);
const ATTRIBUTE_MAP = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const durationText = z.string().refine((t) => parseDurationExpression(t) !== undefined, {
  message: 'expected a duration threshold like "p(95)<300ms", "max<1s", "avg<=200" (avg, min, max, med, p(N); ms by default)',
});

const spanName = z.string().min(1).refine((t) => {
  try {
    spanNamePattern(t);
    return true;
  } catch {
    return false;
  }
}, { message: 'invalid /regex/ for the span name' });

export const traceSelectorSchema = z.object({
  /** `service.name` of the span's resource. */
  service: z.string().min(1).optional(),
  /** Exact span name, or `/regex/flags`. */
  span: spanName.optional(),
  kind: z.enum(['internal', 'server', 'client', 'producer', 'consumer']).optional(),
  /** Span attributes that must equal these values. */
  attributes: ATTRIBUTE_MAP.optional(),
  status: STATUS.optional(),
  /** Only this phase (by default every phase is evaluated separately). */
  phase: z.string().min(1).optional(),
}).strict();

export const traceChecksSchema = z.object({
  /** One k6-style threshold or a list of them, over span durations. */
  duration: z.union([durationText, z.array(durationText).min(1)]).optional(),
  /** Every matched span has this status. */
  status: STATUS.optional(),
  /** Every matched span has these attribute values. */
  attributes: ATTRIBUTE_MAP.optional(),
  /** Number of matched spans, e.g. ">=1", "==0". */
  count: z.string().refine((t) => parseCountExpression(t) !== undefined, { message: 'expected a count like ">=1", "==0" or "<10"' }).optional(),
  /** Fraction of matched spans with status ERROR, e.g. "<0.01" or "<1%". */
  errorRate: z.string().refine((t) => parseRateExpression(t) !== undefined, { message: 'expected a rate like "<0.01" or "<1%"' }).optional(),
}).strict().refine((a) => Object.values(a).some((v) => v !== undefined), {
  message: 'give at least one of duration, status, attributes, count, errorRate',
});

/**
 * @example
 * { name: 'EHR calls stay fast', selector: { service: 'ehr-adapter', span: '/^GET /' },
 *   assert: { duration: 'p(95)<300ms', errorRate: '<1%', count: '>=1' } }
 */
export const traceAssertionSchema = z.object({
  name: z.string().min(1),
  selector: traceSelectorSchema,
  assert: traceChecksSchema,
}).strict();

/** Read-only, so a frozen plan's hypothesis entries are trace assertions as they are (no cast). */
export type TraceAssertion = DeepReadonly<z.infer<typeof traceAssertionSchema>>;
export type TraceSelector = DeepReadonly<z.infer<typeof traceSelectorSchema>>;
/** The plan's `compliance` slice (PHI scan settings); plan/ composes it. */
export { complianceSchema } from './phi/schema.js';
/** The plan's `collectors.spans` slice (raw span keeping and disk bound); plan/ composes it. */
export { spansSettingsSchema } from './store/spans-schema.js';
