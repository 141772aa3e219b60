/** @module chaos/toxics: which requests an HTTP toxic applies to (path prefix, methods, probability). */
import type { Random } from '../rng.js';
import type { AttributeField, HttpRequestInfo } from './toxic.js';

export interface HttpMatchAttributes {
  readonly probability: number;
  readonly path: string;
  readonly methods: readonly string[] | null;
}

/** The match fields every HTTP toxic shares. */
export const HTTP_MATCH_FIELDS: readonly AttributeField[] = [
  { key: 'probability', type: 'float64', default: 1 },
  { key: 'path', type: 'string', default: '' },
  { key: 'methods', type: '[]string', default: null },
];

/** True when the request matches `path` (a prefix; empty = all) and `methods`, and the per-request draw hits. */
export function requestMatches(a: HttpMatchAttributes, request: HttpRequestInfo, random: Random): boolean {
  if (a.path !== '' && !request.path.startsWith(a.path)) return false;
  if (a.methods && a.methods.length > 0 && !a.methods.some((m) => m.toUpperCase() === request.method)) return false;
  return random() < a.probability;
}
