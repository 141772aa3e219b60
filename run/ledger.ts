/**
 * @module run: the acknowledged-write ledger — every write the target acknowledged (2xx with an id) is read back
 * after recovery; one that is missing or changed is data loss.
 */
import { createHash } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { TraceIdSet } from '../collectors/index.js';
import { isCodeblueError, LOOPBACK_GUARD, type NetGuard, type Sink } from '../core/index.js';
import { SecondsSpill } from '../core/metrics/index.js';
import { confirmBatch, planBatches } from './ledger-batch.js';
import { createReservoir } from './ledger-reservoir.js';
import type { AcknowledgedWrite, LedgerAuthorize } from './ledger-types.js';
import { changedFields, describeChanges, type FieldChange } from './ledger-compare.js';

export type { AcknowledgedWrite } from './ledger-types.js';

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
  /** Which acknowledged writes were read back (`Ledger.rule`): all of them, or a sample once there were too many. */
  readonly rule?: string;
}

/** What the run keeps of its acknowledged writes, and how it gives them back for the read-back. */
export interface Ledger extends Sink<AcknowledgedWrite> {
  entries(): readonly AcknowledgedWrite[];
  /** Every acknowledgement counted, kept or not. */
  total(): number;
  /** Which writes are read back, in one sentence (results.json, the report). */
  rule(): string;
}

/**
 * Collects acknowledged writes: every one while at most `limit` resources were written (the plan's `ledger.maxRecords`;
 * a soak at 300 requests/s acknowledges ~2,300 a minute), then a uniform random sample of `limit` across the whole run
 * (ledger-reservoir.ts; seeded by `seed`), each at its latest acknowledgement. A write is held as one string of its
 * values, its field names once per shape (a step writes the same fields each time), keyed by a 128-bit hash of
 * `Type/id`. With `spillPath` (the run folder) the strings go to a gzip ndjson file and memory holds only the hashes
 * (~2 MB for 50 000, where the strings took ~13 MB); `entries()` reads them back, the same list as in memory.
 */
export function createLedger(limit: number, options: { readonly spillPath?: string; readonly seed?: number } = {}): Ledger {
  const shapes = createShapes();
  const reservoir = createReservoir(limit, options.seed);
  // A soak fills the cap over many minutes; doubling would climb (and churn) all that time.
  const held = TraceIdSet.sizedFor(limit);
  const slots = new Uint8Array(limit * HASH_BYTES);
  // hash → packed write: as they come in memory; after the read-back when spilled.
  const kept = new Map<string, string>();
  let spill: SecondsSpill | undefined = options.spillPath === undefined ? undefined : new SecondsSpill(options.spillPath);
  let total = 0;
  const keep = (hash: string, text: string, fresh: boolean): void => {
    // A resource kept again after it was replaced takes its new place, as a Map keeps a key deleted and set again.
    if (fresh) kept.delete(hash);
    kept.set(hash, text);
  };
  const put = (hash: string, entry: AcknowledgedWrite, fresh: boolean): void => {
    const text = packWrite(entry, shapes);
    if (spill) spill.append([hash, text, fresh ? 1 : 0]);
    else keep(hash, text, fresh);
  };
  return {
    add(entry) {
      total += 1;
      const digest = createHash('md5').update(`${entry.resourceType}/${entry.id}`).digest();
      const hash = digest.toString('hex');
      // The latest acknowledgement of a resource wins (an update after a create).
      if (held.has(hash)) return put(hash, entry, false);
      const filled = reservoir.filled;
      const slot = reservoir.offer();
      if (slot < 0) return;
      if (slot < filled) {
        const replaced = Buffer.from(slots.subarray(slot * HASH_BYTES, (slot + 1) * HASH_BYTES)).toString('hex');
        held.delete(replaced);
        // Spilled, its lines stay in the file and the read-back passes over them.
        kept.delete(replaced);
      }
      slots.set(digest, slot * HASH_BYTES);
      held.add(hash);
      put(hash, entry, true);
    },
    entries() {
      if (spill) {
        spill.forEach<[string, string, number]>(([hash, text, fresh]) => {
          if (held.has(hash)) keep(hash, text, fresh === 1);
        });
        // The ledger holds them in memory now, and the file (the target's key fields) leaves the run folder.
        spill.remove();
        spill = undefined;
      }
      return [...kept.values()].map((text) => unpackWrite(text, shapes));
    },
    total: () => total,
    rule: () => (reservoir.sampled
      ? `a uniform random sample across the whole run: ${reservoir.filled} resources of ${total} acknowledged writes (ledger.maxRecords: ${limit}; drawn with the plan's seed), each at its latest acknowledgement`
      : `every acknowledged write, each resource at its latest acknowledgement (${reservoir.filled} resources of ${total} acknowledged writes)`),
  };
}

/** An md5 digest of `Type/id`: the id of a kept resource. */
const HASH_BYTES = 16;

/** Separators that do not occur in what they separate (JSON-encoded values escape control characters). */
const FIELD = '\u0000';
const LIST = '\u0001';
/** Marks a write packed as JSON: one whose strings hold a separator, or with an empty name or compare list. */
const AS_JSON = '\u0002';
const SEPARATOR_LIKE = /[\u0000-\u0002]/;

/** Field-name lists (and compare lists) by index: a handful per plan. */
function createShapes(): { id(names: string): number; names(id: number): string } {
  const index = new Map<string, number>();
  const list: string[] = [];
  return {
    id(names) {
      let i = index.get(names);
      if (i === undefined) index.set(names, (i = list.push(names) - 1));
      return i;
    },
    names: (i) => list[i] as string,
  };
}

/** Only the fields the read-back uses (the engine's entry also carries its step and trace id). */
function packWrite(e: AcknowledgedWrite, shapes: ReturnType<typeof createShapes>): string {
  const names = Object.keys(e.keyFields);
  const strings = [e.scenario, e.resourceType, e.id, e.readPath, ...names, ...Object.values(e.keyFields), ...(e.compare ?? [])];
  // HL7 messages (existsOnly, withinMs) have no key fields, so they take this path too.
  if (names.length === 0 || names.includes('') || e.compare?.length === 0 || e.compare?.includes('') || e.existsOnly || e.withinMs !== undefined || strings.some((x) => SEPARATOR_LIKE.test(x))) {
    const { at, scenario, resourceType, id, readPath, keyFields, compare, existsOnly, withinMs } = e;
    return AS_JSON + JSON.stringify({ at, scenario, resourceType, id, readPath, keyFields, ...(compare ? { compare } : {}), ...(existsOnly ? { existsOnly } : {}), ...(withinMs !== undefined ? { withinMs } : {}) });
  }
  const compare = e.compare ? String(shapes.id(e.compare.join(LIST))) : '';
  return [String(e.at), e.scenario, e.resourceType, e.id, e.readPath, String(shapes.id(names.join(LIST))), compare, ...names.map((n) => e.keyFields[n] as string)].join(FIELD);
}

function unpackWrite(text: string, shapes: ReturnType<typeof createShapes>): AcknowledgedWrite {
  if (text.startsWith(AS_JSON)) return JSON.parse(text.slice(1)) as AcknowledgedWrite;
  const [at, scenario, resourceType, id, readPath, shape, compare, ...values] = text.split(FIELD) as [string, string, string, string, string, string, string, ...string[]];
  const names = shapes.names(Number(shape));
  const keyFields = Object.fromEntries(names.split(LIST).map((n, i) => [n, values[i] as string]));
  return { at: Number(at), scenario, resourceType, id, readPath, keyFields, ...(compare === '' ? {} : { compare: shapes.names(Number(compare)).split(LIST) }) };
}

/** Pause between read-back rounds of entries that may still arrive (`withinMs`). */
const RETRY_EVERY_MS = 1000;

/** What else a read-back needs: a stop signal, and the credential of the scenario that wrote (an API that wants tokens). */
export interface VerifyLedgerOptions {
  readonly signal?: AbortSignal;
  readonly authorize?: LedgerAuthorize;
}

/**
 * Reads every write back through `baseUrl`, a few at a time, and compares its key fields: plain FHIR reads are first
 * confirmed up to 100 at a time by an `_id` search, and whatever a search did not return unchanged is read on its own
 * (ledger-batch.ts), so each problem is what the write's own read said. Entries with `withinMs`
 * (asynchronous feeds) that are missing or unreadable are read again each second until their time is up.
 */
export async function verifyLedger(entries: readonly AcknowledgedWrite[], baseUrl: string, acknowledged = entries.length, concurrency = 8, guard: NetGuard = LOOPBACK_GUARD, options: VerifyLedgerOptions = {}): Promise<LedgerResult> {
  // Read-backs connect through the guard (checked at connect time, every connection).
  const agent = guard.withKey('target.baseUrl (ledger read-back)').agent({ connections: concurrency, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const startedAt = performance.now();
  let problems: { entry: AcknowledgedWrite; problem: LedgerProblem }[] = [];
  try {
    let round: readonly AcknowledgedWrite[] = entries;
    for (;;) {
      const again = new Set(round);
      problems = [...problems.filter((p) => !again.has(p.entry)), ...(await readAll(round, baseUrl, agent, concurrency, options.authorize))];
      const waited = performance.now() - startedAt;
      round = problems.filter((p) => p.problem.kind !== 'changed' && (p.entry.withinMs ?? 0) > waited).map((p) => p.entry);
      if (round.length === 0 || options.signal?.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    }
  } finally {
    await agent.close();
  }
  return resultOf(problems.map((p) => p.problem), acknowledged, entries.length);
}

/** Confirms what batches can (ledger-batch.ts), then reads every other write on its own, `concurrency` at a time. */
async function readAll(entries: readonly AcknowledgedWrite[], baseUrl: string, agent: Dispatcher, concurrency: number, authorize: LedgerAuthorize | undefined): Promise<{ entry: AcknowledgedWrite; problem: LedgerProblem }[]> {
  const { batches } = planBatches(entries, baseUrl);
  const confirmed = new Set<AcknowledgedWrite>();
  await pool(batches, concurrency, async (batch) => {
    for (const entry of await confirmBatch(batch, agent, authorize)) confirmed.add(entry);
  });
  const problems: { entry: AcknowledgedWrite; problem: LedgerProblem }[] = [];
  await pool(entries.filter((e) => !confirmed.has(e)), concurrency, async (entry) => {
    const problem = await readBack(entry, baseUrl, agent, authorize);
    if (problem) problems.push({ entry, problem });
  });
  return problems;
}

/** Runs `work` on each item, at most `concurrency` at once. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function resultOf(problems: readonly LedgerProblem[], acknowledged: number, checked: number): LedgerResult {
  const of = (kind: LedgerProblem['kind']): LedgerProblem[] => problems.filter((p) => p.kind === kind);
  return { acknowledged, checked, missing: of('missing'), changed: of('changed'), unreadable: of('unreadable'), clean: problems.length === 0 };
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
    if (entry.existsOnly) return isEmptySearch(JSON.parse(text) as unknown) ? { ...base, kind: 'missing', detail: 'read back an empty search Bundle' } : undefined;
    const changes = changedFields(entry.keyFields, JSON.parse(text) as unknown, entry.compare);
    return changes.length > 0 ? { ...base, kind: 'changed', detail: describeChanges(changes), changes } : undefined;
  } catch (err) {
    if (isCodeblueError(err)) return { ...base, kind: 'unreadable', detail: `refused: ${err.message}; not fetched` };
    return { ...base, kind: 'unreadable', detail: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

/** A `searchset` Bundle without entries: a read-back by search that found nothing. */
function isEmptySearch(doc: unknown): boolean {
  const b = doc as { resourceType?: unknown; type?: unknown; entry?: unknown };
  return b !== null && typeof b === 'object' && b.resourceType === 'Bundle' && b.type === 'searchset' && (!Array.isArray(b.entry) || b.entry.length === 0);
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
