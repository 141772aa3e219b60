/**
 * @module run: what a control room reads of the spans while the run goes — each service's SERVER span latency per
 * second (as the report draws it after the run), and the PHI findings where the collectors scan at ingest.
 */
import { ServiceSeconds, type Collectors, type PhiScanResult, type ServiceSecond } from '../collectors/index.js';

/** OTLP SpanKind SERVER. */
const SERVER = 2;

export interface LiveSpans {
  serviceSeconds(): readonly ServiceSecond[];
  /** Findings so far (the collectors scan each span at ingest); undefined when the plan turns the scan off. */
  phi(): PhiScanResult | undefined;
  stop(): void;
}

/** Follows the collectors' span store from now on; `originEpochMs` is the run clock's 0. */
export function followSpans(collectors: Collectors, originEpochMs: number): LiveSpans {
  const seconds = new ServiceSeconds();
  const stop = collectors.store.onSpan((span) => {
    if (span.kind === SERVER) seconds.add(span.service, span.startEpochMs - originEpochMs, span.durationMs);
  });
  return { serviceSeconds: () => seconds.rows(), phi: () => collectors.phi(), stop };
}
