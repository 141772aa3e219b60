/**
 * @module chaos/toxics: codeblue `http_error` (embedded server, `protocol: http` proxies only): answers a matching
 * request with `status` (and `body`, `Retry-After`) instead of forwarding it; drawn per request with `probability`.
 */
import { HTTP_MATCH_FIELDS, requestMatches, type HttpMatchAttributes } from './http-match.js';
import { defineToxic, passThrough } from './toxic.js';

interface HttpErrorAttributes extends HttpMatchAttributes {
  readonly status: number;
  readonly body: string;
  readonly retry_after: number;
  readonly [key: string]: unknown;
}

export const httpError = defineToxic<HttpErrorAttributes>({
  type: 'http_error',
  fields: [
    { key: 'status', type: 'int', default: 503 },
    { key: 'body', type: 'string', default: '' },
    { key: 'retry_after', type: 'int', default: 0 },
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
