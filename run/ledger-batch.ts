/**
 * @module run: the ledger's read-back in batches — one FHIR search `GET <base>/<Type>?_id=a,b,…&_count=n` confirms up
 * to 100 plain reads (`<base>/<Type>/<id>`) at once. A batch only ever confirms a write it returns unchanged; every
 * write it does not (absent, changed, an error, a server without `_id` search) is read on its own (ledger.ts), so
 * what is missing, changed or unreadable is always decided by the write's own read, as before batching.
 */
import { request, type Dispatcher } from 'undici';
import { sameFields } from '../core/index.js';
import type { AcknowledgedWrite, LedgerAuthorize } from './ledger-types.js';

/** What a batch reads of an acknowledged write (the time it was acknowledged is not needed). */
type BatchableWrite = Omit<AcknowledgedWrite, 'at'>;

/** Writes one search confirms, at most (FHIR servers commonly cap `_count` at 100 or more). */
const LEDGER_BATCH_SIZE = 100;

/** FHIR R4 `id`: no comma, so ids join into one `_id` value. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** Writes of one scenario (one credential) read from one `<origin><prefix>/<Type>`. */
export interface LedgerBatch<W extends BatchableWrite> {
  /** `<origin><prefix>/<Type>`: the search URL without its query. */
  readonly searchBase: string;
  readonly scenario: string;
  readonly resourceType: string;
  readonly entries: readonly W[];
}

/**
 * The search base of a plain FHIR read (`<base>/<Type>/<id>` on the target's origin, no query), or undefined:
 * HL7 messages (`existsOnly`, `withinMs`), reads with a query and other paths are read on their own.
 */
export function searchBaseOf(entry: BatchableWrite, baseUrl: string): string | undefined {
  if (entry.existsOnly || entry.withinMs !== undefined || !FHIR_ID.test(entry.id) || !RESOURCE_TYPE.test(entry.resourceType)) return undefined;
  let url: URL;
  try {
    url = new URL(entry.readPath, baseUrl);
  } catch {
    return undefined;
  }
  const tail = `/${entry.resourceType}/${entry.id}`;
  if (url.origin !== new URL(baseUrl).origin || url.search !== '' || url.hash !== '' || !url.pathname.endsWith(tail)) return undefined;
  return url.origin + url.pathname.slice(0, -(entry.id.length + 1));
}

/** Groups the writes into batches of up to `size` (groups of one are left to single reads); the rest come back as `single`. */
export function planBatches<W extends BatchableWrite>(entries: readonly W[], baseUrl: string, size = LEDGER_BATCH_SIZE): { batches: LedgerBatch<W>[]; single: W[] } {
  const groups = new Map<string, { searchBase: string; scenario: string; resourceType: string; entries: W[] }>();
  const single: W[] = [];
  for (const entry of entries) {
    const searchBase = searchBaseOf(entry, baseUrl);
    if (searchBase === undefined) {
      single.push(entry);
      continue;
    }
    const key = `${entry.scenario}\u0000${searchBase}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { searchBase, scenario: entry.scenario, resourceType: entry.resourceType, entries: [] }));
    group.entries.push(entry);
  }
  const batches: LedgerBatch<W>[] = [];
  for (const group of groups.values()) {
    if (group.entries.length < 2) {
      single.push(...group.entries);
      continue;
    }
    for (let i = 0; i < group.entries.length; i += size) batches.push({ ...group, entries: group.entries.slice(i, i + size) });
  }
  return { batches, single };
}

/**
 * `<searchBase>?_id=a,b,…&_count=n` with the commas as they are (RFC 3986 allows them in a query; FHIR's OR
 * separator). URLSearchParams would write `%2C`: then the query is one 4 KB run of `[A-Za-z0-9%.-]` in the target's
 * span attributes, and a PHI scan's email rule backtracks over it quadratically (seconds of a soak's read-back).
 * The ids need no escaping: searchBaseOf admits only FHIR ids (`[A-Za-z0-9.-]`).
 */
export function searchUrl(searchBase: string, ids: readonly string[]): string {
  return `${searchBase}?_id=${ids.join(',')}&_count=${ids.length}`;
}

/** The writes of `batch` the search returned unchanged (an empty set when the search fails in any way). */
export async function confirmBatch<W extends BatchableWrite>(batch: LedgerBatch<W>, dispatcher: Dispatcher, authorize: LedgerAuthorize | undefined): Promise<Set<W>> {
  const confirmed = new Set<W>();
  const auth = authorize ? await authorize(batch.scenario) : { ok: true as const, headers: {} };
  if (!auth.ok) return confirmed;
  const byId = new Map(batch.entries.map((e) => [e.id, e]));
  const url = searchUrl(batch.searchBase, [...byId.keys()]);
  try {
    const res = await request(url, { method: 'GET', dispatcher, headers: { accept: 'application/fhir+json, application/json', ...auth.headers } });
    const text = await res.body.text();
    if (res.statusCode !== 200) return confirmed;
    const bundle = JSON.parse(text) as { resourceType?: unknown; entry?: unknown };
    if (bundle?.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return confirmed;
    for (const item of bundle.entry as { resource?: { resourceType?: unknown; id?: unknown } }[]) {
      const resource = item?.resource;
      if (resource?.resourceType !== batch.resourceType || typeof resource.id !== 'string') continue;
      const entry = byId.get(resource.id);
      if (entry && sameFields(entry.keyFields, resource as Record<string, unknown>, entry.compare)) confirmed.add(entry);
    }
  } catch {
    // No answer, a bad body: every write of the batch is read on its own, which says what went wrong.
  }
  return confirmed;
}
