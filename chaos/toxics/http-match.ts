/** @module chaos/toxics: which requests an HTTP toxic applies to (path prefix, methods, probability). */
import type { Random } from '../rng.js';
import { field, type AttributesOf, type HttpRequestInfo } from './toxic.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** The match fields every HTTP toxic shares. */
export const HTTP_MATCH_FIELDS = [
  field('probability', 'float64', 1, { kind: 'number', min: 0, max: 1, default: 1 }),
  field('path', 'string', '', { kind: 'string' }),
  field('methods', '[]string', null, { kind: 'list', values: METHODS }),
] as const;

export type HttpMatchAttributes = AttributesOf<typeof HTTP_MATCH_FIELDS>;

/** True when the request matches `path` (a prefix; empty = all) and `methods`, and the per-request draw hits. */
export function requestMatches(a: HttpMatchAttributes, request: HttpRequestInfo, random: Random): boolean {
  if (a.path !== '' && !request.path.startsWith(a.path)) return false;
  if (a.methods && a.methods.length > 0 && !a.methods.some((m) => m.toUpperCase() === request.method)) return false;
  return random() < a.probability;
}
