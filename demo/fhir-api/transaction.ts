/** @module demo/fhir-api: POST /fhir transaction Bundle — every entry commits or none does. */
import { randomUUID } from 'node:crypto';
import type { ResourceJson } from '../db/resource-store.js';
import { inTransaction } from '../db/transaction.js';
import type { ApiDeps } from './deps.js';
import { FhirError } from './outcome.js';
import { rewriteReferences } from './references.js';
import type { Reply } from './resource-service.js';
import { isResourceType, type ResourceType } from './schemas.js';
import { prepare, writeResource, type WriteResult } from './write-resource.js';

interface PlannedEntry {
  readonly index: number;
  readonly method: 'POST' | 'PUT';
  readonly type: ResourceType;
  readonly id: string;
  readonly body: unknown;
}

// Referenced types first, so references between new entries resolve inside the transaction.
const WRITE_ORDER: readonly ResourceType[] = ['Patient', 'Slot', 'Encounter', 'Observation', 'Appointment'];

const atEntry = (index: number, err: unknown): unknown =>
  err instanceof FhirError ? new FhirError(err.status, err.issues.map((i) => ({ ...i, diagnostics: `Bundle.entry[${index}]: ${i.diagnostics}` }))) : err;

function planEntry(raw: unknown, index: number): PlannedEntry & { fullUrl?: string } {
  const e = (raw ?? {}) as { fullUrl?: unknown; resource?: unknown; request?: { method?: unknown; url?: unknown } };
  const method = e.request?.method;
  const url = typeof e.request?.url === 'string' ? e.request.url.replace(/^\/+/, '') : '';
  if (method !== 'POST' && method !== 'PUT') throw FhirError.of(400, 'not-supported', `Bundle.entry[${index}].request.method must be POST or PUT, but is ${JSON.stringify(method ?? null)}`);
  const [type = '', id, extra] = url.split('?')[0]!.split('/');
  if (!isResourceType(type) || extra !== undefined || (method === 'POST') !== (id === undefined)) {
    throw FhirError.of(400, 'invalid', `Bundle.entry[${index}].request.url "${url}" must be "Type" for POST or "Type/id" for PUT, with a supported type`);
  }
  const rt = (e.resource as { resourceType?: unknown } | undefined)?.resourceType;
  if (rt !== type) throw FhirError.of(400, 'invalid', `Bundle.entry[${index}].resource.resourceType must be "${type}", but is ${JSON.stringify(rt ?? null)}`);
  return { index, method, type, id: id ?? randomUUID(), body: e.resource, ...(typeof e.fullUrl === 'string' ? { fullUrl: e.fullUrl } : {}) };
}

/** Processes a transaction Bundle; any failing entry rolls back all and answers its error. */
export async function processTransaction(deps: ApiDeps, base: string, bundle: unknown): Promise<Reply> {
  const b = bundle as { resourceType?: unknown; type?: unknown; entry?: unknown } | null;
  if (typeof b !== 'object' || b === null || b.resourceType !== 'Bundle') throw FhirError.of(400, 'invalid', 'POST /fhir expects a Bundle resource');
  if (b.type !== 'transaction') throw FhirError.of(400, 'not-supported', `Bundle.type must be "transaction", but is ${JSON.stringify(b.type ?? null)}`);
  if (b.entry !== undefined && !Array.isArray(b.entry)) throw FhirError.of(400, 'structure', 'Bundle.entry must be an array');
  const planned = ((b.entry as unknown[] | undefined) ?? []).map(planEntry);
  const refs = new Map<string, string>();
  for (const p of planned) if (p.fullUrl) refs.set(p.fullUrl, `${p.type}/${p.id}`);
  const prepared = planned.map((p) => {
    try {
      return { plan: p, res: prepare(p.type, rewriteReferences(p.body, refs), p.id) };
    } catch (err) {
      throw atEntry(p.index, err);
    }
  });
  const ordered = [...prepared].sort((x, y) => WRITE_ORDER.indexOf(x.plan.type) - WRITE_ORDER.indexOf(y.plan.type));
  const results = new Map<number, WriteResult>();
  await inTransaction(deps.pool, async (client) => {
    for (const { plan, res } of ordered) {
      try {
        results.set(plan.index, await writeResource(client, deps, res, plan.method === 'POST' ? 'create' : 'upsert', 0));
      } catch (err) {
        throw atEntry(plan.index, err);
      }
    }
  });
  const entry = prepared.map(({ plan }) => {
    const w = results.get(plan.index) as WriteResult;
    const r: ResourceJson = w.resource;
    deps.cache?.put(r);
    const version = String((r.meta as { versionId?: string }).versionId ?? '1');
    return { fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, response: { status: w.created ? '201 Created' : '200 OK', location: `${r.resourceType}/${r.id}/_history/${version}`, etag: `W/"${version}"` } };
  });
  return { status: 200, body: { resourceType: 'Bundle', type: 'transaction-response', entry } };
}
