/** @module scenarios/flows: what a library workflow is — a named list of steps in the plan's own step model. */
import { stepSchema, type Step } from '../schema.js';

export type FlowParams = Readonly<Record<string, string | number | boolean>>;

/** A workflow from the library, referenced from a plan as `flow: fhir/<name>`. */
export interface FlowDefinition {
  readonly name: string;
  readonly description: string;
  /** Steps for these params (`fhirBase` defaults to `/fhir`). */
  build(params: FlowParams): readonly Step[];
}

/** Validates hand-written steps through the plan schema, so flows get the same defaults as plan steps. */
export function steps(raw: unknown[]): Step[] {
  return raw.map((s) => stepSchema.parse(s));
}

/** The FHIR base path of a flow (`params.fhirBase`, default `/fhir`). */
export function fhirBase(params: FlowParams): string {
  const base = String(params.fhirBase ?? '/fhir');
  return base.endsWith('/') ? base.slice(0, -1) : base;
}

/** Headers of a FHIR write that asks for the created resource back. */
export const FHIR_WRITE_HEADERS = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', prefer: 'return=representation' };
export const FHIR_READ_HEADERS = { accept: 'application/fhir+json' };
