/**
 * @module demo/smart-auth: POST /auth/token — SMART Backend Services (client_credentials with a `private_key_jwt`
 * assertion, RS384/ES384): the assertion is checked against the client's registered public keys, once per `jti`.
 */
import type http from 'node:http';
import { decodeJwt, jwtVerify } from 'jose';
import type { AccessTokens } from './access-tokens.js';
import type { ClientRegistry } from './clients.js';
import { grantableScopes } from './scopes.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_FORM_BYTES = 64 * 1024;
/** SMART: an assertion's `exp` is at most five minutes ahead; one minute of clock skew is forgiven. */
const MAX_ASSERTION_LIFE_S = 300;
const SKEW_S = 60;
const MAX_REMEMBERED_JTIS = 200_000;

/** An RFC 6749 §5.2 error. */
class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

/** Handles the token request; `tokenUrls` are the URLs an assertion's `aud` may name (this endpoint's). */
export function createTokenEndpoint(clients: ClientRegistry, tokens: AccessTokens): (req: http.IncomingMessage, res: http.ServerResponse, tokenUrls: readonly string[]) => Promise<void> {
  const seenJtis = new Map<string, number>();
  const remember = (key: string, exp: number): boolean => {
    const now = Date.now() / 1000;
    if ((seenJtis.get(key) ?? 0) > now) return false;
    if (seenJtis.size >= MAX_REMEMBERED_JTIS) for (const [k, e] of seenJtis) if (e <= now) seenJtis.delete(k);
    if (seenJtis.size >= MAX_REMEMBERED_JTIS) throw new OAuthError('temporarily_unavailable', 'too many assertions in flight; retry later');
    seenJtis.set(key, exp + SKEW_S);
    return true;
  };
  return async (req, res, tokenUrls) => {
    try {
      if (req.method !== 'POST') {
        send(res, 405, { error: 'invalid_request', error_description: 'the token endpoint takes POST' }, { allow: 'POST' });
        return;
      }
      const form = await readForm(req);
      if (form.get('grant_type') !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'grant_type must be client_credentials (SMART Backend Services)');
      if (form.get('client_assertion_type') !== JWT_BEARER) throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER}`);
      const assertion = form.get('client_assertion') ?? '';
      const requested = form.get('scope') ?? '';
      if (requested === '') throw new OAuthError('invalid_scope', 'scope is required, e.g. system/*.read');
      const scopes = grantableScopes(requested);
      if (scopes.length === 0) throw new OAuthError('invalid_scope', 'no grantable scope: ask for system/<Type|*>.<read|write|*> or SMART v2 system/<Type|*>.<cruds>');
      const clientId = await verifyAssertion(assertion, clients, tokenUrls, remember);
      const issued = await tokens.issue(clientId, scopes);
      send(res, 200, { access_token: issued.token, token_type: 'bearer', expires_in: issued.expiresIn, scope: scopes.join(' ') });
    } catch (err) {
      if (err instanceof OAuthError) send(res, err.error === 'temporarily_unavailable' ? 503 : 400, { error: err.error, error_description: err.description });
      else send(res, 500, { error: 'server_error', error_description: 'the token endpoint failed' });
    }
  };
}

async function verifyAssertion(assertion: string, clients: ClientRegistry, tokenUrls: readonly string[], remember: (key: string, exp: number) => boolean): Promise<string> {
  let iss: unknown;
  try {
    iss = decodeJwt(assertion).iss;
  } catch {
    throw new OAuthError('invalid_client', 'client_assertion is not a JWT');
  }
  const client = typeof iss === 'string' ? clients.get(iss) : undefined;
  if (!client) throw new OAuthError('invalid_client', `client ${JSON.stringify(String(iss)).slice(0, 80)} is not registered here`);
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, client.keys, { algorithms: ['RS384', 'ES384'], issuer: client.id, subject: client.id, audience: [...tokenUrls], requiredClaims: ['exp', 'jti'], clockTolerance: SKEW_S }));
  } catch (err) {
    // jose's messages name the failed check (signature, aud, exp), never the token.
    throw new OAuthError('invalid_client', `client_assertion refused: ${(err as Error).message}`);
  }
  const exp = payload.exp as number;
  if (exp - Date.now() / 1000 > MAX_ASSERTION_LIFE_S + SKEW_S) throw new OAuthError('invalid_client', 'client_assertion exp is more than five minutes ahead');
  if (!remember(`${client.id} ${String(payload.jti)}`, exp)) throw new OAuthError('invalid_client', 'client_assertion jti was used before (replay)');
  return client.id;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new OAuthError('invalid_request', `the body exceeds ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  // RFC 6749 §5.1: token responses are never cached.
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
