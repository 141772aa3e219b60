import { describe, expect, it } from 'vitest';
import { createSyntheticData } from './generate.js';
import { EMAIL_DOMAIN, FAMILY_SUFFIX, SYNTHETIC_PREFIX, SYNTHETIC_SYSTEM } from './vocabulary.js';

describe('createSyntheticData', () => {
  it('is deterministic by seed and differs across seeds', () => {
    expect(createSyntheticData(7, 20).records).toEqual(createSyntheticData(7, 20).records);
    expect(createSyntheticData(7, 20).records[3]?.family).toBeDefined();
    expect(createSyntheticData(7, 20).listValues()).not.toEqual(createSyntheticData(8, 20).listValues());
  });

  it('makes valid-looking FHIR R4 Patients whose every PHI-like value is visibly synthetic', () => {
    const data = createSyntheticData(3, 50);
    for (const r of data.records) {
      const p = r.patient as { resourceType: string; identifier: { system: string; value: string }[]; name: { family: string; given: string[] }[]; birthDate: string; gender: string; telecom: { value: string }[] };
      expect(p.resourceType).toBe('Patient');
      expect(p.identifier[0]).toEqual({ system: SYNTHETIC_SYSTEM, value: r.identifier });
      expect(r.identifier.startsWith(SYNTHETIC_PREFIX)).toBe(true);
      expect(p.name[0]?.family.endsWith(FAMILY_SUFFIX)).toBe(true);
      expect(p.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['male', 'female', 'other', 'unknown']).toContain(p.gender);
      expect(p.telecom[0]?.value).toMatch(/^\+1-555-01\d\d$/);
      expect(p.telecom[1]?.value.endsWith(`@${EMAIL_DOMAIN}`)).toBe(true);
    }
    expect(new Set(data.records.map((r) => r.identifier)).size).toBe(50);
  });

  it('lists every generated PHI-like value for the PHI scanner', () => {
    const data = createSyntheticData(5, 10);
    const values = data.listValues();
    for (const r of data.records) for (const v of [r.identifier, r.family, r.given, r.birthDate, r.phone, r.email]) expect(values).toContain(v);
    expect(data.pick(12)).toBe(data.records[2]);
  });
});
