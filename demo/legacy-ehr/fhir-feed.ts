/**
 * @module demo/legacy-ehr: the EHR's outbound feed — each admit it acknowledged (ADT^A01 from a system other than
 * fhir-api) becomes a Patient + Encounter in the FHIR API, as one transaction of idempotent PUTs.
 * `outbox` (hardened): queued before the ACK, retried with capped exponential backoff until delivered.
 * `inline` (fragile): one attempt after the ACK; a failure loses the admit (counted in `lost`).
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** What an acknowledged admit carries downstream. */
interface FeedAdmit {
  /** MSH-10 of the ADT^A01: the Encounter is filed as `Encounter/hl7-<controlId>`. */
  readonly controlId: string;
  /** PID-3.1; the Patient is filed as `Patient/mrn-<identifier>`. */
  readonly patientIdentifier: string;
  readonly family: string;
  readonly given: string;
  /** PID-7 `YYYYMMDD`, may be empty. */
  readonly birthDate: string;
  /** PID-8 `M|F|O|U`, may be empty. */
  readonly sex: string;
  /** PV1-19 visit number, may be empty. */
  readonly visitNumber: string;
}

export interface FhirFeedOptions {
  /** FHIR base, e.g. `http://127.0.0.1:8080/fhir`. */
  readonly baseUrl: string;
  readonly mode: 'outbox' | 'inline';
  /** Outbox bound: admits beyond it are refused (the EHR answers AE), never dropped after an ACK. */
  readonly maxPending?: number;
}

export interface FhirFeed {
  /** Takes an admit; false when the outbox is full (the caller must not acknowledge it). */
  offer(admit: FeedAdmit): boolean;
  stats(): { readonly pending: number; readonly delivered: number; readonly retries: number; readonly lost: number };
  stop(): Promise<void>;
}

const WORKERS = 4;
const ATTEMPT_TIMEOUT_MS = 5000;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 3000;

/** A FHIR id from free text: `[A-Za-z0-9.-]`, at most 64 characters. */
const fhirId = (prefix: string, text: string): string => `${prefix}-${text.replace(/[^A-Za-z0-9.-]/g, '-')}`.slice(0, 64);

function transactionOf(a: FeedAdmit): unknown {
  const patientId = fhirId('mrn', a.patientIdentifier);
  const birth = /^\d{8}$/.test(a.birthDate) ? `${a.birthDate.slice(0, 4)}-${a.birthDate.slice(4, 6)}-${a.birthDate.slice(6, 8)}` : undefined;
  const gender = ({ M: 'male', F: 'female', O: 'other', U: 'unknown' } as Record<string, string>)[a.sex];
  const patient = {
    resourceType: 'Patient', id: patientId, identifier: [{ system: 'urn:demo:legacy-ehr:mrn', value: a.patientIdentifier }],
    name: [{ family: a.family, given: a.given ? [a.given] : [] }], ...(birth ? { birthDate: birth } : {}), ...(gender ? { gender } : {}),
  };
  const encounter = {
    resourceType: 'Encounter', id: fhirId('hl7', a.controlId), status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }, subject: { reference: `Patient/${patientId}` },
    identifier: [{ system: 'urn:demo:legacy-ehr:visit', value: a.visitNumber || a.controlId }],
  };
  return {
    resourceType: 'Bundle', type: 'transaction',
    entry: [patient, encounter].map((r) => ({ resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id}` } })),
  };
}

/** One delivery attempt: true when the FHIR API stored both resources. */
async function deliver(baseUrl: string, admit: FeedAdmit): Promise<boolean> {
  try {
    const res = await fetch(baseUrl, {
      method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(transactionOf(admit)),
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Starts the feed; its workers run until `stop()`. */
export function startFhirFeed(options: FhirFeedOptions): FhirFeed {
  const queue: FeedAdmit[] = [];
  const maxPending = options.maxPending ?? 100_000;
  const stopping = new AbortController();
  let delivered = 0;
  let retries = 0;
  let lost = 0;
  let inFlight = 0;
  const idle: (() => void)[] = [];
  const inline = new Set<Promise<void>>();

  const worker = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      const admit = queue.shift();
      if (admit === undefined) {
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      inFlight += 1;
      // Full-jitter exponential backoff (AWS architecture blog), capped: the admit stays in the outbox until stored.
      for (let attempt = 0; !stopping.signal.aborted; attempt++) {
        if (await deliver(options.baseUrl, admit)) {
          delivered += 1;
          break;
        }
        retries += 1;
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt), undefined, { signal: stopping.signal }).catch(() => undefined);
      }
      inFlight -= 1;
    }
  };
  const workers = options.mode === 'outbox' ? Array.from({ length: WORKERS }, () => worker()) : [];

  return {
    offer(admit) {
      if (options.mode === 'inline') {
        const p = deliver(options.baseUrl, admit).then((ok) => void (ok ? (delivered += 1) : (lost += 1)));
        inline.add(p);
        void p.finally(() => inline.delete(p));
        return true;
      }
      if (queue.length >= maxPending) return false;
      queue.push(admit);
      idle.shift()?.();
      return true;
    },
    stats: () => ({ pending: queue.length + inFlight, delivered, retries, lost }),
    async stop() {
      stopping.abort();
      // Wake every idle worker so it sees the abort.
      for (const resolve of idle.splice(0)) resolve();
      await Promise.all([...workers, ...inline]);
    },
  };
}
