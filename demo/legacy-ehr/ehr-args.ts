/** @module demo/legacy-ehr: flags (and env) of the legacy EHR process. */
import { parseArgs } from 'node:util';
import { DemoUsageError, parseHostPort, parseNumber, pick } from '../config/flags.js';
import type { LegacyEhrOptions } from './ehr-service.js';

/** Parses `--listen --health-port --delay-ms --jitter-ms --malformed-rate --fhir-feed --feed-mode` (env DEMO_EHR_LISTEN, DEMO_EHR_HEALTH_PORT, DEMO_EHR_DELAY_MS, DEMO_EHR_JITTER_MS, DEMO_EHR_MALFORMED_RATE, DEMO_EHR_FHIR_FEED, DEMO_EHR_FEED_MODE). */
export function parseLegacyEhrArgs(argv: readonly string[]): LegacyEhrOptions {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: { listen: { type: 'string' }, 'health-port': { type: 'string' }, 'delay-ms': { type: 'string' }, 'jitter-ms': { type: 'string' }, 'malformed-rate': { type: 'string' }, 'fhir-feed': { type: 'string' }, 'feed-mode': { type: 'string' } },
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (err) {
    throw new DemoUsageError((err as Error).message, 'flags: --listen host:port --health-port N --delay-ms N --jitter-ms N --malformed-rate 0..1 --fhir-feed URL --feed-mode outbox|inline');
  }
  const feedUrl = pick(values['fhir-feed'], 'DEMO_EHR_FHIR_FEED', '');
  const feedMode = pick(values['feed-mode'], 'DEMO_EHR_FEED_MODE', 'outbox');
  if (feedMode !== 'outbox' && feedMode !== 'inline') throw new DemoUsageError(`--feed-mode must be outbox or inline, but is "${feedMode}"`, 'outbox: queued and retried until stored (hardened); inline: one attempt (fragile)');
  if (feedUrl !== '' && !/^https?:\/\/[^/]+/.test(feedUrl)) throw new DemoUsageError(`--fhir-feed must be an http(s) URL of a FHIR base, but is "${feedUrl}"`, 'e.g. --fhir-feed http://127.0.0.1:8080/fhir');
  return {
    ...(feedUrl === '' ? {} : { fhirFeed: { baseUrl: feedUrl, mode: feedMode } }),
    listen: parseHostPort(pick(values.listen, 'DEMO_EHR_LISTEN', '127.0.0.1:7001'), '--listen'),
    healthPort: parseNumber(pick(values['health-port'], 'DEMO_EHR_HEALTH_PORT', '0'), '--health-port', 65535),
    delayMs: parseNumber(pick(values['delay-ms'], 'DEMO_EHR_DELAY_MS', '40'), '--delay-ms', 600_000),
    jitterMs: parseNumber(pick(values['jitter-ms'], 'DEMO_EHR_JITTER_MS', '30'), '--jitter-ms', 600_000),
    malformedRate: parseNumber(pick(values['malformed-rate'], 'DEMO_EHR_MALFORMED_RATE', '0.01'), '--malformed-rate', 1, true),
  };
}
