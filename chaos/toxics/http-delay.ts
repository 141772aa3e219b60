/**
 * @module chaos/toxics: codeblue `http_delay` (embedded server, `protocol: http` proxies only): holds a matching
 * request `delay` ± `jitter` ms before forwarding it, so the response headers come late; drawn per request.
 */
import { randomInt } from '../rng.js';
import { HTTP_MATCH_FIELDS, requestMatches } from './http-match.js';
import { defineToxic, intField, passThrough } from './toxic.js';

export const httpDelay = defineToxic({
  type: 'http_delay',
  fields: [intField('delay'), intField('jitter'), ...HTTP_MATCH_FIELDS],
  bufferSize: 0,
  needsHttp: true,
  pipe: (_a, stub) => passThrough(stub),
  http(a, request, random) {
    if (!requestMatches(a, request, random)) return undefined;
    const jitter = a.jitter > 0 ? randomInt(random, 2 * a.jitter) - a.jitter : 0;
    return { kind: 'delay', ms: Math.max(0, a.delay + jitter) };
  },
});
