/** @module scenarios/auth: SMART App Launch discovery — `token_endpoint` from `.well-known/smart-configuration`. */
import { request, type Dispatcher } from 'undici';
import type { TokenFailure } from './token-endpoint.js';

/** The discovery document's URL for a FHIR base (`baseUrl` + optional `fhirBase` path). */
export function smartConfigurationUrl(baseUrl: string, fhirBase: string | undefined): string {
  return `${baseUrl.replace(/\/$/, '')}${(fhirBase ?? '').replace(/\/$/, '')}/.well-known/smart-configuration`;
}

/** Reads `token_endpoint`; never rejects. */
export async function discoverTokenUrl(url: string, dispatcher: Dispatcher, timeoutMs: number, signal?: AbortSignal): Promise<{ ok: true; tokenUrl: string } | { ok: false; failure: TokenFailure }> {
  try {
    const res = await request(url, { dispatcher, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal, headers: { accept: 'application/json' } });
    const text = await res.body.text();
    if (res.statusCode !== 200) return { ok: false, failure: { code: `DISCOVERY_HTTP_${res.statusCode}`, message: `SMART discovery ${url} answered ${res.statusCode}; set tokenUrl in the plan` } };
    const doc = JSON.parse(text) as { token_endpoint?: unknown };
    if (typeof doc.token_endpoint !== 'string' || !/^https?:\/\//.test(doc.token_endpoint)) {
      return { ok: false, failure: { code: 'DISCOVERY_INVALID', message: `SMART discovery ${url} has no http(s) token_endpoint; set tokenUrl in the plan` } };
    }
    return { ok: true, tokenUrl: doc.token_endpoint };
  } catch (err) {
    const code = err instanceof SyntaxError ? 'DISCOVERY_INVALID' : ((err as NodeJS.ErrnoException).code ?? 'ERROR');
    return { ok: false, failure: { code, message: `SMART discovery ${url} failed: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
