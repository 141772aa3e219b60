/** @module demo/legacy-ehr: the EHR's lab results per patient — stable, derived from the patient id. */
import { createHash } from 'node:crypto';

/** One lab result as the EHR stores it (LOINC coded). */
export interface LabResult {
  readonly loinc: string;
  readonly display: string;
  readonly value: number;
  readonly unit: string;
}

const PANEL = [
  { loinc: '8867-4', display: 'Heart rate', unit: '/min', min: 55, span: 50 },
  { loinc: '8310-5', display: 'Body temperature', unit: 'Cel', min: 36, span: 3 },
  { loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', min: 70, span: 90 },
] as const;

/** The results the EHR holds for `patientId` (same id → same values, so reads are checkable). */
export function labResultsFor(patientId: string): LabResult[] {
  const digest = createHash('sha256').update(patientId).digest();
  return PANEL.map((p, i) => ({
    loinc: p.loinc,
    display: p.display,
    unit: p.unit,
    value: Math.round((p.min + ((digest[i] ?? 0) / 255) * p.span) * 10) / 10,
  }));
}
