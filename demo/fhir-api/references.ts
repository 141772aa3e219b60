/** @module demo/fhir-api: the references a resource makes, its patient, and urn:uuid rewriting for transactions. */

type Json = Record<string, unknown>;

const refOf = (v: unknown): string | undefined => (typeof v === 'object' && v !== null ? ((v as Json).reference as string | undefined) : undefined);

/** Every `Type/id` this resource points at that must exist (Schedule is not served, so Slot.schedule is not checked). */
export function referencesToCheck(res: Json): string[] {
  const out: (string | undefined)[] = [];
  switch (res.resourceType) {
    case 'Encounter':
      out.push(refOf(res.subject));
      break;
    case 'Observation':
      out.push(refOf(res.subject), refOf(res.encounter));
      break;
    case 'Appointment':
      for (const s of (res.slot as unknown[] | undefined) ?? []) out.push(refOf(s));
      for (const p of (res.participant as Json[] | undefined) ?? []) out.push(refOf(p.actor));
      break;
  }
  return [...new Set(out.filter((r): r is string => r !== undefined))];
}

/** The patient a resource belongs to (its own id for a Patient), indexed for `patient=` searches. */
export function patientIdOf(res: Json): string | null {
  if (res.resourceType === 'Patient') return res.id as string;
  const candidates = [refOf(res.subject), ...((res.participant as Json[] | undefined) ?? []).map((p) => refOf(p.actor))];
  const ref = candidates.find((r) => r?.startsWith('Patient/'));
  return ref ? ref.slice('Patient/'.length) : null;
}

/** Slot ids an Appointment books. */
export function slotIdsOf(res: Json): string[] {
  return ((res.slot as unknown[] | undefined) ?? []).map(refOf).filter((r): r is string => r !== undefined).map((r) => r.slice('Slot/'.length));
}

/** Deep-copies `value`, replacing every `reference` found in `map` (urn:uuid → Type/id). */
export function rewriteReferences(value: unknown, map: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, map));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    out[k] = k === 'reference' && typeof v === 'string' && map.has(v) ? map.get(v) : rewriteReferences(v, map);
  }
  return out;
}
