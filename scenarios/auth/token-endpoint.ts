/** @module scenarios/auth: one OAuth token request (RFC 6749 §5) over a guarded connection; failures come back as data. */
import { request, type Dispatcher } from 'undici';

/** A token the endpoint issued. `value` is a secret: it goes in a header and nowhere else. */
interface IssuedToken {
  readonly value: string;
  /** Life from issue, ms (`expires_in`); undefined when the server did not say. */
  readonly lifeMs: number | undefined;
}

/** Why no token came back: a short code and a message that quotes no secret. */
export interface TokenFailure {
  readonly code: string;
  readonly message: string;
}

export type TokenOutcome = { readonly ok: true; readonly token: IssuedToken } | { readonly ok: false; readonly failure: TokenFailure };

export interface TokenRequest {
  readonly url: string;
  readonly form: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** POSTs the form and reads `access_token` / `expires_in`; never rejects. */
export async function requestToken(req: TokenRequest): Promise<TokenOutcome> {
  const body = new URLSearchParams(req.form).toString();
  try {
    const res = await request(req.url, {
      method: 'POST', body, dispatcher: req.dispatcher, headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs, signal: req.signal,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...req.headers },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return fail(`HTTP_${res.statusCode}`, `token endpoint ${req.url} answered ${res.statusCode}${oauthError(text)}`);
    const doc = parseJson(text);
    const value = doc?.access_token;
    if (typeof value !== 'string' || value === '') return fail('NO_TOKEN', `token endpoint ${req.url} answered 200 without an access_token`);
    const expires = doc?.expires_in;
    return { ok: true, token: { value, lifeMs: typeof expires === 'number' && expires > 0 ? expires * 1000 : undefined } };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
    // undici's messages name the URL and the errno, never a header or body.
    return fail(code, `token endpoint ${req.url} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The `error` of an RFC 6749 §5.2 error body, and its description cut short; a token-shaped text is never quoted. */
function oauthError(text: string): string {
  const doc = parseJson(text);
  if (typeof doc?.error !== 'string') return '';
  const description = typeof doc.error_description === 'string' ? doc.error_description.slice(0, 160) : '';
  const safe = /eyJ[\w-]+\.|[A-Za-z0-9+/_-]{40,}/.test(description) ? '' : description;
  return ` (${doc.error.slice(0, 60)}${safe === '' ? '' : `: ${safe}`})`;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const fail = (code: string, message: string): TokenOutcome => ({ ok: false, failure: { code, message } });
