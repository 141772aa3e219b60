/** @module demo/testing: a small FHIR JSON client for tests (fetch, status, headers, parsed body). */

/** A response, parsed. */
export interface FhirResponse {
  readonly status: number;
  readonly headers: Headers;
  // Tests read arbitrary FHIR JSON; a loose record keeps assertions short.
  readonly body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sends one request to `url`; `body` objects are sent as application/fhir+json, strings as-is. */
export async function fhir(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<FhirResponse> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A Patient with a unique family name. */
export function patient(family: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { resourceType: 'Patient', name: [{ family, given: ['Test'] }], gender: 'female', birthDate: '1980-02-03', ...extra };
}
