/** @module demo/fhir-api: FHIR search parameters per resource type → store clauses (400 on bad values). */
import type { SearchClause } from '../db/resource-store.js';
import { FhirError } from './outcome.js';
import type { ResourceType } from './schemas.js';

/** Parameters every type accepts besides its own (the result parameters are handled by the search handler). */
const RESULT_PARAMS = new Set(['_count', '_offset', '_include', '_format', '_pretty', '_summary', '_total']);

type ParamParser = (value: string) => SearchClause;

const token = (value: string): { system?: string; code: string } => {
  const bar = value.indexOf('|');
  return bar < 0 ? { code: value } : { ...(bar > 0 ? { system: value.slice(0, bar) } : {}), code: value.slice(bar + 1) };
};
const refId = (value: string, type: string): string => (value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value);
const patientRef: ParamParser = (v) => ({ kind: 'patient', patientId: refId(v, 'Patient') });
const field = (name: string): ParamParser => (v) => ({ kind: 'contains', doc: { [name]: v } });

const START_PREFIX: Record<string, '=' | '>=' | '>' | '<=' | '<'> = { eq: '=', ge: '>=', gt: '>', le: '<=', lt: '<' };
const startParam: ParamParser = (v) => {
  const m = /^(eq|ge|gt|le|lt)?(.+)$/.exec(v);
  const instant = m?.[2] ?? '';
  if (!m || Number.isNaN(Date.parse(instant))) throw FhirError.of(400, 'value', `start must be [eq|ge|gt|le|lt]<dateTime>, but is "${v}"`);
  return { kind: 'start', op: START_PREFIX[m[1] ?? 'eq'] ?? '=', instant };
};

const PARAMS: Record<ResourceType, Record<string, ParamParser>> = {
  Patient: {
    name: (v) => ({ kind: 'name-prefix', prefix: v }),
    // FHIR R4 Patient search: `family` and `given` match the start of that name part only (case-insensitive).
    family: (v) => ({ kind: 'name-prefix', prefix: v, part: 'family' }),
    given: (v) => ({ kind: 'name-prefix', prefix: v, part: 'given' }),
    identifier: (v) => {
      const t = token(v);
      return { kind: 'identifier', entries: [{ value: t.code, ...(t.system ? { system: t.system } : {}) }] };
    },
    gender: field('gender'),
    birthdate: field('birthDate'),
  },
  Observation: {
    patient: patientRef,
    subject: patientRef,
    code: (v) => ({ kind: 'contains', doc: { code: { coding: [token(v)] } } }),
    status: field('status'),
    encounter: (v) => ({ kind: 'contains', doc: { encounter: { reference: `Encounter/${refId(v, 'Encounter')}` } } }),
  },
  Encounter: { patient: patientRef, subject: patientRef, status: field('status') },
  Slot: {
    status: field('status'),
    start: startParam,
    schedule: (v) => ({ kind: 'contains', doc: { schedule: { reference: `Schedule/${refId(v, 'Schedule')}` } } }),
  },
  Appointment: {
    patient: patientRef,
    actor: (v) => ({ kind: 'contains', doc: { participant: [{ actor: { reference: v.includes('/') ? v : `Patient/${v}` } }] } }),
    status: field('status'),
    slot: (v) => ({ kind: 'contains', doc: { slot: [{ reference: `Slot/${refId(v, 'Slot')}` }] } }),
  },
};

/** Names of the search parameters of `type` (for the CapabilityStatement). */
export function searchParamNames(type: ResourceType): string[] {
  return ['_id', ...Object.keys(PARAMS[type])];
}

/** Translates the query into clauses; an unknown parameter is a 400 with the list of supported ones. */
export function parseSearch(type: ResourceType, query: URLSearchParams): SearchClause[] {
  const clauses: SearchClause[] = [];
  for (const [name, value] of query) {
    if (RESULT_PARAMS.has(name)) continue;
    if (value === '') throw FhirError.of(400, 'value', `search parameter ${name} has an empty value`);
    if (name === '_id') {
      clauses.push({ kind: 'ids', ids: value.split(',') });
      continue;
    }
    const parse = PARAMS[type][name];
    if (!parse) throw FhirError.of(400, 'not-supported', `${type} has no search parameter "${name}"; supported: ${searchParamNames(type).join(', ')}`);
    // Comma-separated values are an OR in FHIR; this subset supports single values only.
    clauses.push(parse(value));
  }
  return clauses;
}
