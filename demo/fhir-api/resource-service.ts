/** @module demo/fhir-api: create, update, read and async ingest as the HTTP handlers see them. */
import type { ResourceJson } from '../db/resource-store.js';
import { inTransaction } from '../db/transaction.js';
import type { ApiDeps } from './deps.js';
import { FhirError } from './outcome.js';
import type { ResourceType } from './schemas.js';
import { admitInfoFor, checkReferences, prepare, writeResource, type WriteResult } from './write-resource.js';

/** A handler result: status, body and extra headers. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

// The hardened preset waits this long before the worker retries an ADT the inline send could not deliver.
const ADMIT_RETRY_DELAY_MS = 5000;

const located = (base: string, res: ResourceJson): Record<string, string> => ({
  location: `${base}/${res.resourceType}/${res.id}/_history/${String((res.meta as { versionId?: string } | undefined)?.versionId ?? '1')}`,
  etag: `W/"${String((res.meta as { versionId?: string } | undefined)?.versionId ?? '1')}"`,
});

/** Sends the ADT of a new Encounter: hardened settles its outbox job or leaves it to the worker; fragile fails the request. */
async function admit(deps: ApiDeps, enc: ResourceJson, written: WriteResult): Promise<string> {
  const { admitJobId, admitInfo } = written;
  if (admitJobId !== undefined) {
    try {
      await deps.ehr.admit(admitInfo ?? (await admitInfoFor(deps.pool, deps, enc)));
      await deps.outbox.complete(deps.pool, admitJobId);
      return 'acked';
    } catch {
      return 'queued';
    }
  }
  try {
    await deps.ehr.admit(await admitInfoFor(deps.pool, deps, enc));
    return 'acked';
  } catch (err) {
    throw FhirError.of(502, 'exception', `Encounter/${enc.id} was stored but the EHR admit (ADT^A01) failed: ${(err as Error).message}`);
  }
}

/** POST /fhir/{type}: 201 with Location and the stored resource (its id is the acknowledgement). */
export async function createResource(deps: ApiDeps, base: string, type: ResourceType, body: unknown): Promise<Reply> {
  const res = prepare(type, body);
  const delay = deps.settings.admitViaOutbox ? ADMIT_RETRY_DELAY_MS : undefined;
  const written = await inTransaction(deps.pool, (c) => writeResource(c, deps, res, 'create', delay));
  deps.cache?.put(written.resource);
  const headers = located(base, written.resource);
  if (type === 'Encounter') headers['x-ehr-admit'] = await admit(deps, written.resource, written);
  return { status: 201, body: written.resource, headers };
}

/** PUT /fhir/{type}/{id}: 201 when created, 200 when updated. */
export async function updateResource(deps: ApiDeps, base: string, type: ResourceType, id: string, body: unknown): Promise<Reply> {
  const bodyId = (body as { id?: unknown } | null)?.id;
  if (bodyId !== undefined && bodyId !== id) throw FhirError.of(400, 'invalid', `resource id "${String(bodyId)}" does not match the URL id "${id}"`, `${type}.id`);
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw FhirError.of(400, 'invalid', `"${id}" is not a valid FHIR id`);
  const res = prepare(type, body, id);
  const delay = deps.settings.admitViaOutbox ? ADMIT_RETRY_DELAY_MS : undefined;
  const written = await inTransaction(deps.pool, (c) => writeResource(c, deps, res, 'upsert', delay));
  deps.cache?.put(written.resource);
  const headers = located(base, written.resource);
  if (type === 'Encounter' && written.created) headers['x-ehr-admit'] = await admit(deps, written.resource, written);
  return { status: written.created ? 201 : 200, body: written.resource, headers };
}

/** GET /fhir/{type}/{id}; hardened serves the last known version when the database fails. */
export async function readResource(deps: ApiDeps, type: ResourceType, id: string): Promise<Reply> {
  let res: ResourceJson | null;
  try {
    res = await deps.store.read(deps.pool, type, id);
  } catch (err) {
    const cached = deps.cache?.get(type, id);
    if (cached) return { status: 200, body: cached, headers: { 'x-cache': 'stale-fallback' } };
    throw err;
  }
  if (!res) throw FhirError.of(404, 'not-found', `${type}/${id} does not exist`);
  deps.cache?.put(res);
  return { status: 200, body: res, headers: { etag: `W/"${String((res.meta as { versionId?: string }).versionId ?? '1')}"` } };
}

/**
 * POST /fhir/Observation with `Prefer: respond-async`: validated and referenced-checked now,
 * stored by the outbox worker later. 202 with the id it will have.
 */
export async function ingestObservation(deps: ApiDeps, base: string, body: unknown): Promise<Reply> {
  const res = prepare('Observation', body);
  await checkReferences(deps.pool, deps, res);
  const jobId = await deps.outbox.enqueue(deps.pool, 'observation.ingest', { resource: res });
  return {
    status: 202,
    body: { resourceType: 'OperationOutcome', id: res.id, issue: [{ severity: 'information', code: 'informational', diagnostics: `Observation/${res.id} queued for ingestion (outbox job ${jobId})` }] },
    headers: { location: `${base}/Observation/${res.id}`, 'content-location': `${base}/Observation/${res.id}` },
  };
}
