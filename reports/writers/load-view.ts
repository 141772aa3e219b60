/**
 * @module reports/writers: which events a report leads with — HTTP requests, or the HL7 messages of `mllp` steps
 * when the run sent messages and no request — and the words each renderer uses for them.
 */
import type { EndpointRow, PhaseTable, Resilience, RunResults } from '../results/types.js';

/** How a report names one event kind's figures. */
interface LoadWords {
  /** "requests" / "HL7 messages". */
  readonly events: string;
  /** Column and tile label of the failed share. */
  readonly failed: string;
  /** Prefix of latency labels: "" for HTTP (p95), "ACK " for HL7 (ACK p95). */
  readonly latency: string;
  /** Per-second unit. */
  readonly rate: string;
}

/** One event kind's figures, as the writers read them. */
export interface LoadView {
  readonly kind: 'http' | 'hl7';
  readonly words: LoadWords;
  readonly phaseTables: readonly PhaseTable[];
  /** The `run` scope's total row. */
  readonly total: EndpointRow | undefined;
  readonly resilience: Resilience;
}

const HTTP_WORDS: LoadWords = { events: 'requests', failed: 'error rate', latency: '', rate: 'req/s' };
const HL7_WORDS: LoadWords = { events: 'HL7 messages', failed: 'failed', latency: 'ACK ', rate: 'msg/s' };

const runTotal = (tables: readonly PhaseTable[]): EndpointRow | undefined => tables.find((t) => t.scope === 'run')?.total;

/**
 * `primary`: what the headline, fault table, glance and charts lead with — HL7 when the run sent HL7 messages and
 * no HTTP request, else HTTP (as before HL7 existed). `hl7`: the HL7 figures shown beside HTTP in a mixed run.
 */
export function loadViews(r: Pick<RunResults, 'phaseTables' | 'resilience' | 'hl7'>): { readonly primary: LoadView; readonly hl7?: LoadView } {
  const http: LoadView = { kind: 'http', words: HTTP_WORDS, phaseTables: r.phaseTables, total: runTotal(r.phaseTables), resilience: r.resilience };
  const h = r.hl7;
  if (!h || (runTotal(h.phaseTables)?.count ?? 0) === 0) return { primary: http };
  const hl7: LoadView = { kind: 'hl7', words: HL7_WORDS, phaseTables: h.phaseTables, total: runTotal(h.phaseTables), resilience: h.resilience };
  return (http.total?.count ?? 0) === 0 ? { primary: hl7 } : { primary: http, hl7 };
}
