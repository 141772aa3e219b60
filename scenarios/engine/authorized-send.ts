/** @module scenarios/engine: a request with the scenario's credential — fetched before sending, refreshed once after a 401. */
import type { AuthHeader } from '../auth/auth-session.js';
import type { HttpRequest, HttpResponse } from './http-client.js';
import type { ScenarioRuntime } from './iteration.js';

/**
 * The header this request carries: undefined when the scenario has no auth, false when no credential could
 * be had (the failure is counted as an iteration error and the request is not sent — never a target failure).
 */
export async function authorize(rt: ScenarioRuntime, signal: AbortSignal): Promise<AuthHeader | undefined | false> {
  if (rt.auth === undefined) return undefined;
  try {
    const got = await rt.auth.current(signal);
    if (got.ok) return got.header;
    rt.noteError(got.message);
  } catch {
    // Interrupted while waiting out a back-off: the run is stopping.
  }
  return false;
}

/** Sends with the header; a 401 drops that token, and the request goes once more with a fresh one (counted in `auth_retries`). */
export async function sendAuthorized(rt: ScenarioRuntime, req: HttpRequest, header: AuthHeader | undefined, signal: AbortSignal): Promise<HttpResponse> {
  if (header === undefined || rt.auth === undefined) return rt.client.send(req, signal);
  const res = await rt.client.send(withHeader(req, header), signal);
  if (res.status !== 401 || signal.aborted) return res;
  rt.auth.invalidate(header.value);
  const fresh = await authorize(rt, signal);
  if (fresh === false || fresh === undefined || fresh.value === header.value || !rt.takeRequest()) return res;
  rt.noteAuthRetry();
  return rt.client.send(withHeader(req, fresh), signal);
}

const withHeader = (req: HttpRequest, h: AuthHeader): HttpRequest => ({ ...req, headers: { ...req.headers, [h.name]: h.value } });
