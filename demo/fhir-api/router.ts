/** @module demo/fhir-api: maps method + path to the FHIR handlers. */
import type http from 'node:http';
import type { ApiDeps } from './deps.js';
import { capabilityStatement } from './capability.js';
import { readJsonBody } from './http-io.js';
import { FhirError } from './outcome.js';
import { createResource, ingestObservation, readResource, updateResource, type Reply } from './resource-service.js';
import { isResourceType, RESOURCE_TYPES } from './schemas.js';
import { searchResources } from './search-handler.js';
import { processTransaction } from './transaction.js';

const notAllowed = (method: string, path: string): FhirError => FhirError.of(405, 'not-supported', `${method} is not supported on ${path}`);

/** Handles one request under /fhir (`parts` are the path segments after /fhir). */
export async function routeFhir(deps: ApiDeps, req: http.IncomingMessage, base: string, parts: readonly string[], query: URLSearchParams): Promise<Reply> {
  const method = req.method ?? 'GET';
  const path = `/fhir/${parts.join('/')}`;
  if (parts.length === 0) {
    if (method !== 'POST') throw notAllowed(method, path);
    return processTransaction(deps, base, await readJsonBody(req));
  }
  const [type = '', id, ...rest] = parts;
  if (type === 'metadata' && parts.length === 1) {
    if (method !== 'GET') throw notAllowed(method, path);
    return { status: 200, body: capabilityStatement(base, deps.settings.mode, deps.smartAuth === true ? `${new URL(base).origin}/auth/token` : undefined) };
  }
  if (!isResourceType(type)) throw FhirError.of(404, 'not-supported', `resource type "${type}" is not served here; supported: ${RESOURCE_TYPES.join(', ')}`);
  if (rest.length > 0) throw FhirError.of(404, 'not-found', `${path} is not a supported endpoint`);
  if (id === undefined) {
    if (method === 'GET') return searchResources(deps, base, type, query);
    if (method !== 'POST') throw notAllowed(method, path);
    const body = await readJsonBody(req);
    const isAsync = /respond-async/i.test(String(req.headers.prefer ?? ''));
    return type === 'Observation' && isAsync ? ingestObservation(deps, base, body) : createResource(deps, base, type, body);
  }
  if (method === 'GET') return readResource(deps, type, id);
  if (method === 'PUT') return updateResource(deps, base, type, id, await readJsonBody(req));
  throw notAllowed(method, path);
}
