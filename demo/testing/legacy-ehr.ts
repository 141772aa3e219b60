/** @module demo/testing: the legacy EHR in-process on ephemeral ports, answering every message at once, for e2e drills. */
import { startLegacyEhr, type LegacyEhr } from '../legacy-ehr/ehr-service.js';
import type { FhirFeedOptions } from '../legacy-ehr/fhir-feed.js';

export type { LegacyEhr };

/** Starts the EHR's MLLP listener and health endpoint on 127.0.0.1 (ports 0), no delay, no malformed replies; `fhirFeed`: admits go on to a FHIR API. */
export function startTestLegacyEhr(fhirFeed?: FhirFeedOptions): Promise<LegacyEhr> {
  return startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0, ...(fhirFeed ? { fhirFeed } : {}) });
}
