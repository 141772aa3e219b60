/** @module demo/fhir-api: GET /fhir/{type} — searchset Bundle with total, paging links and _include. */
import type { Queryable, ResourceJson } from '../db/resource-store.js';
import { withClient } from '../db/transaction.js';
import type { ApiDeps } from './deps.js';
import { pullLabResults } from './lab-sync.js';
import { FhirError } from './outcome.js';
import type { Reply } from './resource-service.js';
import type { ResourceType } from './schemas.js';
import { parseSearch } from './search-params.js';

const DEFAULT_COUNT = 20;
const MAX_COUNT = 100;

function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw FhirError.of(400, 'value', `${name} must be a whole number between 0 and ${max}, but is "${raw}"`);
  return n;
}

function pageUrl(base: string, type: string, query: URLSearchParams, offset: number, count: number): string {
  const q = new URLSearchParams(query);
  q.set('_count', String(count));
  q.set('_offset', String(offset));
  return `${base}/${type}?${q.toString()}`;
}

/** Patients referenced by Observations of the page, for `_include=Observation:patient` (or `:subject`). */
async function includedPatients(q: Queryable, deps: ApiDeps, matches: readonly ResourceJson[]): Promise<ResourceJson[]> {
  const ids = [...new Set(matches.map((m) => (m.subject as { reference?: string } | undefined)?.reference).filter((r): r is string => !!r?.startsWith('Patient/')).map((r) => r.slice(8)))];
  if (ids.length === 0) return [];
  return deps.store.readMany(q, 'Patient', ids);
}

/** Runs a search; Observation searches by patient first store that patient's EHR lab results. */
export async function searchResources(deps: ApiDeps, base: string, type: ResourceType, query: URLSearchParams): Promise<Reply> {
  const clauses = parseSearch(type, query);
  const count = intParam(query, '_count', DEFAULT_COUNT, MAX_COUNT);
  const offset = intParam(query, '_offset', 0, 1_000_000);
  const includes = query.getAll('_include');
  for (const inc of includes) {
    if (!(type === 'Observation' && (inc === 'Observation:patient' || inc === 'Observation:subject'))) throw FhirError.of(400, 'not-supported', `_include=${inc} is not supported; supported: Observation:patient`);
  }
  const headers: Record<string, string> = {};
  const patient = query.get('patient') ?? query.get('subject');
  const patientId = patient?.replace(/^Patient\//, '');
  const pulled = type === 'Observation' && patientId ? await pullLabResults(deps, patientId) : undefined;
  if (pulled) headers['x-ehr-results'] = pulled.status;
  // One client for the writes and reads after the EHR call (never held across it: a slow EHR must not take connections).
  const { page, included } = await withClient(deps.pool, async (c) => {
    if (pulled && patientId) await deps.store.insertMissing(c, pulled.observations, patientId);
    const found = await deps.store.search(c, type, clauses, count, offset);
    return { page: found, included: includes.length > 0 ? await includedPatients(c, deps, found.resources) : [] };
  });
  const link = [{ relation: 'self', url: pageUrl(base, type, query, offset, count) }];
  if (count > 0 && offset + count < page.total) link.push({ relation: 'next', url: pageUrl(base, type, query, offset + count, count) });
  if (offset > 0) link.push({ relation: 'previous', url: pageUrl(base, type, query, Math.max(0, offset - count), count) });
  const entry = page.resources.map((r) => ({ fullUrl: `${base}/${type}/${r.id}`, resource: r, search: { mode: 'match' } }));
  for (const p of included) entry.push({ fullUrl: `${base}/Patient/${p.id}`, resource: p, search: { mode: 'include' } });
  return { status: 200, body: { resourceType: 'Bundle', type: 'searchset', total: page.total, link, entry }, headers };
}
