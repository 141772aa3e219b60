/**
 * @module scenarios/auth/testing: a real OAuth 2.0 server (`oidc-provider`: client_credentials, private_key_jwt
 * and client_secret_basic, JWT access tokens of a short life) in front of a FHIR-ish endpoint that accepts only
 * bearer tokens verified with jose against the provider's own JWKS. For the auth tests; nothing here is mocked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, exportJWK, exportPKCS8, generateKeyPair, jwtVerify, type JWK } from 'jose';
import Provider from 'oidc-provider';

const FHIR_AUDIENCE = 'urn:codeblue:test-fhir';
export const SECRET_CLIENT = { id: 'codeblue-secret', secret: 'cb-test-client-secret-8f3a1c' } as const;

export interface OAuthStack {
  /** The FHIR endpoint (answers `/fhir/...` with a bearer token; `/fhir/.well-known/smart-configuration` and `/health` without). */
  readonly fhirBaseUrl: string;
  readonly issuer: string;
  readonly tokenUrl: string;
  /** The SMART client's private key, PKCS#8 PEM (RS384), and its JWK form with a kid. */
  readonly privateKeyPem: string;
  readonly privateJwk: JWK;
  readonly clientId: string;
  /** Distinct bearer tokens the FHIR endpoint accepted, and how many requests it refused with 401. */
  readonly acceptedTokens: Set<string>;
  readonly refused: { count: number };
  readonly fhirRequests: { count: number };
  /** Requests to refuse with 401 whatever their token (a token revoked early); counts down. */
  readonly refuseNext: { count: number };
  close(): Promise<void>;
}

export async function startOAuthStack(opts: { tokenLifeS: number }): Promise<OAuthStack> {
  const client = await generateKeyPair('RS384', { extractable: true });
  const publicJwk = { ...(await exportJWK(client.publicKey)), kid: 'cb-client-1', alg: 'RS384', use: 'sig' };
  const privateJwk = { ...(await exportJWK(client.privateKey)), kid: 'cb-client-1', alg: 'RS384' };
  const serverKey = await generateKeyPair('RS256', { extractable: true });
  const serverJwk = { ...(await exportJWK(serverKey.privateKey)), kid: 'op-1', alg: 'RS256', use: 'sig' };

  const opServer = createServer();
  const issuer = await listen(opServer);
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'codeblue-smart', token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'RS384', jwks: { keys: [publicJwk] }, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'system/*.read' },
      { client_id: SECRET_CLIENT.id, client_secret: SECRET_CLIENT.secret, token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'system/*.read' },
    ],
    jwks: { keys: [serverJwk] },
    scopes: ['system/*.read'],
    cookies: { keys: ['codeblue-test-cookie-key'] },
    ttl: { ClientCredentials: opts.tokenLifeS },
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS384', 'ES384'] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => FHIR_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'system/*.read', audience: FHIR_AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: opts.tokenLifeS, jwt: { sign: { alg: 'RS256' } } }),
      },
    },
  });
  opServer.on('request', provider.callback());

  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const acceptedTokens = new Set<string>();
  const refused = { count: 0 };
  const fhirRequests = { count: 0 };
  const refuseNext = { count: 0 };
  const fhir = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/fhir/.well-known/smart-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token_endpoint: `${issuer}/token`, token_endpoint_auth_methods_supported: ['private_key_jwt'] }));
      return;
    }
    if (url.pathname === '/health') {
      res.writeHead(200).end('ok');
      return;
    }
    fhirRequests.count++;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const deny = (): void => {
      refused.count++;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    };
    if (token === undefined) return deny();
    if (refuseNext.count > 0) {
      refuseNext.count--;
      return deny();
    }
    jwtVerify(token, jwks, { issuer, audience: FHIR_AUDIENCE })
      .then(() => {
        acceptedTokens.add(token);
        res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0 }));
      })
      .catch(deny);
  });
  const fhirBaseUrl = await listen(fhir);
  return {
    fhirBaseUrl, issuer, tokenUrl: `${issuer}/token`, clientId: 'codeblue-smart',
    privateKeyPem: await exportPKCS8(client.privateKey), privateJwk,
    acceptedTokens, refused, fhirRequests, refuseNext,
    close: async () => {
      await Promise.all([opServer, fhir].map((s) => new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      })));
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
