/**
 * @module scenarios/synthetic: the made-up vocabulary synthetic resources draw from.
 * Every family name ends in "-Synth", every identifier starts with "CB-SYN-", every phone is in the
 * reserved 555-01xx fictional range and every e-mail is on `synthetic.codeblue.invalid` (RFC 2606), so a
 * synthetic value can never be mistaken for, or collide with, real PHI.
 */

/** Identifier system of every synthetic resource. */
export const SYNTHETIC_SYSTEM = 'urn:codeblue:synthetic';
/** Prefix of every synthetic identifier value. */
export const SYNTHETIC_PREFIX = 'CB-SYN-';
/** Suffix of every synthetic family name. */
export const FAMILY_SUFFIX = '-Synth';
/** Domain of every synthetic e-mail (`.invalid` never resolves). */
export const EMAIL_DOMAIN = 'synthetic.codeblue.invalid';

export const FAMILY_STEMS = ['Quorvath', 'Belindor', 'Traxelle', 'Moonvick', 'Zephrin', 'Ollivane', 'Krastow', 'Pellucid', 'Varnish', 'Dorrimel', 'Ysolde', 'Fennimore', 'Glasswick', 'Ambrin', 'Tolvane', 'Rushmere'] as const;
export const GIVEN_NAMES = ['Alto', 'Brisa', 'Cobalt', 'Delphine', 'Ember', 'Fable', 'Garnet', 'Halcyon', 'Indigo', 'Juniper', 'Kestrel', 'Lumen', 'Marlow', 'Nimbus', 'Orrin', 'Pixel'] as const;
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

/** LOINC codes of the vital signs the generator produces (FHIR vital-signs profile). */
export const VITALS = {
  heartRate: { code: '8867-4', display: 'Heart rate', unit: '/min', ucum: '/min' },
  respiratoryRate: { code: '9279-1', display: 'Respiratory rate', unit: '/min', ucum: '/min' },
  bodyTemperature: { code: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]', ucum: 'mm[Hg]' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]', ucum: 'mm[Hg]' },
  bloodPressurePanel: { code: '85354-9', display: 'Blood pressure panel with all children optional', unit: '', ucum: '' },
} as const;
