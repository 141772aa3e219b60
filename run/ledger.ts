/**
 * @module run: the acknowledged-write ledger — every write the target acknowledged (2xx with an id) is read back
 * after recovery; one that is missing or changed is data loss.
 */
import { Agent, request } from 'undici';
import type { Sink } from '../core/index.js';

/** What the load engine records for each acknowledged write (scenarios' `LedgerEntry`, by shape). */
export interface AcknowledgedWrite {
  readonly at: number;
  readonly scenario: string;
  readonly resourceType: string;
  readonly id: string;
  readonly readPath: string;
  readonly keyFields: Readonly<Record<string, string>>;
}

export interface LedgerProblem {
  readonly resourceType: string;
  readonly id: string;
  readonly readPath: string;
  readonly scenario: string;
  /** `missing`: 404/410; `changed`: a key field differs; `unreadable`: no answer or another status. */
  readonly kind: 'missing' | 'changed' | 'unreadable';
  readonly detail: string;
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

/** Reads every write back through `baseUrl`, a few at a time, and compares its key fields. */
export async function verifyLedger(entries: readonly AcknowledgedWrite[], baseUrl: string, acknowledged = entries.length, concurrency = 8): Promise<LedgerResult> {
  const agent = new Agent({ connections: concurrency, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const problems: LedgerProblem[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const entry = entries[next++] as AcknowledgedWrite;
      const problem = await readBack(entry, baseUrl, agent);
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

async function readBack(entry: AcknowledgedWrite, baseUrl: string, dispatcher: Agent): Promise<LedgerProblem | undefined> {
  const base = { resourceType: entry.resourceType, id: entry.id, readPath: entry.readPath, scenario: entry.scenario };
  try {
    const res = await request(new URL(entry.readPath, baseUrl), { method: 'GET', dispatcher, headers: { accept: 'application/fhir+json, application/json' } });
    const text = await res.body.text();
    if (res.statusCode === 404 || res.statusCode === 410) return { ...base, kind: 'missing', detail: `read back ${res.statusCode}` };
    if (res.statusCode !== 200) return { ...base, kind: 'unreadable', detail: `read back ${res.statusCode}` };
    const doc = JSON.parse(text) as unknown;
    const diffs = Object.entries(entry.keyFields)
      .filter(([path]) => path !== 'meta.versionId') // later updates legitimately bump the version
      .filter(([path, expected]) => String(fieldAt(doc, path) ?? '') !== expected)
      .map(([path, expected]) => `${path}: acknowledged ${JSON.stringify(expected)}, now ${JSON.stringify(fieldAt(doc, path) ?? null)}`);
    return diffs.length > 0 ? { ...base, kind: 'changed', detail: diffs.join('; ') } : undefined;
  } catch (err) {
    return { ...base, kind: 'unreadable', detail: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

/** Reads `a.b[0].c`-style paths. */
function fieldAt(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => {
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || node === null || typeof node !== 'object') return undefined;
    const value = (node as Record<string, unknown>)[m[1] as string];
    return m[2] === undefined ? value : Array.isArray(value) ? value[Number(m[2])] : undefined;
  }, doc);
}
