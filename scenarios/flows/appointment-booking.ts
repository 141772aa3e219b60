/** @module scenarios/flows: fhir/appointment-booking — Slot search → book; 409 on a contended slot is expected. */
import { FHIR_READ_HEADERS, FHIR_WRITE_HEADERS, fhirBase, steps, type FlowDefinition } from './flow.js';

export const appointmentBooking: FlowDefinition = {
  name: 'fhir/appointment-booking',
  description: 'finds a free slot and books it; concurrent VUs contend for the same slot, so 409 Conflict is an expected outcome',
  build(params) {
    const base = fhirBase(params);
    return steps([
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
            participant: [{ actor: { display: '{{ synthetic.given }} {{ synthetic.family }}' }, status: 'accepted' }],
          },
        },
        check: { status: [201, 409] },
        save: { appointmentId: '$.id' },
        ledger: { read: `${base}/Appointment/{{ appointmentId }}` },
      },
    ]);
  },
};
