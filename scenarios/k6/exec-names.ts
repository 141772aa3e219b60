/**
 * @module scenarios/k6: safe function names for the scenarios' `exec` — never a JS reserved word, a k6 lifecycle
 * export, a name the script itself declares or imports, or a global it reads (issue #14 "k6 export traps").
 */
import { PRELUDE } from './prelude.js';
import { k6AuthNames } from './auth.js';

/** ECMAScript reserved words, strict-mode and TypeScript-reserved names: none may name a function declaration. */
const RESERVED = [
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends',
  'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this',
  'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package',
  'private', 'protected', 'public', 'await', 'arguments', 'eval', 'async', 'of', 'type', 'declare', 'module', 'namespace', 'any',
  'unknown', 'never', 'string', 'number', 'boolean', 'symbol', 'object', 'bigint', 'undefined', 'NaN', 'Infinity',
];
/** k6's own exports (options and the lifecycle functions) and what the script header imports or declares. */
const K6 = ['options', 'setup', 'teardown', 'handleSummary', 'http', 'Response', 'check', 'group', 'sleep', 'SharedArray', 'exec', 'BASE_URL', 'SYNTHETIC'];
/** Globals the script reads: shadowing one with a function would break the prelude or the steps. */
const GLOBALS = ['__ENV', '__VU', '__ITER', 'open', 'require', 'console', 'globalThis', 'JSON', 'Math', 'String', 'Number', 'Boolean', 'Object', 'Array', 'Date', 'Error', 'RegExp', 'Record', 'Promise', 'Symbol', 'parseInt', 'parseFloat', 'encodeURIComponent', 'decodeURIComponent', 'isNaN', 'Map', 'Set'];
/** The names the exec functions' bodies declare (see steps.ts and compile.ts). */
const LOCALS = ['vars', 'PARAMS', 'ENV', 's', 'target', 'res', 'seen'];

const declaredInPrelude = [...PRELUDE.matchAll(/\b(?:function|const|let|var|type|interface|class)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1] as string);

/** Every name a generated exec function must not take. @internal exported for tests. */
export const TAKEN_NAMES: ReadonlySet<string> = new Set([...RESERVED, ...K6, ...GLOBALS, ...LOCALS, ...declaredInPrelude, ...k6AuthNames()]);

/**
 * The function name of each scenario (scenario name → identifier): the plan's `exec` when it is safe, else
 * `exec_<name>`; `scenario_<name>` without one. Always unique: a second scenario with the same name gets `_2`.
 * @example execNames({ browse: { exec: 'delete' }, admit: { exec: 'default' } }) // browse → exec_delete, admit → scenario_admit
 */
export function execNames(scenarios: Readonly<Record<string, { readonly exec: string }>>): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const [name, spec] of Object.entries(scenarios)) {
    let base = spec.exec !== 'default' ? spec.exec : `scenario_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (TAKEN_NAMES.has(base)) base = `exec_${base}`;
    let id = base;
    for (let n = 2; used.has(id) || TAKEN_NAMES.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    out.set(name, id);
  }
  return out;
}
