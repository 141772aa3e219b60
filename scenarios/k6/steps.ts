/** @module scenarios/k6: steps → k6 code (`group`, `http.request`, `check`, saves, `sleep`), same semantics as the engine. */
import { evaluateChecks, type CheckSpec } from '../engine/checks.js';
import type { RequestStep, Step } from '../schema.js';

const lit = (v: unknown): string => JSON.stringify(v);

/** The body of a scenario's exec function. */
export function compileSteps(steps: readonly Step[], indent: string): string[] {
  const out: string[] = [];
  for (const step of steps) {
    if ('group' in step) {
      out.push(`${indent}group(${lit(step.group)}, () => {`);
      out.push(...compileSteps(step.steps, `${indent}  `));
      out.push(`${indent}});`);
      continue;
    }
    out.push(...compileRequest(step, indent));
  }
  return out;
}

function compileRequest(step: RequestStep, indent: string): string[] {
  const r = step.request;
  const i2 = `${indent}  `;
  const lines: string[] = [`${indent}// ${step.name.replace(/\n/g, ' ')}`];
  const open = step.onlyIf === undefined ? `${indent}{` : `${indent}if (vars[${lit(step.onlyIf)}] !== undefined) {`;
  lines.push(open, `${i2}const s = scopeOf(vars, PARAMS, ENV);`);
  const query = Object.entries(r.query ?? {}).map(([k, v]) => `${lit(k)}: ${typeof v === 'string' ? `text(${lit(v)}, s)` : lit(String(v))}`);
  lines.push(`${i2}const target = url(text(${lit(r.path)}, s), { ${query.join(', ')} });`);
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${lit(k.toLowerCase())}: text(${lit(v)}, s)`);
  let body = 'null';
  if (r.json !== undefined) {
    body = `JSON.stringify(tpl(${lit(r.json)}, s))`;
    if (!Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')) headers.push(`"content-type": "application/json"`);
  } else if (r.body !== undefined) body = `text(${lit(r.body)}, s)`;
  headers.push('traceparent: traceparent()');
  const params = [`headers: { ${headers.join(', ')} }`, `tags: { name: ${lit(r.name ?? r.path)}${Object.entries(r.tags ?? {}).map(([k, v]) => `, ${lit(k)}: ${lit(v)}`).join('')} }`, `timeout: ${lit(`${r.timeout}ms`)}`];
  if (r.expectedStatuses) params.push(`responseCallback: http.expectedStatuses(${r.expectedStatuses.join(', ')})`);
  lines.push(`${i2}const res = http.request(${lit(r.method)}, target, ${body}, { ${params.join(', ')} });`);
  if (step.check) lines.push(...compileChecks(step.check, i2));
  if (step.save) lines.push(`${i2}save(vars, res, ${lit(step.save)});`);
  if (step.ledger) lines.push(`${i2}// acknowledged write: codeblue reads ${step.ledger.read} back after recovery (embedded engine only)`);
  if (step.think !== undefined) {
    const [min, max] = typeof step.think === 'number' ? [step.think, step.think] : [step.think.min, step.think.max];
    lines.push(`${i2}think(${min}, ${max});`);
  }
  lines.push(`${indent}}`);
  return lines;
}

/** One k6 `check` with one named predicate per codeblue check (names identical to the engine's). */
function compileChecks(spec: CheckSpec, indent: string): string[] {
  const names = evaluateChecks(spec, undefined).map((c) => c.name);
  const preds: string[] = [];
  if (spec.status !== undefined) {
    const allowed = Array.isArray(spec.status) ? spec.status : [spec.status];
    preds.push(`(r) => ${allowed.map((s) => `r.status === ${s}`).join(' || ')}`);
  }
  for (const [path, expected] of Object.entries(spec.json ?? {})) {
    preds.push(expected !== null && typeof expected === 'object' ? `(r) => jsonExists(r, ${lit(path)}, ${expected.exists})` : `(r) => jsonIs(r, ${lit(path)}, ${lit(expected)})`);
  }
  if (spec.contains !== undefined) preds.push(`(r) => String(r.body).indexOf(${lit(spec.contains)}) >= 0`);
  for (const [header, expected] of Object.entries(spec.headers ?? {})) {
    preds.push(`(r) => Object.keys(r.headers).some((h) => h.toLowerCase() === ${lit(header.toLowerCase())} && r.headers[h] === ${lit(expected)})`);
  }
  if (spec.maxDuration !== undefined) preds.push(`(r) => r.timings.duration < ${spec.maxDuration}`);
  const entries = names.map((n, i) => `${indent}  ${lit(n)}: ${preds[i]},`);
  return [`${indent}check(res, {`, ...entries, `${indent}});`];
}
