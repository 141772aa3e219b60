/**
 * @module demo/smart-auth: the registered SMART clients — each known by its public JWKS only. The synthetic client
 * (`--auth-client-key-out`) is generated at start; its private key goes to the file the operator named, nowhere else.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLocalJWKSet, exportJWK, exportPKCS8, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import { DemoUsageError } from '../config/flags.js';
import { SYNTHETIC_CLIENT_ID, type AuthFlags } from '../config/auth-flags.js';

/** A client the token endpoint accepts assertions from. */
interface RegisteredClient {
  readonly id: string;
  readonly keys: ReturnType<typeof createLocalJWKSet>;
}

/** The registry, and the cleanup of what start-up wrote. */
export interface ClientRegistry {
  get(id: string): RegisteredClient | undefined;
  readonly ids: readonly string[];
  /** The synthetic client's key file, when one was written. */
  readonly keyFile?: string;
  /** Removes the synthetic key file (and the folder, if start-up created it). */
  dispose(): void;
}

/** Private JWK members (RFC 7518 §6.2.2, §6.3.2): a registration must never carry them. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Loads `--auth-client` JWKS files and, with `--auth-client-key-out`, generates and registers the synthetic client. */
export async function createClientRegistry(flags: AuthFlags): Promise<ClientRegistry> {
  const clients = new Map<string, RegisteredClient>();
  for (const c of flags.clients) clients.set(c.id, { id: c.id, keys: createLocalJWKSet(readPublicJwks(c.id, c.jwksFile)) });
  let dispose = (): void => undefined;
  if (flags.clientKeyOut !== undefined) {
    const out = flags.clientKeyOut;
    const pair = await generateKeyPair(flags.clientAlg, { extractable: true, ...(flags.clientAlg === 'RS384' ? { modulusLength: 2048 } : {}) });
    const kid = `${SYNTHETIC_CLIENT_ID}-${randomBytes(4).toString('hex')}`;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: flags.clientAlg, use: 'sig' };
    clients.set(SYNTHETIC_CLIENT_ID, { id: SYNTHETIC_CLIENT_ID, keys: createLocalJWKSet({ keys: [publicJwk] }) });
    const pem = await exportPKCS8(pair.privateKey);
    dispose = writePrivateKey(out, pem);
  }
  return { get: (id) => clients.get(id), ids: [...clients.keys()], ...(flags.clientKeyOut ? { keyFile: flags.clientKeyOut } : {}), dispose };
}

function readPublicJwks(id: string, file: string): JSONWebKeySet {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not JSON';
    throw new DemoUsageError(`--auth-client ${id}: cannot read a JWKS from ${file} (${why})`, 'give a JSON file like {"keys": [{"kty": "RSA", "n": …, "e": "AQAB", "kid": …, "alg": "RS384"}]}');
  }
  const keys = Array.isArray((doc as { keys?: unknown }).keys) ? ((doc as { keys: JWK[] }).keys) : [doc as JWK];
  if (keys.length === 0 || keys.some((k) => typeof k !== 'object' || k === null || typeof k.kty !== 'string')) {
    throw new DemoUsageError(`--auth-client ${id}: ${file} holds no JSON Web Key`, 'a JWKS is {"keys": [ … ]} of RSA or EC P-384 public keys');
  }
  if (keys.some((k) => PRIVATE_MEMBERS.some((m) => m in k))) {
    throw new DemoUsageError(`--auth-client ${id}: ${file} holds a private key`, 'register the PUBLIC keys only; the private key stays with the client');
  }
  return { keys };
}

/** Writes the PEM readable by its owner only; returns the cleanup. */
function writePrivateKey(file: string, pem: string): () => void {
  const dir = dirname(file);
  const createdDir = !existsSync(dir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A folder made for the key keeps itself out of version control.
    if (createdDir) writeFileSync(`${dir}/.gitignore`, '*\n');
    writeFileSync(file, pem, { mode: 0o600 });
  } catch (err) {
    throw new DemoUsageError(`--auth-client-key-out: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'name a file in a folder you may write to');
  }
  return () => {
    try {
      if (existsSync(file) && readFileSync(file, 'utf8') === pem) rmSync(file);
      if (createdDir && readdirSync(dir).every((f) => f === '.gitignore')) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: the key is synthetic and dies with this process's registration anyway.
    }
  };
}
