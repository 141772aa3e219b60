/** @module demo/fhir-api: structural validation of the supported R4 resources (zod), errors as 422 issues. */
import { z } from 'zod';
import { FhirError, type OutcomeIssue } from './outcome.js';

/** Resource types this server serves. */
export const RESOURCE_TYPES = ['Patient', 'Encounter', 'Observation', 'Slot', 'Appointment'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** True when `t` is a served resource type. */
export function isResourceType(t: string): t is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(t);
}

/** `Type/id` or, inside a transaction Bundle, `urn:uuid:…` (rewritten before validation). */
const reference = (types: readonly string[]) =>
  z.looseObject({
    reference: z.string().refine((r) => new RegExp(`^(${types.join('|')})/[A-Za-z0-9\\-.]{1,64}$`).test(r), { message: `must reference ${types.join(' or ')} as "Type/id"` }),
    display: z.string().optional(),
  });
const coding = z.looseObject({ system: z.string().optional(), code: z.string().min(1), display: z.string().optional() });
const codeableConcept = z.looseObject({ coding: z.array(coding).min(1), text: z.string().optional() });
const dateTime = z.string().regex(/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/, 'must be a FHIR dateTime');
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'must be a FHIR instant with a time zone');
const base = { id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).optional(), meta: z.looseObject({}).optional() };

const patient = z
  .looseObject({
    ...base,
    resourceType: z.literal('Patient'),
    identifier: z.array(z.looseObject({ system: z.string().optional(), value: z.string().min(1) })).optional(),
    name: z.array(z.looseObject({ family: z.string().optional(), given: z.array(z.string()).optional(), text: z.string().optional() })).optional(),
    gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    birthDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be a FHIR date').optional(),
    active: z.boolean().optional(),
  })
  .refine((p) => (p.name?.length ?? 0) > 0 || (p.identifier?.length ?? 0) > 0, { message: 'a Patient needs a name or an identifier', path: ['name'] });

const encounter = z.looseObject({
  ...base,
  resourceType: z.literal('Encounter'),
  status: z.enum(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']),
  class: coding,
  subject: reference(['Patient']),
  period: z.looseObject({ start: dateTime.optional(), end: dateTime.optional() }).optional(),
});

const observation = z.looseObject({
  ...base,
  resourceType: z.literal('Observation'),
  status: z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
  code: codeableConcept,
  subject: reference(['Patient']),
  encounter: reference(['Encounter']).optional(),
  effectiveDateTime: dateTime.optional(),
  valueQuantity: z.looseObject({ value: z.number(), unit: z.string().optional(), system: z.string().optional(), code: z.string().optional() }).optional(),
  valueString: z.string().optional(),
});

const slot = z
  .looseObject({
    ...base,
    resourceType: z.literal('Slot'),
    schedule: reference(['Schedule']),
    status: z.enum(['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error']),
    start: instant,
    end: instant,
  })
  .refine((s) => Date.parse(s.end) > Date.parse(s.start), { message: 'end must be after start', path: ['end'] });

const appointment = z.looseObject({
  ...base,
  resourceType: z.literal('Appointment'),
  status: z.enum(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist']),
  slot: z.array(reference(['Slot'])).optional(),
  participant: z.array(z.looseObject({ actor: reference(['Patient']).optional(), status: z.enum(['accepted', 'declined', 'tentative', 'needs-action']) })).min(1),
  start: instant.optional(),
  end: instant.optional(),
});

const SCHEMAS: Record<ResourceType, z.ZodType> = { Patient: patient, Encounter: encounter, Observation: observation, Slot: slot, Appointment: appointment };

/**
 * Checks `body` is a `type` resource: 400 when it is not a JSON object of that resourceType,
 * 422 (every issue at once, with FHIRPath-like expressions) when fields are wrong or missing.
 */
export function validateResource(type: ResourceType, body: unknown): Record<string, unknown> & { resourceType: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw FhirError.of(400, 'structure', 'body must be a JSON object (a FHIR resource)');
  const rt = (body as Record<string, unknown>).resourceType;
  if (rt !== type) throw FhirError.of(400, 'invalid', `resourceType must be "${type}", but is ${JSON.stringify(rt ?? null)}`, `${type}.resourceType`);
  const parsed = SCHEMAS[type].safeParse(body);
  if (parsed.success) return parsed.data as Record<string, unknown> & { resourceType: string };
  const issues: OutcomeIssue[] = parsed.error.issues.map((i) => ({
    severity: 'error',
    code: i.code === 'invalid_type' && i.message.includes('undefined') ? 'required' : 'value',
    diagnostics: `${[type, ...i.path.map(String)].join('.')}: ${i.message}`,
    expression: [[type, ...i.path.map(String)].join('.')],
  }));
  throw new FhirError(422, issues);
}
