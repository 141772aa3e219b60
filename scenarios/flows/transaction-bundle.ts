/** @module scenarios/flows: fhir/transaction-bundle — one transaction creating a Patient, an Encounter and an Observation. */
import { vitalObservation } from '../synthetic/generate.js';
import { FHIR_WRITE_HEADERS, fhirBase, steps, type FlowDefinition } from './flow.js';

export const transactionBundle: FlowDefinition = {
  name: 'fhir/transaction-bundle',
  description: 'posts a transaction Bundle (Patient + Encounter + Observation linked by urn:uuid references)',
  build(params) {
    const base = fhirBase(params);
    const patientRef = 'urn:uuid:{{ uuid }}';
    return steps([
      {
        name: 'post transaction',
        request: {
          method: 'POST', path: base, headers: FHIR_WRITE_HEADERS, name: `POST ${base} (transaction)`,
          json: {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: [
              { fullUrl: patientRef, resource: '{{ synthetic.patient }}', request: { method: 'POST', url: 'Patient' } },
              {
                resource: { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: patientRef } },
                request: { method: 'POST', url: 'Encounter' },
              },
              { resource: vitalObservation('bodyTemperature', patientRef, '{{ synthetic.bodyTemperature }}'), request: { method: 'POST', url: 'Observation' } },
            ],
          },
        },
        check: { status: 200, json: { '$.type': 'transaction-response', '$.entry[0].response.status': { exists: true } } },
      },
    ]);
  },
};
