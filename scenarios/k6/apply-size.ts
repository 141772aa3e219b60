/** @module scenarios/k6: the size `kubectl apply` gives an object's last-applied annotation, against the API server's limit. */

/** The API server refuses an object whose annotations total more (apimachinery `TotalAnnotationSizeLimitB`). */
export const ANNOTATION_LIMIT_BYTES = 262_144;
export const LAST_APPLIED_KEY = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Bytes the last-applied annotation of `object` takes (key + value): client-side apply stores the object as
 * Go's `json.Marshal` writes it plus a newline. Go escapes `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`
 * (six bytes each) where JSON.stringify keeps them, so a script full of `&&` and `<` grows.
 */
export function lastAppliedBytes(object: unknown): number {
  const json = JSON.stringify(object).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.byteLength(LAST_APPLIED_KEY) + Buffer.byteLength(json) + 1;
}
