/** @module scenarios/engine: acknowledged writes — what a run must still be able to read back after recovery. */

/** One write the target acknowledged with a 2xx and an id. */
export interface LedgerEntry {
  /** Run offset of the acknowledgement, ms. */
  readonly at: number;
  readonly scenario: string;
  readonly step: string;
  readonly resourceType: string;
  readonly id: string;
  /** Path (under the base URL) that reads it back, e.g. `/fhir/Patient/123`. */
  readonly readPath: string;
  /** Fields the read-back must still show (resourceType, id, first identifier, versionId when present). */
  readonly keyFields: Readonly<Record<string, string>>;
  readonly traceId: string;
}

/** Picks the key fields of an acknowledged FHIR resource. */
export function keyFieldsOf(resource: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof resource.resourceType === 'string') out.resourceType = resource.resourceType;
  if (typeof resource.id === 'string') out.id = resource.id;
  const identifier = Array.isArray(resource.identifier) ? (resource.identifier[0] as Record<string, unknown> | undefined) : undefined;
  if (identifier && typeof identifier.value === 'string') out['identifier[0].value'] = identifier.value;
  const meta = resource.meta as Record<string, unknown> | undefined;
  if (meta && typeof meta.versionId === 'string') out['meta.versionId'] = meta.versionId;
  return out;
}
