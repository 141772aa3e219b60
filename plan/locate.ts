/** @module plan: turns a key path into a line and column of the YAML source. */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * The position of the node at `path`; for a missing key, its nearest existing parent.
 * With `atKey`, the position of the key itself (used for unknown keys).
 */
export function locate(doc: Document, lines: LineCounter, path: readonly (string | number)[], atKey?: string): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const key of path) {
    const child = childOf(node, key);
    if (!child) break;
    // A map or list is reported on its key's line; a scalar at the value itself.
    const isCollection = isMap(child.value) || isSeq(child.value);
    offset = (isCollection ? child.keyStart : undefined) ?? rangeStart(child.value) ?? child.keyStart ?? offset;
    node = child.value;
  }
  if (atKey !== undefined) {
    const pair = childOf(node, atKey);
    if (pair?.keyStart !== undefined) offset = pair.keyStart;
  }
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function childOf(node: unknown, key: string | number): { value: unknown; keyStart?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
    if (!pair) return undefined;
    const keyStart = rangeStart(pair.key);
    return keyStart === undefined ? { value: pair.value } : { value: pair.value ?? pair.key, keyStart };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
