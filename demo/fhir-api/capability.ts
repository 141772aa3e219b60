/** @module demo/fhir-api: GET /fhir/metadata — the CapabilityStatement of this R4 subset. */
import type { ResilienceMode } from '../config/flags.js';
import { RESOURCE_TYPES } from './schemas.js';
import { searchParamNames } from './search-params.js';

/** The CapabilityStatement served at /fhir/metadata. */
export function capabilityStatement(base: string, mode: ResilienceMode): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-25',
    kind: 'instance',
    software: { name: 'codeblue demo fhir-api', version: '0.1.0' },
    implementation: { description: `codeblue reference healthcare stack (${mode})`, url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    rest: [
      {
        mode: 'server',
        interaction: [{ code: 'transaction' }],
        resource: RESOURCE_TYPES.map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'create' }, { code: 'update' }, { code: 'search-type' }],
          updateCreate: true,
          searchParam: searchParamNames(type).map((name) => ({ name, type: name === 'start' ? 'date' : name === 'name' ? 'string' : name === 'patient' || name === 'subject' ? 'reference' : 'token' })),
          ...(type === 'Observation' ? { searchInclude: ['Observation:patient'] } : {}),
        })),
      },
    ],
  };
}
