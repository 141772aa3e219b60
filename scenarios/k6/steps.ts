/** @module scenarios/k6: steps → k6 code (`group`, `http.request`, `check`, saves, `sleep`), same semantics as the engine. */
import type { MllpStep, RequestStep, Step } from '../schema.js';

const lit = (v: unknown): string => JSON.stringify(v);

/** How the steps are compiled: `authId` = the scenario's auth; its exec function holds the auth header in `AUTHZ`. */
export interface StepOptions {
  readonly authId?: string;
  /** The auth fetches OAuth tokens, so a 401 is answered with a fresh one and one resend. */
  readonly retryOn401?: boolean;
}

/** The body of a scenario's exec function. */
export function compileSteps(steps: readonly Step[], indent: string, opts: StepOptions = {}): string[] {
  const out: string[] = [];
  for (const step of steps) {
    if ('group' in step) {
      out.push(`${indent}group(${lit(step.group)}, () => {`);
      out.push(...compileSteps(step.steps, `${indent}  `, opts));
      out.push(`${indent}});`);
      continue;
    }
    if ('mllp' in step) {
      out.push(`${indent}// MLLP step ${lit(step.name)} (${step.mllp.address}): embedded-only, k6 cannot speak MLLP; not sent (run the plan with codeblue's engine)`);
      continue;
    }
    out.push(...compileRequest(step, indent, opts));
  }
  return out;
}

function compileRequest(step: RequestStep, indent: string, opts: StepOptions): string[] {
  const r = step.request;
  const i2 = `${indent}  `;
  const lines: string[] = [`${indent}// ${step.name.replace(/\n/g, ' ')}`];
  const open = step.onlyIf === undefined ? `${indent}{` : `${indent}if (vars[${lit(step.onlyIf)}] !== undefined) {`;
  lines.push(open, `${i2}const s = scopeOf(vars, PARAMS, ENV);`);
  const query = Object.entries(r.query ?? {}).map(([k, v]) => `${lit(k)}: ${typeof v === 'string' ? `renderText(${lit(v)}, s)` : lit(String(v))}`);
  lines.push(`${i2}const target = url(renderText(${lit(r.path)}, s), { ${query.join(', ')} });`);
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${lit(k.toLowerCase())}: renderText(${lit(v)}, s)`);
  let body = 'null';
  if (r.json !== undefined) {
    body = `JSON.stringify(render(${lit(r.json)}, s))`;
    if (!Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')) headers.push(`"content-type": "application/json"`);
  } else if (r.body !== undefined) body = `renderText(${lit(r.body)}, s)`;
  headers.push('traceparent: traceparent()');
  const tags = `tags: { name: ${lit(r.name ?? r.path)}${Object.entries(r.tags ?? {}).map(([k, v]) => `, ${lit(k)}: ${lit(v)}`).join('')} }`;
  const timeout = `timeout: ${lit(`${r.timeout}ms`)}`;
  const expected = r.expectedStatuses ? r.expectedStatuses.join(', ') : undefined;
  if (opts.authId === undefined || opts.retryOn401 !== true) {
    if (opts.authId !== undefined) headers.push('...AUTHZ');
    const params = [`headers: { ${headers.join(', ')} }`, tags, timeout, ...(expected ? [`responseCallback: http.expectedStatuses(${expected})`] : [])];
    lines.push(`${i2}const res = http.request(${lit(r.method)}, target, ${body}, { ${params.join(', ')} });`);
  } else lines.push(...authorizedRequest(r.method, body, headers, [tags, timeout], expected, opts.authId, i2));
  // Checks and saves run the portable modules' code, inlined in the prelude: the engine's very source.
  if (step.check || step.save) lines.push(`${i2}const seen = responseView(res);`);
  if (step.check) lines.push(`${i2}check(res, checksOf(${lit(step.check)}, seen));`);
  if (step.save) lines.push(`${i2}applySave(vars, ${lit(step.save)}, seen);`);
  if (step.ledger) lines.push(`${i2}// acknowledged write: codeblue reads ${step.ledger.read} back after recovery (embedded engine only)`);
  if (step.think !== undefined) {
    const [min, max] = typeof step.think === 'number' ? [step.think, step.think] : [step.think.min, step.think.max];
    lines.push(`${i2}think(${min}, ${max});`);
  }
  lines.push(`${indent}}`);
  return lines;
}

/**
 * A request with the scenario's token, sent once more after a 401 (as the engine does). k6 cannot un-count a response,
 * so the first try takes a 401 as expected and the second answer is the one counted: with a fresh token when one
 * could be had, else with the refused one (its 401 then counts as the failure it is).
 */
function authorizedRequest(method: string, body: string, headers: readonly string[], params: readonly string[], expected: string | undefined, authId: string, i2: string): string[] {
  const counted = expected ?? '{ min: 200, max: 399 }';
  const send = (authz: string, statuses: string): string => `http.request(${lit(method)}, target, payload, { headers: { ${[...headers, `...${authz}`].join(', ')} }, ${params.join(', ')}, responseCallback: http.expectedStatuses(${statuses}) })`;
  return [
    `${i2}const payload = ${body};`,
    `${i2}let res = ${send('AUTHZ', `${counted}, 401`)};`,
    `${i2}if (res.status === 401) {`,
    `${i2}  AUTHZ = reauthorize(${lit(authId)}, AUTHZ) || AUTHZ;`,
    `${i2}  res = ${send('AUTHZ', counted)};`,
    `${i2}}`,
  ];
}

/** The MLLP steps of a step list, in order (groups included): the k6 export cannot send them. */
export function mllpSteps(steps: readonly Step[]): MllpStep[] {
  return steps.flatMap((step) => ('group' in step ? mllpSteps(step.steps) : 'mllp' in step ? [step] : []));
}
