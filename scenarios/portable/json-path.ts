/**
 * @module scenarios/portable: a small JSON path (`$.a.b[0]`, `$['a-b']`, `$.link[?(@.relation=='next')].url`).
 * Portable: the engine imports it and every generated k6 script carries it as source (see README.md here).
 */

/** One step of a parsed path. */
type Segment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'filter'; key: string; value: string };

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['"]([^'"]+)['"]\]|\[\?\(@\.([\w$-]+)\s*==\s*['"]([^'"]*)['"]\)\])/;
const cache = new Map<string, Segment[] | null>();

/** Parses a path; undefined when it is not one (the plan schema already requires the leading `$`). */
function parseJsonPath(path: string): Segment[] | undefined {
  const hit = cache.get(path);
  if (hit !== undefined) return hit ?? undefined;
  if (!path.startsWith('$')) return remember(path, null);
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return remember(path, null);
    if (m[1] !== undefined) segments.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) segments.push({ kind: 'index', index: Number(m[2]) });
    else if (m[3] !== undefined) segments.push({ kind: 'key', key: m[3] });
    else segments.push({ kind: 'filter', key: m[4] as string, value: m[5] as string });
    rest = rest.slice(m[0].length);
  }
  return remember(path, segments);
}

function remember(path: string, value: Segment[] | null): Segment[] | undefined {
  if (cache.size < 10000) cache.set(path, value);
  return value ?? undefined;
}

/** The value at `path`, or `{ found: false }` when any segment is missing (a filter picks the first match). */
export function readJsonPath(doc: unknown, path: string): { found: true; value: unknown } | { found: false } {
  const segments = parseJsonPath(path);
  if (segments === undefined) return { found: false };
  let cur: unknown = doc;
  for (const seg of segments) {
    if (seg.kind === 'key') {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(seg.key in cur)) return { found: false };
      cur = (cur as Record<string, unknown>)[seg.key];
    } else if (seg.kind === 'index') {
      if (!Array.isArray(cur) || seg.index >= cur.length) return { found: false };
      cur = cur[seg.index];
    } else {
      if (!Array.isArray(cur)) return { found: false };
      const match = cur.find((el) => el !== null && typeof el === 'object' && String((el as Record<string, unknown>)[seg.key]) === seg.value);
      if (match === undefined) return { found: false };
      cur = match;
    }
  }
  return { found: true, value: cur };
}
