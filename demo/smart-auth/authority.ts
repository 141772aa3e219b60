/**
 * @module demo/smart-auth: the FHIR API's own SMART authorization server and resource guard — discovery at
 * `/fhir/.well-known/smart-configuration`, tokens at `/auth/token`, bearer tokens checked on every other FHIR route.
 */
import type http from 'node:http';
import type { AuthFlags } from '../config/auth-flags.js';
import { createAccessTokens } from './access-tokens.js';
import { createClientRegistry } from './clients.js';
import { allows, neededPermission } from './scopes.js';
import { createTokenEndpoint } from './token-endpoint.js';

export const TOKEN_PATH = '/auth/token';
const REALM = 'codeblue-demo';

/** A refusal: the status, the `WWW-Authenticate` header, and the diagnostics for an OperationOutcome. */
interface AuthRefusal {
  readonly status: 401 | 403;
  readonly code: 'login' | 'expired' | 'security' | 'forbidden';
  readonly diagnostics: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SmartAuthority {
  /** Serves POST /auth/token. */
  handleToken(req: http.IncomingMessage, res: http.ServerResponse, origins: readonly string[]): Promise<void>;
  /** The SMART configuration document for a FHIR server at `origin`. */
  smartConfiguration(origin: string): Record<string, unknown>;
  /** undefined when the request (under /fhir, `parts` after it) may proceed. */
  check(req: http.IncomingMessage, parts: readonly string[]): Promise<AuthRefusal | undefined>;
  /** Facts for the ready line: client ids, token life, the synthetic key file. */
  readonly info: Readonly<Record<string, string | number>>;
  stop(): void;
}

/** Paths under /fhir a client may read without a token (RFC/SMART: discovery and the CapabilityStatement are public). */
const OPEN = new Set(['metadata', '.well-known']);

export async function createSmartAuthority(flags: AuthFlags): Promise<SmartAuthority> {
  const clients = await createClientRegistry(flags);
  const tokens = await createAccessTokens(flags.tokenLifeS);
  const tokenEndpoint = createTokenEndpoint(clients, tokens);
  const refuse = (status: 401 | 403, code: AuthRefusal['code'], diagnostics: string, error?: string, extra = ''): AuthRefusal => ({
    status, code, diagnostics,
    // RFC 6750 §3: no error code when the request carried no token at all.
    headers: { 'www-authenticate': `Bearer realm="${REALM}"${error ? `, error="${error}", error_description="${diagnostics}"${extra}` : ''}` },
  });
  return {
    handleToken: (req, res, origins) => tokenEndpoint(req, res, origins.map((o) => `${o}${TOKEN_PATH}`)),
    smartConfiguration: (origin) => ({
      issuer: `${origin}/auth`,
      token_endpoint: `${origin}${TOKEN_PATH}`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['client_credentials'],
      scopes_supported: ['system/*.read', 'system/*.write', 'system/*.*', 'system/*.rs', 'system/*.cruds'],
      capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
    }),
    async check(req, parts) {
      if (parts.length > 0 && OPEN.has(parts[0] as string)) return undefined;
      const header = req.headers.authorization ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) return refuse(401, 'login', `this FHIR API requires a SMART Backend Services bearer token (POST ${TOKEN_PATH}; see /fhir/.well-known/smart-configuration)`);
      const verdict = await tokens.verify(m[1] as string);
      if (!verdict.ok) return refuse(401, verdict.expired ? 'expired' : 'security', verdict.description, 'invalid_token');
      const need = neededPermission(req.method ?? 'GET', parts);
      if (!allows(verdict.scopes, need.type, need.need)) {
        return refuse(403, 'forbidden', `the token's scopes (${verdict.scopes.join(' ')}) do not allow "${need.need}" on ${need.type}`, 'insufficient_scope', `, scope="system/${need.type}.${need.need}"`);
      }
      return undefined;
    },
    info: { auth: 'smart-backend', clients: clients.ids.join(','), tokenLifeS: flags.tokenLifeS, ...(clients.keyFile ? { clientKeyFile: clients.keyFile } : {}) },
    stop: () => clients.dispose(),
  };
}
