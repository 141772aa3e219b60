/** @module scenarios/flows: fhir/appointment-booking — Slot search → book; 409 on a contended slot is expected. */
import { FHIR_READ_HEADERS, FHIR_WRITE_HEADERS, fhirBase, steps, type FlowDefinition } from './flow.js';

export const appointmentBooking: FlowDefinition = {
  name: 'fhir/appointment-booking',
  description: 'registers a patient, opens a slot, finds the first free slot and books it; concurrent VUs contend for the same slot, so 409 Conflict is an expected outcome',
  build(params) {
    const base = fhirBase(params);
    // The clinic publishes one slot per iteration (params.openSlots: false to book existing slots only);
    // every VU then books the first free slot, so concurrent VUs race for the same one.
    const open = params.openSlots === false ? [] : [{
      name: 'open slot',
      request: {
        method: 'POST', path: `${base}/Slot`, headers: FHIR_WRITE_HEADERS, name: `POST ${base}/Slot`,
        json: { resourceType: 'Slot', status: 'free', schedule: { reference: `Schedule/${String(params.schedule ?? 'codeblue-synthetic-clinic')}` }, start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:15:00Z', comment: 'codeblue synthetic slot' },
      },
      check: { status: 201 },
    }];
    return steps([
      {
        name: 'register patient',
        request: { method: 'POST', path: `${base}/Patient`, headers: FHIR_WRITE_HEADERS, json: '{{ synthetic.patient }}', name: `POST ${base}/Patient` },
        check: { status: 201 },
        save: { patientId: '$.id' },
        ledger: { read: `${base}/Patient/{{ patientId }}` },
      },
      ...open,
      {
        name: 'search free slots',
        request: { method: 'GET', path: `${base}/Slot`, query: { status: 'free', _count: 10 }, headers: FHIR_READ_HEADERS, name: `GET ${base}/Slot?status=free` },
        check: { status: 200, json: { '$.resourceType': 'Bundle' } },
        save: { slotId: '$.entry[0].resource.id' },
      },
      {
        name: 'book appointment',
        onlyIf: 'slotId',
        request: {
          method: 'POST', path: `${base}/Appointment`, headers: FHIR_WRITE_HEADERS, name: `POST ${base}/Appointment`,
          // Like k6's responseCallback: losing the race for a slot is a valid answer, not a failed request.
          expectedStatuses: [201, 409],
          json: {
            resourceType: 'Appointment',
            status: 'booked',
            slot: [{ reference: 'Slot/{{ slotId }}' }],
            description: 'codeblue synthetic booking',
            participant: [{ actor: { reference: 'Patient/{{ patientId }}', display: '{{ synthetic.given }} {{ synthetic.family }}' }, status: 'accepted' }],
          },
        },
        check: { status: [201, 409] },
        save: { appointmentId: '$.id' },
        ledger: { read: `${base}/Appointment/{{ appointmentId }}` },
      },
    ]);
  },
};
