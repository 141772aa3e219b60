/** @module scenarios/auth: the plan's `auth` slice (on `target`, overridable per scenario) — how requests get their credentials. */
import { z } from 'zod';
import type { DeepReadonly } from '../../core/deep-readonly.js';

/** Secrets are never written in a plan: only the NAME of the environment variable that holds them. */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the NAME of an environment variable (the secret itself never goes in a plan)');
const tokenUrl = z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of the OAuth token endpoint' });

/** SMART Backend Services: a JWT client assertion (`private_key_jwt`) exchanged for a bearer token. */
const smartBackend = z
  .object({
    type: z.literal('smart-backend'),
    clientId: z.string().min(1),
    /** Omitted: read `token_endpoint` from `<baseUrl><fhirBase>/.well-known/smart-configuration`. */
    tokenUrl: tokenUrl.optional(),
    /** Path of the FHIR base under target.baseUrl, for discovery (e.g. `/fhir`). */
    fhirBase: z.string().startsWith('/', 'must be a path starting with "/"').optional(),
    scope: z.string().min(1).default('system/*.read'),
    alg: z.enum(['RS384', 'ES384']).default('RS384'),
    kid: z.string().min(1).optional(),
    /** Private key file (PKCS#8 PEM or a JWK as JSON), relative to the plan file's folder. */
    keyFile: z.string().min(1).optional(),
    /** Environment variable holding the private key (PKCS#8 PEM or a JWK as JSON). */
    keyEnv: envName.optional(),
  })
  .strict()
  .refine((a) => (a.keyFile === undefined) !== (a.keyEnv === undefined), { message: 'give exactly one of keyFile or keyEnv (the private key that signs the client assertion)' });

/** OAuth 2.0 client credentials with a client secret (RFC 6749 §4.4). */
const clientCredentials = z
  .object({
    type: z.literal('client-credentials'),
    clientId: z.string().min(1),
    tokenUrl: tokenUrl.optional(),
    fhirBase: z.string().startsWith('/', 'must be a path starting with "/"').optional(),
    scope: z.string().min(1).optional(),
    secretEnv: envName,
    /** `basic`: HTTP Basic (RFC 6749 §2.3.1, every server must take it); `post`: in the form body. */
    clientAuth: z.enum(['basic', 'post']).default('basic'),
  })
  .strict();

/** A fixed header whose value comes from the environment (an API key, a long-lived token). */
const staticHeader = z
  .object({
    type: z.literal('static'),
    header: z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name').default('authorization'),
    valueEnv: envName,
  })
  .strict();

/** In a scenario: send this scenario's requests without the target's auth. */
const none = z.object({ type: z.literal('none') }).strict();

/** `auth` on the target or a scenario: a discriminated union on `type`. */
export const authSchema = z.discriminatedUnion('type', [smartBackend, clientCredentials, staticHeader, none]);

export type AuthSpec = DeepReadonly<z.output<typeof authSchema>>;
export type SmartBackendAuth = Extract<AuthSpec, { type: 'smart-backend' }>;
export type ClientCredentialsAuth = Extract<AuthSpec, { type: 'client-credentials' }>;
export type StaticAuth = Extract<AuthSpec, { type: 'static' }>;
/** An auth that fetches OAuth tokens. */
export type OAuthSpec = SmartBackendAuth | ClientCredentialsAuth;
