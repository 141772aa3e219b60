/** @module demo/smart-auth: the access tokens this demo issues — JWTs signed with a key generated at start (ES256). */
import { randomUUID } from 'node:crypto';
import { errors, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';

/** Who issued the token and whom it is for: constants, since the same process issues and checks them. */
const ISSUER = 'urn:codeblue:demo:smart-auth';
const AUDIENCE = 'urn:codeblue:demo:fhir-api';
const TYP = 'at+jwt';

/** A token's verdict: its client and scopes, or why it is refused (for `WWW-Authenticate`). */
type TokenCheck =
  | { readonly ok: true; readonly clientId: string; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly expired: boolean; readonly description: string };

export interface AccessTokens {
  issue(clientId: string, scopes: readonly string[]): Promise<{ readonly token: string; readonly expiresIn: number }>;
  verify(token: string): Promise<TokenCheck>;
}

/** A fresh signing key per process: tokens of an earlier start are refused after a restart, as after a key rotation. */
export async function createAccessTokens(lifeS: number): Promise<AccessTokens> {
  const { privateKey, publicKey }: { privateKey: CryptoKey; publicKey: CryptoKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  return {
    async issue(clientId, scopes) {
      const token = await new SignJWT({ scope: scopes.join(' '), client_id: clientId })
        .setProtectedHeader({ alg: 'ES256', typ: TYP, kid })
        .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject(clientId).setJti(randomUUID())
        .setIssuedAt().setExpirationTime(`${lifeS}s`)
        .sign(privateKey);
      return { token, expiresIn: lifeS };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], typ: TYP });
        const scope = typeof payload.scope === 'string' ? payload.scope : '';
        return { ok: true, clientId: String(payload.sub), scopes: scope.split(' ').filter(Boolean) };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { ok: false, expired: true, description: 'the access token expired' };
        return { ok: false, expired: false, description: 'the access token is not one this server issued' };
      }
    },
  };
}
