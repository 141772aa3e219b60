/** @module demo/fhir-api: pulls a patient's lab results from the EHR (QRY^R02 → ORU^R01) as Observations. */
import type { ResourceJson } from '../db/resource-store.js';
import type { ApiDeps } from './deps.js';
import type { EhrLabResult } from './ehr-messages.js';
import { FhirError } from './outcome.js';

/** How the EHR part of a search went: fresh results, stored ones only (EHR failing, hardened), or no patient. */
type LabSyncStatus = 'fresh' | 'stale' | 'skipped';

/** The Observation for one EHR result; the id is deterministic so a result is stored once. */
function observationFromLab(patientId: string, r: EhrLabResult): ResourceJson {
  return {
    resourceType: 'Observation',
    id: `ehr-${patientId}-${r.loinc}`.slice(0, 64),
    meta: { versionId: '1', lastUpdated: new Date().toISOString(), source: 'urn:legacy-ehr' },
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: r.loinc, display: r.display }], text: r.display },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: r.observedAt,
    valueQuantity: { value: r.value, unit: r.unit, system: 'http://unitsofmeasure.org', code: r.unit },
  };
}

/** A patient's EHR results as Observations to store (none unless `fresh`). */
export interface PulledLabResults {
  readonly status: LabSyncStatus;
  readonly observations: readonly ResourceJson[];
}

/** Pulls the patient's EHR results; hardened degrades to stored results, fragile answers 502. The caller stores them. */
export async function pullLabResults(deps: ApiDeps, patientId: string): Promise<PulledLabResults> {
  if (!(await deps.store.read(deps.pool, 'Patient', patientId))) return { status: 'skipped', observations: [] };
  let results: EhrLabResult[];
  try {
    results = await deps.ehr.labResults(patientId);
  } catch (err) {
    if (deps.settings.fallbacks) return { status: 'stale', observations: [] };
    throw FhirError.of(502, 'exception', `lab results for Patient/${patientId} could not be pulled from the EHR: ${(err as Error).message}`);
  }
  return { status: 'fresh', observations: results.map((r) => observationFromLab(patientId, r)) };
}
