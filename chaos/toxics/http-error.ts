/**
 * @module chaos/toxics: codeblue `http_error` (embedded server, `protocol: http` proxies only): answers a matching
 * request with `status` (and `body`, `Retry-After`) instead of forwarding it; drawn per request with `probability`.
 */
import { HTTP_MATCH_FIELDS, requestMatches } from './http-match.js';
import { defineToxic, field, passThrough } from './toxic.js';

export const httpError = defineToxic({
  type: 'http_error',
  fields: [
    field('status', 'int', 503, { kind: 'int', min: 100, max: 599, default: 503 }),
    field('body', 'string', '', { kind: 'string' }),
    field('retry_after', 'int', 0, { kind: 'int', min: 0 }),
    ...HTTP_MATCH_FIELDS,
  ],
  bufferSize: 0,
  needsHttp: true,
  // The byte stream is untouched: the fault acts on whole requests through `http`.
  pipe: (_a, stub) => passThrough(stub),
  http(a, request, random) {
    if (!requestMatches(a, request, random)) return undefined;
    const status = a.status >= 100 && a.status <= 599 ? a.status : 503;
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'x-codeblue-fault': 'http_error' };
    if (a.retry_after > 0) headers['retry-after'] = String(a.retry_after);
    return { kind: 'respond', status, body: a.body, headers };
  },
});
