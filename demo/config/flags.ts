/** @module demo/config: flag and env parsing shared by the demo's processes (host:port, numbers, modes). */

/** Bad flag or env value; the process prints it and exits 2. */
export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/** Address of a TCP endpoint. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port` (IPv6 as `[::1]:port`); `what` names the flag in the error. */
export function parseHostPort(text: string, what: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new DemoUsageError(`${what} must be host:port, but is "${text}"`, `e.g. ${what} 127.0.0.1:7001`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

/** Parses a non-negative number (integer unless `fraction`), bounded by `max`. */
export function parseNumber(text: string, what: string, max: number, fraction = false, example = fraction ? '0.1' : '100'): number {
  const n = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= max && (fraction || Number.isInteger(n));
  if (!ok) throw new DemoUsageError(`${what} must be a ${fraction ? 'number' : 'whole number'} between 0 and ${max}, but is "${text}"`, `pass e.g. ${what} ${example}`);
  return n;
}

/** A PostgreSQL schema name we will interpolate into SQL, so it must be a plain identifier. */
export function parseSchemaName(text: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(text)) throw new DemoUsageError(`--schema must be a lower-case SQL identifier, but is "${text}"`, 'e.g. --schema codeblue_demo');
  return text;
}

/** The two resilience presets. */
export type ResilienceMode = 'hardened' | 'fragile';

/** Parses a preset name. */
export function parseMode(text: string): ResilienceMode {
  if (text === 'hardened' || text === 'fragile') return text;
  throw new DemoUsageError(`mode must be "hardened" or "fragile", but is "${text}"`, 'pass --hardened or --fragile');
}

/** Returns the flag value, else the env value, else the default. */
export function pick(flag: string | undefined, envName: string, fallback: string): string {
  const env = process.env[envName];
  return flag ?? (env !== undefined && env !== '' ? env : fallback);
}
