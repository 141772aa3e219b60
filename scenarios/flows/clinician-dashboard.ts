/** @module scenarios/flows: fhir/clinician-dashboard — patient search with paging and `_include`, Observation search. */
import { FHIR_READ_HEADERS, fhirBase, steps, type FlowDefinition } from './flow.js';

export const clinicianDashboard: FlowDefinition = {
  name: 'fhir/clinician-dashboard',
  description: 'searches patients by name and identifier, pages through results, and loads a patient’s vitals',
  build(params) {
    const base = fhirBase(params);
    const pageSize = Number(params.pageSize ?? 10);
    return steps([
      {
        name: 'search patients by name',
        request: { method: 'GET', path: `${base}/Patient`, query: { name: '{{ synthetic.family }}', _count: pageSize }, headers: FHIR_READ_HEADERS, name: `GET ${base}/Patient?name` },
        check: { status: 200, json: { '$.resourceType': 'Bundle' } },
        save: { nextPage: "$.link[?(@.relation=='next')].url", patientId: '$.entry[0].resource.id' },
      },
      {
        name: 'next page',
        onlyIf: 'nextPage',
        request: { method: 'GET', path: '{{ nextPage }}', headers: FHIR_READ_HEADERS, name: `GET ${base}/Patient?page` },
        check: { status: 200, json: { '$.resourceType': 'Bundle' } },
      },
      {
        name: 'search patient by identifier',
        request: { method: 'GET', path: `${base}/Patient`, query: { identifier: 'urn:codeblue:synthetic|{{ synthetic.identifier }}' }, headers: FHIR_READ_HEADERS, name: `GET ${base}/Patient?identifier` },
        check: { status: 200, json: { '$.resourceType': 'Bundle' } },
      },
      {
        group: 'patient chart',
        steps: [
          {
            name: 'vitals with patient',
            onlyIf: 'patientId',
            request: {
              method: 'GET', path: `${base}/Observation`, headers: FHIR_READ_HEADERS, name: `GET ${base}/Observation?patient&code`,
              query: { patient: '{{ patientId }}', code: 'http://loinc.org|8867-4', _include: 'Observation:patient', _count: pageSize },
            },
            check: { status: 200, json: { '$.resourceType': 'Bundle' } },
          },
        ],
      },
    ]);
  },
};
