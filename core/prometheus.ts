/** @module core: Prometheus label values, escaped once for both the text exposition format and PromQL selectors. */

/**
 * Escapes a label value for use between double quotes: backslash, double quote and line feed become `\\`, `\"`
 * and `\n`, as the exposition format requires; PromQL string literals read the same escapes back.
 * @example `proxy="${escapeLabelValue('a"b')}"` // proxy="a\"b"
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
