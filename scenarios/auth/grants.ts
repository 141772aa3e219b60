/** @module scenarios/auth: how each auth type gets a credential — SMART backend assertion, client secret, static header. */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Dispatcher } from 'undici';
import { CodeblueError } from '../../core/errors.js';
import { discoverTokenUrl, smartConfigurationUrl } from './discovery.js';
import type { AuthSpec, ClientCredentialsAuth, OAuthSpec, SmartBackendAuth, StaticAuth } from './schema.js';
import { loadSigningKey } from './signing-key.js';
import { requestToken, type TokenOutcome } from './token-endpoint.js';

/** Fetches one credential (an OAuth token, or the static header value); never rejects. */
export interface Grant {
  readonly header: string;
  /** Prefix of the header value (`Bearer ` for OAuth tokens, '' for a static value). */
  readonly scheme: string;
  fetch(signal?: AbortSignal): Promise<TokenOutcome>;
}

export interface GrantDeps {
  /** Where the plan set this auth (`target.auth`, `scenarios.x.auth`), named in errors. */
  readonly planKey: string;
  readonly planDir: string;
  readonly baseUrl: string;
  /** A guarded agent: the token and discovery URLs pass the same net guard as the target. */
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  /** Told every credential value (client secret, static value) so the PHI/secret scan can look for it. */
  readonly noteSecret: (value: string) => void;
}

/** SMART Backend Services asks for an assertion that lives at most five minutes (SMART App Launch 2.x, "Backend Services"). */
const ASSERTION_LIFE_S = 300;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Builds the grant of an auth spec; setup problems (unreadable key, unset variable) throw `CB_AUTH_INVALID`. */
export async function createGrant(spec: Exclude<AuthSpec, { type: 'none' }>, deps: GrantDeps): Promise<Grant> {
  switch (spec.type) {
    case 'smart-backend':
      return smartBackendGrant(spec, deps);
    case 'client-credentials':
      return clientCredentialsGrant(spec, deps);
    case 'static':
      return staticGrant(spec, deps);
  }
}

async function smartBackendGrant(spec: SmartBackendAuth, deps: GrantDeps): Promise<Grant> {
  const signing = await loadSigningKey(spec, deps.planKey, deps.planDir);
  const tokenUrl = tokenUrlResolver(spec, deps);
  return {
    header: 'authorization', scheme: 'Bearer ',
    async fetch(signal) {
      const url = await tokenUrl(signal);
      if (!url.ok) return url;
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: spec.alg, typ: 'JWT', ...(signing.kid === undefined ? {} : { kid: signing.kid }) })
        .setIssuer(spec.clientId).setSubject(spec.clientId).setAudience(url.tokenUrl)
        .setJti(randomUUID()).setIssuedAt(now).setExpirationTime(now + ASSERTION_LIFE_S)
        .sign(signing.key);
      return requestToken({
        url: url.tokenUrl, dispatcher: deps.dispatcher, timeoutMs: deps.timeoutMs, signal,
        form: { grant_type: 'client_credentials', scope: spec.scope, client_assertion_type: JWT_BEARER, client_assertion: assertion },
      });
    },
  };
}

function clientCredentialsGrant(spec: ClientCredentialsAuth, deps: GrantDeps): Grant {
  const secret = requireEnv(spec.secretEnv, `${deps.planKey}.secretEnv`);
  deps.noteSecret(secret);
  const tokenUrl = tokenUrlResolver(spec, deps);
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding.
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(spec.clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  return {
    header: 'authorization', scheme: 'Bearer ',
    async fetch(signal) {
      const url = await tokenUrl(signal);
      if (!url.ok) return url;
      const form: Record<string, string> = { grant_type: 'client_credentials', ...(spec.scope === undefined ? {} : { scope: spec.scope }) };
      if (spec.clientAuth === 'post') Object.assign(form, { client_id: spec.clientId, client_secret: secret });
      return requestToken({ url: url.tokenUrl, form, dispatcher: deps.dispatcher, timeoutMs: deps.timeoutMs, signal, ...(spec.clientAuth === 'basic' ? { headers: { authorization: basic } } : {}) });
    },
  };
}

function staticGrant(spec: StaticAuth, deps: GrantDeps): Grant {
  const value = requireEnv(spec.valueEnv, `${deps.planKey}.valueEnv`);
  deps.noteSecret(value);
  return { header: spec.header.toLowerCase(), scheme: '', fetch: () => Promise.resolve({ ok: true, token: { value, lifeMs: undefined } }) };
}

/** The token URL: the plan's, or discovered once (a failed discovery is tried again on the next fetch). */
function tokenUrlResolver(spec: OAuthSpec, deps: GrantDeps): (signal?: AbortSignal) => Promise<{ ok: true; tokenUrl: string } | Extract<TokenOutcome, { ok: false }>> {
  if (spec.tokenUrl !== undefined) {
    const fixed = { ok: true as const, tokenUrl: spec.tokenUrl };
    return () => Promise.resolve(fixed);
  }
  let found: string | undefined;
  return async (signal) => {
    if (found !== undefined) return { ok: true, tokenUrl: found };
    const d = await discoverTokenUrl(smartConfigurationUrl(deps.baseUrl, spec.fhirBase), deps.dispatcher, deps.timeoutMs, signal);
    if (d.ok) found = d.tokenUrl;
    return d;
  };
}

function requireEnv(name: string, planKey: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new CodeblueError('CB_AUTH_INVALID', `${planKey}: environment variable ${name} is not set`, { hint: `export ${name} before the run (the plan names the variable, never the secret)` });
  }
  return value;
}
