/** @module scenarios/auth: the private key that signs SMART client assertions — read once at setup, never echoed. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { CodeblueError } from '../../core/errors.js';
import type { SmartBackendAuth } from './schema.js';

/** A key ready to sign, with the `kid` to put in the assertion header. */
export interface SigningKey {
  readonly key: CryptoKey;
  readonly kid: string | undefined;
}

/**
 * Reads `keyFile` (against `planDir`) or `keyEnv`, as PKCS#8 PEM or a JWK in JSON. Any failure is a
 * `CB_AUTH_INVALID` naming the file or variable — never a byte of the key.
 */
export async function loadSigningKey(spec: SmartBackendAuth, planKey: string, planDir: string): Promise<SigningKey> {
  const where = spec.keyFile !== undefined ? `key file ${resolve(planDir, spec.keyFile)}` : `environment variable ${spec.keyEnv ?? ''}`;
  const text = await readKeyText(spec, planKey, planDir, where);
  try {
    if (text.trimStart().startsWith('{')) {
      const jwk = JSON.parse(text) as JWK;
      const key = await importJWK({ ...jwk, alg: spec.alg }, spec.alg);
      if (!(key instanceof Object) || !('type' in key) || key.type !== 'private') throw new Error('not a private key');
      return { key, kid: spec.kid ?? (typeof jwk.kid === 'string' ? jwk.kid : undefined) };
    }
    return { key: await importPKCS8(text, spec.alg), kid: spec.kid };
  } catch {
    // The parser's message may quote the input: it is left out on purpose.
    throw new CodeblueError('CB_AUTH_INVALID', `${planKey}: the ${where} does not hold a ${spec.alg} private key (PKCS#8 PEM or JWK)`, {
      hint: spec.alg === 'RS384' ? 'RS384 needs an RSA private key ("-----BEGIN PRIVATE KEY-----", e.g. openssl genpkey -algorithm RSA)' : 'ES384 needs an EC P-384 private key ("-----BEGIN PRIVATE KEY-----", e.g. openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384)',
    });
  }
}

async function readKeyText(spec: SmartBackendAuth, planKey: string, planDir: string, where: string): Promise<string> {
  if (spec.keyEnv !== undefined) {
    const value = process.env[spec.keyEnv];
    if (value === undefined || value.trim() === '') {
      throw new CodeblueError('CB_AUTH_INVALID', `${planKey}.keyEnv: ${where} is not set`, { hint: `export ${spec.keyEnv} with the PEM or JWK private key before the run` });
    }
    return value;
  }
  try {
    return await readFile(resolve(planDir, spec.keyFile ?? ''), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new CodeblueError('CB_AUTH_INVALID', `${planKey}.keyFile: cannot read the ${where} (${code})`, { hint: 'check the path (relative to the plan file\'s folder) and that codeblue may read it' });
  }
}
