/** @module scenarios/engine: acknowledged writes — what a run must still be able to read back after recovery. */
import { resourceFields } from '../../core/index.js';

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
  /** The acknowledged resource, flattened (core `resourceFields`: every field but server-managed `meta` and `text`). */
  readonly keyFields: Readonly<Record<string, string>>;
  /** The plan's `ledger.compare`: only these top-level elements are kept and compared (plus resourceType and id). */
  readonly compare?: readonly string[];
  readonly traceId: string;
  /** An HL7 message (mllp `ledger`): only that it reads back counts — a 404 or an empty search Bundle is missing. */
  readonly existsOnly?: true;
  /** How long after the run a missing entry may still arrive (asynchronous feeds), ms; absent = read once. */
  readonly withinMs?: number;
}

/** The fields the read-back must still show: the whole acknowledged resource minus server-managed elements. */
export function keyFieldsOf(resource: Record<string, unknown>, only?: readonly string[]): Record<string, string> {
  return resourceFields(resource, only);
}
