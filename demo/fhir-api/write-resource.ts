/** @module demo/fhir-api: writing one resource inside a transaction — references, slot booking, admit outbox. */
import { randomUUID } from 'node:crypto';
import type { Queryable, ResourceJson } from '../db/resource-store.js';
import type { ApiDeps } from './deps.js';
import type { AdmitInfo } from './ehr-messages.js';
import { FhirError } from './outcome.js';
import { patientIdOf, referencesToCheck, slotIdsOf } from './references.js';
import { validateResource, type ResourceType } from './schemas.js';

const HOLDS_SLOT = new Set(['proposed', 'pending', 'booked', 'arrived', 'checked-in', 'fulfilled']);

/** Validates `body` as `type` and stamps id and meta (versionId 1, lastUpdated now). */
export function prepare(type: ResourceType, body: unknown, id: string = randomUUID()): ResourceJson {
  const valid = validateResource(type, body);
  return { ...valid, resourceType: type, id, meta: { ...((valid.meta as object | undefined) ?? {}), versionId: '1', lastUpdated: new Date().toISOString() } };
}

/** 422 when any referenced resource is missing (reads through `q`, so earlier writes of a transaction count). */
export async function checkReferences(q: Queryable, deps: ApiDeps, res: ResourceJson): Promise<void> {
  const missing = await deps.store.missing(q, referencesToCheck(res));
  if (missing.length > 0) {
    throw new FhirError(422, missing.map((ref) => ({ severity: 'error', code: 'not-found', diagnostics: `${res.resourceType} references ${ref}, which does not exist`, expression: [res.resourceType] })));
  }
}

/** Books every slot of an active Appointment (sorted, so two bookings never deadlock); 409 when one is taken. */
async function bookSlots(q: Queryable, deps: ApiDeps, appt: ResourceJson): Promise<void> {
  if (!HOLDS_SLOT.has(String(appt.status))) return;
  for (const slotId of slotIdsOf(appt).sort()) {
    const slot = await deps.store.read(q, 'Slot', slotId, true);
    const taken = !slot || slot.status !== 'free' || !(await deps.bookings.book(q, slotId, appt.id));
    if (taken) throw FhirError.of(409, 'conflict', `Slot/${slotId} is already booked`, 'Appointment.slot');
    await deps.store.upsert(q, { ...slot, status: 'busy' }, null);
  }
}

/** Frees the slots an Appointment held before this write. */
async function releaseSlots(q: Queryable, deps: ApiDeps, appointmentId: string): Promise<void> {
  const released = await deps.bookings.release(q, appointmentId);
  for (const slotId of released) {
    const slot = await deps.store.read(q, 'Slot', slotId, true);
    if (slot) await deps.store.upsert(q, { ...slot, status: 'free' }, null);
  }
}

/** ADT details for an Encounter, with the patient's demographics. */
export async function admitInfoFor(q: Queryable, deps: ApiDeps, enc: ResourceJson): Promise<AdmitInfo> {
  const patientId = patientIdOf(enc) ?? '';
  const patient = await deps.store.read(q, 'Patient', patientId);
  const name = (patient?.name as { family?: string; given?: string[] }[] | undefined)?.[0];
  return { patientId, encounterId: enc.id, family: name?.family, given: name?.given?.[0], birthDate: patient?.birthDate as string | undefined, gender: patient?.gender as string | undefined };
}

/** Result of one write. */
export interface WriteResult {
  readonly created: boolean;
  readonly resource: ResourceJson;
  /** Outbox job carrying the ADT of a new Encounter, when queued. */
  readonly admitJobId?: string;
  /** The ADT details that job carries (the inline send reuses them rather than reading the Patient again). */
  readonly admitInfo?: AdmitInfo;
}

/**
 * Writes a prepared resource through `q` (a transaction client). `mode` create fails with 409
 * when the id exists; upsert creates or bumps the version. `admitDelayMs` queues the ADT
 * of a new Encounter for the worker (undefined: the caller sends it inline).
 */
export async function writeResource(q: Queryable, deps: ApiDeps, res: ResourceJson, mode: 'create' | 'upsert', admitDelayMs?: number): Promise<WriteResult> {
  await checkReferences(q, deps, res);
  if (res.resourceType === 'Appointment') {
    if (mode === 'upsert') await releaseSlots(q, deps, res.id);
    await bookSlots(q, deps, res);
  }
  let result: { created: boolean; resource: ResourceJson };
  if (mode === 'create') {
    if (!(await deps.store.insert(q, res, patientIdOf(res)))) throw FhirError.of(409, 'duplicate', `${res.resourceType}/${res.id} already exists`);
    result = { created: true, resource: res };
  } else {
    result = await deps.store.upsert(q, res, patientIdOf(res));
  }
  if (res.resourceType === 'Encounter' && result.created && admitDelayMs !== undefined) {
    const admitInfo = await admitInfoFor(q, deps, res);
    const admitJobId = await deps.outbox.enqueue(q, 'ehr.adt', { ...admitInfo }, admitDelayMs);
    return { ...result, admitJobId, admitInfo };
  }
  return result;
}
