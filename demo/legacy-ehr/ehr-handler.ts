/** @module demo/legacy-ehr: answers ADT^A01 with an ACK and QRY^R02 with ORU^R01 — slowly, sometimes malformed. */
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { controlId, escapeHl7, formatHl7, hl7Timestamp, messageType, mshSegment, parseHl7, requireSegment, type Hl7Message } from '../hl7/message.js';
import { extractTraceContext } from '../hl7/trace-segment.js';
import type { FhirFeed } from './fhir-feed.js';
import { labResultsFor } from './lab-results.js';

/** How unreliable the EHR is. */
export interface EhrBehaviour {
  /** Base reply delay, milliseconds. */
  readonly delayMs: number;
  /** Uniform extra delay in [0, jitterMs], milliseconds. */
  readonly jitterMs: number;
  /** Probability in [0, 1] that a reply is malformed. */
  readonly malformedRate: number;
  /** Random source in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
}

/** What the EHR has seen, for /health and tests. */
export interface EhrState {
  readonly admits: Map<string, { patientId: string; encounterId: string; at: string }>;
  messages: number;
  malformedSent: number;
}

const tracer = trace.getTracer('legacy-ehr-mllp');
let replySeq = 0;

function ack(req: Hl7Message, code: 'AA' | 'AE' | 'AR', text: string): string[][] {
  const trigger = messageType(req).split('^')[1] ?? '';
  return [mshSegment('LEGACY-EHR', 'CODEBLUE-FHIR', `ACK^${trigger}`, `E${++replySeq}`), ['MSA', code, controlId(req), escapeHl7(text)]];
}

function resultsReply(req: Hl7Message): string[][] {
  const qrd = requireSegment(req, 'QRD');
  const patientId = qrd[8] ?? '';
  const now = hl7Timestamp();
  const obx = labResultsFor(patientId).map((r, i) => ['OBX', String(i + 1), 'NM', `${r.loinc}^${escapeHl7(r.display)}^LN`, '', String(r.value), r.unit, '', '', '', '', 'F', '', '', now]);
  return [
    mshSegment('LEGACY-EHR', 'CODEBLUE-FHIR', 'ORU^R01', `E${++replySeq}`),
    ['MSA', 'AA', controlId(req)],
    ['PID', '1', '', `${patientId}^^^DEMO^MR`],
    ['OBR', '1', '', '', 'LABPANEL^Basic lab panel^L', '', '', now],
    ...obx,
  ];
}

/** Deliberate corruption, one of the ways a legacy feed goes wrong. */
function corrupt(segments: string[][], random: () => number): string {
  const text = formatHl7(segments);
  const pick = Math.floor(random() * 3);
  if (pick === 0) return text.slice(0, text.length - Math.ceil((segments.at(-1)?.join('|').length ?? 0) * 0.6)); // last segment cut short
  if (pick === 1) return formatHl7(segments.filter((s) => s[0] !== 'MSA')); // acknowledgement lost
  return formatHl7(segments.map((s, i) => (i === 1 ? ['M$A', ...s.slice(1)] : s))); // garbled segment name
}

/** fhir-api's own admits (it sends them, it already stores the Encounter): never fed back to it. */
const FHIR_API_SENDER = 'CODEBLUE-FHIR';

function answer(req: Hl7Message, state: EhrState, feed: FhirFeed | undefined): string[][] {
  const type = messageType(req);
  if (type.startsWith('ADT^A01')) {
    const pid = requireSegment(req, 'PID');
    const pv1 = requireSegment(req, 'PV1');
    const patientId = (pid[3] ?? '').split('^')[0] ?? '';
    const encounterId = pv1[19] ?? '';
    if (feed !== undefined && req.segments[0]?.[2] !== FHIR_API_SENDER) {
      const [family = '', given = ''] = (pid[5] ?? '').split('^');
      // Queued before the ACK: an AA promises the admit reaches the FHIR API.
      if (!feed.offer({ controlId: controlId(req), patientIdentifier: patientId, family, given, birthDate: pid[7] ?? '', sex: pid[8] ?? '', visitNumber: encounterId })) {
        return ack(req, 'AE', 'outbox full, send again later');
      }
    }
    state.admits.set(encounterId, { patientId, encounterId, at: new Date().toISOString() });
    return ack(req, 'AA', 'admitted');
  }
  if (type.startsWith('QRY^R02')) return resultsReply(req);
  return ack(req, 'AR', `unsupported message type ${type}`);
}

/** Builds the MLLP message handler of the legacy EHR. */
export function createEhrHandler(behaviour: EhrBehaviour, state: EhrState, feed?: FhirFeed): (message: string) => Promise<string> {
  const random = behaviour.random ?? Math.random;
  return async (text) => {
    state.messages += 1;
    let req: Hl7Message;
    try {
      req = parseHl7(text);
    } catch (err) {
      return formatHl7([mshSegment('LEGACY-EHR', 'CODEBLUE-FHIR', 'ACK', `E${++replySeq}`), ['MSA', 'AR', '', escapeHl7((err as Error).message)]]);
    }
    const span = tracer.startSpan(`HL7 ${messageType(req)} receive`, { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'hl7v2', 'hl7.message_type': messageType(req), 'hl7.control_id': controlId(req) } }, extractTraceContext(req));
    try {
      const delay = behaviour.delayMs + random() * behaviour.jitterMs;
      if (delay > 0) await sleep(delay);
      let reply: string[][];
      try {
        reply = answer(req, state, feed);
      } catch (err) {
        reply = ack(req, 'AE', (err as Error).message);
      }
      if (behaviour.malformedRate > 0 && random() < behaviour.malformedRate) {
        state.malformedSent += 1;
        span.setAttribute('hl7.malformed_reply', true);
        return corrupt(reply, random);
      }
      return formatHl7(reply);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  };
}
