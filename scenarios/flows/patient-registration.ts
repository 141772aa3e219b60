/** @module scenarios/flows: fhir/patient-registration — POST Patient → read it → POST Encounter → POST vitals. */
import { vitalObservation } from '../synthetic/generate.js';
import { FHIR_READ_HEADERS, FHIR_WRITE_HEADERS, fhirBase, steps, type FlowDefinition } from './flow.js';

export const patientRegistration: FlowDefinition = {
  name: 'fhir/patient-registration',
  description: 'registers a synthetic patient, reads it back, opens an encounter and records vital signs',
  build(params) {
    const base = fhirBase(params);
    return steps([
      {
        group: 'register patient',
        steps: [
          {
            name: 'create patient',
            request: { method: 'POST', path: `${base}/Patient`, headers: FHIR_WRITE_HEADERS, json: '{{ synthetic.patient }}', name: `POST ${base}/Patient` },
            check: { status: 201, json: { '$.resourceType': 'Patient', '$.id': { exists: true } } },
            save: { patientId: '$.id' },
            ledger: { read: `${base}/Patient/{{ patientId }}` },
          },
          {
            name: 'read patient',
            request: { method: 'GET', path: `${base}/Patient/{{ patientId }}`, headers: FHIR_READ_HEADERS, name: `GET ${base}/Patient/{id}` },
            check: { status: 200, json: { '$.id': { exists: true } } },
          },
        ],
      },
      {
        group: 'admit',
        steps: [
          {
            name: 'create encounter',
            request: {
              method: 'POST', path: `${base}/Encounter`, headers: FHIR_WRITE_HEADERS, name: `POST ${base}/Encounter`,
              json: {
                resourceType: 'Encounter',
                status: 'in-progress',
                class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
                subject: { reference: 'Patient/{{ patientId }}' },
                period: { start: '2026-01-01T08:00:00Z' },
              },
            },
            check: { status: 201 },
            save: { encounterId: '$.id' },
            ledger: { read: `${base}/Encounter/{{ encounterId }}` },
          },
          {
            name: 'record heart rate',
            request: {
              method: 'POST', path: `${base}/Observation`, headers: FHIR_WRITE_HEADERS, name: `POST ${base}/Observation`,
              json: { ...vitalObservation('heartRate', 'Patient/{{ patientId }}', '{{ synthetic.heartRate }}'), encounter: { reference: 'Encounter/{{ encounterId }}' } },
            },
            check: { status: 201 },
            save: { observationId: '$.id' },
            ledger: { read: `${base}/Observation/{{ observationId }}` },
          },
        ],
      },
    ]);
  },
};
