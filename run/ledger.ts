/**
 * @module run: the acknowledged-write ledger — every write the target acknowledged (2xx with an id) is read back
 * after recovery; one that is missing or changed is data loss.
 */
import { request, type Dispatcher } from 'undici';
import { isCodeblueError, LOOPBACK_GUARD, type NetGuard, type Sink } from '../core/index.js';
import { changedFields, describeChanges, type FieldChange } from './ledger-compare.js';

/** What the load engine records for each acknowledged write (scenarios' `LedgerEntry`, by shape). */
export interface AcknowledgedWrite {
  readonly at: number;
  readonly scenario: string;
  readonly resourceType: string;
  readonly id: string;
  readonly readPath: string;
  readonly keyFields: Readonly<Record<string, string>>;
  /** Only these top-level elements are compared (plan step `ledger.compare`); absent = the whole resource. */
  readonly compare?: readonly string[];
}

export interface LedgerProblem {
  readonly resourceType: string;
  readonly id: string;
  readonly readPath: string;
  readonly scenario: string;
  /** `missing`: 404/410; `changed`: a field differs (see ledger-compare.ts); `unreadable`: no answer or another status. */
  readonly kind: 'missing' | 'changed' | 'unreadable';
  readonly detail: string;
  /** For `changed`: every field that differs (path, acknowledged value, value now). */
  readonly changes?: readonly FieldChange[];
}

export interface LedgerResult {
  readonly acknowledged: number;
  readonly checked: number;
  readonly missing: readonly LedgerProblem[];
  readonly changed: readonly LedgerProblem[];
  readonly unreadable: readonly LedgerProblem[];
  /** True when every checked write was read back unchanged. */
  readonly clean: boolean;
}

/** Collects acknowledged writes (bounded; the newest beyond `limit` are counted but not kept). */
export function createLedger(limit = 50_000): Sink<AcknowledgedWrite> & { entries(): readonly AcknowledgedWrite[]; total(): number } {
  const kept = new Map<string, AcknowledgedWrite>();
  let total = 0;
  return {
    add(entry) {
      total += 1;
      // The latest acknowledgement of a resource wins (an update after a create).
      const key = `${entry.resourceType}/${entry.id}`;
      if (kept.has(key) || kept.size < limit) kept.set(key, entry);
    },
    entries: () => [...kept.values()],
    total: () => total,
  };
}

/** The credential a read-back carries: the headers of the scenario that wrote it, or why there is none. */
export type LedgerAuthorize = (scenario: string) => Promise<{ readonly ok: true; readonly headers: Readonly<Record<string, string>> } | { readonly ok: false; readonly message: string }>;

/** Reads every write back through `baseUrl`, a few at a time, and compares its key fields; `authorize` for an API that wants tokens. */
export async function verifyLedger(entries: readonly AcknowledgedWrite[], baseUrl: string, acknowledged = entries.length, concurrency = 8, guard: NetGuard = LOOPBACK_GUARD, authorize?: LedgerAuthorize): Promise<LedgerResult> {
  // Read-backs connect through the guard (checked at connect time, every connection).
  const agent = guard.withKey('target.baseUrl (ledger read-back)').agent({ connections: concurrency, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const problems: LedgerProblem[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const entry = entries[next++] as AcknowledgedWrite;
      const problem = await readBack(entry, baseUrl, agent, authorize);
      if (problem) problems.push(problem);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
  } finally {
    await agent.close();
  }
  const of = (kind: LedgerProblem['kind']): LedgerProblem[] => problems.filter((p) => p.kind === kind);
  return { acknowledged, checked: entries.length, missing: of('missing'), changed: of('changed'), unreadable: of('unreadable'), clean: problems.length === 0 };
}

async function readBack(entry: AcknowledgedWrite, baseUrl: string, dispatcher: Dispatcher, authorize: LedgerAuthorize | undefined): Promise<LedgerProblem | undefined> {
  const base = { resourceType: entry.resourceType, id: entry.id, readPath: entry.readPath, scenario: entry.scenario };
  const url = readUrl(entry.readPath, baseUrl);
  // A saved Location on another host (or scheme/port) is never fetched: it is reported instead.
  if (url === undefined) return { ...base, kind: 'unreadable', detail: `refused: ${JSON.stringify(entry.readPath)} is not on the target ${new URL(baseUrl).origin}; not fetched` };
  const auth = authorize ? await authorize(entry.scenario) : { ok: true as const, headers: {} };
  if (!auth.ok) return { ...base, kind: 'unreadable', detail: `no credential to read it back: ${auth.message}` };
  try {
    const res = await request(url, { method: 'GET', dispatcher, headers: { accept: 'application/fhir+json, application/json', ...auth.headers } });
    const text = await res.body.text();
    if (res.statusCode === 404 || res.statusCode === 410) return { ...base, kind: 'missing', detail: `read back ${res.statusCode}` };
    if (res.statusCode !== 200) return { ...base, kind: 'unreadable', detail: `read back ${res.statusCode}` };
    const changes = changedFields(entry.keyFields, JSON.parse(text) as unknown, entry.compare);
    return changes.length > 0 ? { ...base, kind: 'changed', detail: describeChanges(changes), changes } : undefined;
  } catch (err) {
    if (isCodeblueError(err)) return { ...base, kind: 'unreadable', detail: `refused: ${err.message}; not fetched` };
    return { ...base, kind: 'unreadable', detail: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

/** The read-back URL, or undefined when `readPath` (a saved Location) points off the target's origin. */
function readUrl(readPath: string, baseUrl: string): URL | undefined {
  try {
    const url = new URL(readPath, baseUrl);
    return url.origin === new URL(baseUrl).origin ? url : undefined;
  } catch {
    return undefined;
  }
}
