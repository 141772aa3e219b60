/** @module scenarios/flows: the explicit list of library workflows. */
import { CodeblueError } from '../../core/errors.js';
import type { ScenarioSpec, Step } from '../schema.js';
import { appointmentBooking } from './appointment-booking.js';
import { clinicianDashboard } from './clinician-dashboard.js';
import type { FlowDefinition } from './flow.js';
import { patientRegistration } from './patient-registration.js';
import { transactionBundle } from './transaction-bundle.js';

export const FLOWS: readonly FlowDefinition[] = [patientRegistration, clinicianDashboard, appointmentBooking, transactionBundle];

/** The flow of that name, or CB_PLAN_INVALID listing the known ones. */
export function findFlow(name: string): FlowDefinition {
  const flow = FLOWS.find((f) => f.name === name);
  if (flow === undefined) {
    throw new CodeblueError('CB_PLAN_INVALID', `unknown flow "${name}"`, { hint: `use one of: ${FLOWS.map((f) => f.name).join(', ')}` });
  }
  return flow;
}

/** The steps a scenario runs: its own `steps`, or its library flow built with its `params`. */
export function scenarioSteps(spec: ScenarioSpec): readonly Step[] {
  if (spec.steps !== undefined) return spec.steps;
  return findFlow(spec.flow as string).build(spec.params ?? {});
}
