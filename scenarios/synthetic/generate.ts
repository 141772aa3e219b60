/** @module scenarios/synthetic: deterministic, visibly synthetic FHIR R4 data from a seed — never real PHI. */
import { seededRandom } from '../../core/random.js';
import { EMAIL_DOMAIN, FAMILY_STEMS, FAMILY_SUFFIX, GENDERS, GIVEN_NAMES, SYNTHETIC_PREFIX, SYNTHETIC_SYSTEM, VITALS } from './vocabulary.js';

/** One synthetic person with everything a flow needs; templates read it as `synthetic.<field>`. */
export interface SyntheticRecord {
  readonly index: number;
  readonly identifier: string;
  readonly family: string;
  readonly given: string;
  readonly birthDate: string;
  readonly gender: string;
  readonly phone: string;
  readonly email: string;
  readonly heartRate: number;
  readonly respiratoryRate: number;
  readonly bodyTemperature: number;
  readonly systolic: number;
  readonly diastolic: number;
  /** A ready-to-POST FHIR R4 Patient. */
  readonly patient: Readonly<Record<string, unknown>>;
}

/** Every field of a synthetic record, i.e. every `{{ synthetic.<field> }}` a template may use. */
export const SYNTHETIC_FIELDS = [
  'index', 'identifier', 'family', 'given', 'birthDate', 'gender', 'phone', 'email',
  'heartRate', 'respiratoryRate', 'bodyTemperature', 'systolic', 'diastolic', 'patient',
] as const satisfies readonly (keyof SyntheticRecord)[];

/** A seeded pool of records; iterations pick records round-robin so the embedded engine and k6 export agree. */
export interface SyntheticData {
  readonly seed: number;
  readonly records: readonly SyntheticRecord[];
  /** The record of the n-th iteration (wraps around the pool). */
  pick(n: number): SyntheticRecord;
  /** Every PHI-like value generated (names, birth dates, identifiers, phones, e-mails), for the PHI scanner. */
  listValues(): string[];
}

/**
 * Builds `size` synthetic people from `seed`.
 * @example createSyntheticData(42).pick(0).patient.identifier // [{ system: 'urn:codeblue:synthetic', value: 'CB-SYN-…' }]
 */
export function createSyntheticData(seed = 1, size = 200): SyntheticData {
  const rand = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
  const pickOf = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const records: SyntheticRecord[] = [];
  for (let i = 0; i < size; i++) {
    const identifier = `${SYNTHETIC_PREFIX}${seed.toString(36).toUpperCase()}-${String(i).padStart(6, '0')}`;
    const family = `${pickOf(FAMILY_STEMS)}${FAMILY_SUFFIX}`;
    const given = pickOf(GIVEN_NAMES);
    const birthDate = `${int(1930, 2020)}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
    const gender = pickOf(GENDERS);
    const phone = `+1-555-01${pad(int(0, 99))}`;
    const email = `${given.toLowerCase()}.${i}@${EMAIL_DOMAIN}`;
    const patient = {
      resourceType: 'Patient',
      meta: { tag: [{ system: SYNTHETIC_SYSTEM, code: 'synthetic', display: 'codeblue synthetic test data' }] },
      identifier: [{ system: SYNTHETIC_SYSTEM, value: identifier }],
      active: true,
      name: [{ use: 'official', family, given: [given] }],
      telecom: [{ system: 'phone', value: phone, use: 'mobile' }, { system: 'email', value: email }],
      gender,
      birthDate,
    };
    records.push({
      index: i, identifier, family, given, birthDate, gender, phone, email, patient,
      heartRate: int(52, 118),
      respiratoryRate: int(10, 24),
      bodyTemperature: Math.round((36 + rand() * 2.4) * 10) / 10,
      systolic: int(95, 160),
      diastolic: int(55, 100),
    });
  }
  return {
    seed,
    records,
    pick: (n) => records[((n % size) + size) % size] as SyntheticRecord,
    listValues: () => records.flatMap((r) => [r.identifier, r.family, r.given, `${r.given} ${r.family}`, r.birthDate, r.phone, r.email]),
  };
}

/** A FHIR R4 vital-signs Observation for a patient reference (`Patient/123`). */
export function vitalObservation(kind: 'heartRate' | 'respiratoryRate' | 'bodyTemperature', subject: string, value: number | string): Record<string, unknown> {
  const v = VITALS[kind];
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: v.code, display: v.display }], text: v.display },
    subject: { reference: subject },
    effectiveDateTime: '2026-01-01T08:00:00Z',
    valueQuantity: { value, unit: v.unit, system: 'http://unitsofmeasure.org', code: v.ucum },
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
