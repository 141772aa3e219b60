/**
 * @module scenarios/portable: a step's `save` — values from the response body (JSON path) or a header, kept for later templates.
 * Portable: the engine imports it and every generated k6 script carries it as source (see README.md here).
 */
import { readJsonPath } from './json-path.js';
import type { ResponseView } from './response-view.js';

/**
 * Saves each `name: source` into `vars`: `source` is a JSON path (`$.id`) or `header:<name>`. A list keeps its
 * first item; a value that is missing or null removes the name, so a later `onlyIf` or template sees it is gone.
 */
export function applySave(vars: Record<string, unknown>, save: Readonly<Record<string, string>>, res: ResponseView): void {
  for (const [name, source] of Object.entries(save)) {
    const value = source.startsWith('header:') ? res.header(source.slice(7).toLowerCase()) : bodyValue(res, source);
    if (value === undefined || value === null) delete vars[name];
    else vars[name] = Array.isArray(value) ? value[0] : value;
  }
}

/** The value at `path` in the JSON body; undefined when the body is not JSON or the path finds nothing. */
function bodyValue(res: ResponseView, path: string): unknown {
  const doc = res.json();
  if (!doc.ok) return undefined;
  const found = readJsonPath(doc.value, path);
  return found.found ? found.value : undefined;
}
