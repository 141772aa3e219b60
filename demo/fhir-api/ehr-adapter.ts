/** @module demo/fhir-api: the EHR link — MLLP exchange with spans, per preset: timeouts, retries, opossum breaker, bulkhead. */
import CircuitBreaker from 'opossum';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HostPort } from '../config/flags.js';
import { exchangeMllp } from '../hl7/mllp.js';
import { traceSegment } from '../hl7/trace-segment.js';
import { buildAdmit, buildResultsQuery, EhrRejectedError, parseAcknowledged, parseResults, type AdmitInfo, type EhrLabResult } from './ehr-messages.js';
import { retryWithBackoff, type ResilienceSettings } from './resilience.js';

/** State of the EHR link for /health. */
interface EhrLinkStatus {
  readonly address: string;
  readonly breaker: 'closed' | 'open' | 'half-open' | 'off';
  readonly calls: number;
  readonly failures: number;
  readonly lastError?: string;
}

/** What fhir-api asks of the EHR. */
export interface EhrAdapter {
  admit(a: AdmitInfo): Promise<void>;
  labResults(patientId: string): Promise<EhrLabResult[]>;
  status(): EhrLinkStatus;
  shutdown(): void;
}

const tracer = trace.getTracer('fhir-api-ehr-adapter');

/** Creates the adapter for the EHR at `link` (usually a fault proxy in front of it). */
export function createEhrAdapter(link: HostPort, settings: ResilienceSettings): EhrAdapter {
  let calls = 0;
  let failures = 0;
  let lastError: string | undefined;

  // One attempt = one MLLP exchange = one CLIENT span whose context travels in ZTP.
  const attempt = <T>(kind: string, build: (extra: string[][]) => { id: string; text: string }, read: (reply: string, id: string) => T): Promise<T> =>
    tracer.startActiveSpan(`HL7 ${kind} send`, { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'hl7v2', 'hl7.message_type': kind, 'server.address': link.host, 'server.port': link.port } }, async (span) => {
      try {
        const ztp = traceSegment(context.active());
        const msg = build(ztp ? [ztp] : []);
        span.setAttribute('hl7.control_id', msg.id);
        const reply = await exchangeMllp(link, msg.text, settings.ehrAttemptTimeoutMs);
        return read(reply, msg.id);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    });

  const withRetries = <T>(op: () => Promise<T>): Promise<T> =>
    retryWithBackoff(op, {
      isRetryable: (err) => !(err instanceof EhrRejectedError),
      retries: settings.ehrRetries, baseMs: settings.ehrBackoffBaseMs, maxMs: settings.ehrBackoffMaxMs, deadlineAt: settings.ehrDeadlineMs === undefined ? undefined : Date.now() + settings.ehrDeadlineMs,
    });

  const breaker = settings.breaker ? new CircuitBreaker((task: () => Promise<unknown>) => task(), { ...settings.breaker, timeout: false, name: 'ehr-link' }) : null;
  breaker?.on('open', () => process.stderr.write('fhir-api: EHR circuit breaker OPEN\n'));
  breaker?.on('close', () => process.stderr.write('fhir-api: EHR circuit breaker closed\n'));

  const run = async <T>(op: () => Promise<T>): Promise<T> => {
    calls += 1;
    try {
      return breaker ? ((await breaker.fire(() => withRetries(op))) as T) : await withRetries(op);
    } catch (err) {
      failures += 1;
      lastError = (err as Error).message;
      throw err;
    }
  };

  return {
    admit: (a) => run(() => attempt('ADT^A01', (extra) => buildAdmit(a, extra), (reply, id) => void parseAcknowledged(reply, id))),
    labResults: (patientId) => run(() => attempt('QRY^R02', (extra) => buildResultsQuery(patientId, extra), (reply, id) => parseResults(parseAcknowledged(reply, id)))),
    status: () => ({
      address: `${link.host}:${link.port}`,
      breaker: !breaker ? 'off' : breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed',
      calls,
      failures,
      ...(lastError ? { lastError } : {}),
    }),
    shutdown: () => breaker?.shutdown(),
  };
}
