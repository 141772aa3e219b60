/**
 * @module run: what a control room reads of the spans while the run goes — each service's SERVER span latency per
 * second (as the report draws it after the run), and the PHI findings where the collectors scan at ingest.
 */
import { ServiceSeconds, type Collectors, type PhiScanResult, type ServiceSecond } from '../collectors/index.js';

/** OTLP SpanKind SERVER. */
const SERVER = 2;

export interface LiveSpans {
  serviceSeconds(): readonly ServiceSecond[];
  /** Findings so far; undefined when the collectors scan only after the run. */
  phi(): PhiScanResult | undefined;
  stop(): void;
}

/** Follows the collectors' span store from now on; `originEpochMs` is the run clock's 0. */
export function followSpans(collectors: Collectors, originEpochMs: number): LiveSpans {
  const seconds = new ServiceSeconds();
  const stop = collectors.store.onSpan((span) => {
    if (span.kind === SERVER) seconds.add(span.service, span.startEpochMs - originEpochMs, span.durationMs);
  });
  // Collectors that scan each span as it arrives say so with a `phi()` accessor; others scan after the run.
  const scanning = collectors as Collectors & { phi?: () => PhiScanResult | undefined };
  return { serviceSeconds: () => seconds.rows(), phi: () => scanning.phi?.(), stop };
}
