/** @module demo/fhir-api: GET /fhir/metadata — the CapabilityStatement of this R4 subset. */
import type { ResilienceMode } from '../config/flags.js';
import { RESOURCE_TYPES } from './schemas.js';
import { searchParamNames } from './search-params.js';

/** FHIR R4 `rest.security` of a SMART-protected server: the service code and the `oauth-uris` extension (SMART App Launch). */
function smartSecurity(tokenUrl: string): Record<string, unknown> {
  return {
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
    extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: [{ url: 'token', valueUri: tokenUrl }] }],
    description: 'SMART Backend Services: private_key_jwt (RS384/ES384) client assertions exchanged for bearer tokens',
  };
}

/** The CapabilityStatement served at /fhir/metadata; `tokenUrl` when the API requires SMART tokens. */
export function capabilityStatement(base: string, mode: ResilienceMode, tokenUrl?: string): Record<string, unknown> {
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
        ...(tokenUrl === undefined ? {} : { security: smartSecurity(tokenUrl) }),
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
