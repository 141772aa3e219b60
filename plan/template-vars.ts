/** @module plan: every `{{ … }}` of every step checked against the values that will exist when the step runs. */
import { FLOWS, SYNTHETIC_FIELDS, TEMPLATE_BUILTINS, createSyntheticData, readJsonPath, templateExpressions, type MllpStep, type RequestStep, type ScenarioSpec, type Step } from '../scenarios/index.js';
import type { RawIssue } from './cross-checks.js';
import { closest } from './hints.js';
import type { ParsedPlan } from './schema.js';

type PathKey = string | number;
const SAMPLE_RECORD = createSyntheticData(1, 1).pick(0);
/** A template string found in a step, with the key path of its value. */
interface Found {
  readonly path: readonly PathKey[];
  readonly text: string;
}
/** Where saved values come from: value name → the step that saves it (its label), in step order. */
type Saves = Map<string, string>;

/** Checks every scenario's templates (own steps or library flow) and every probe; also refuses unknown flows. */
export function checkTemplates(plan: ParsedPlan): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const [name, spec] of Object.entries(plan.scenarios)) {
    if (spec.steps !== undefined) checkSteps(spec, spec.steps, ['scenarios', name, 'steps'], issues, undefined);
    else if (spec.flow !== undefined) checkFlow(spec, ['scenarios', name, 'flow'], issues);
  }
  plan.hypothesis.forEach((h, i) => {
    if (!('request' in h)) return;
    for (const f of requestTemplates(h.request, ['hypothesis', i, 'request'])) {
      issues.push({ path: f.path, message: `probes send their request as written; "${f.text}" would be sent literally`, hint: 'write the literal path or value (templates work only in scenario steps)' });
    }
  });
  return issues;
}

function checkFlow(spec: ScenarioSpec, at: readonly PathKey[], issues: RawIssue[]): void {
  const flow = FLOWS.find((f) => f.name === spec.flow);
  const known = FLOWS.map((f) => f.name);
  if (flow === undefined) {
    const near = closest(String(spec.flow), known);
    issues.push({ path: at, message: `unknown flow "${String(spec.flow)}"; known flows: ${known.join(', ')}`, hint: near ? `did you mean "${near}"?` : 'use one of the known flows, or write the scenario as steps' });
    return;
  }
  let steps: readonly Step[];
  try {
    steps = flow.build(spec.params ?? {});
  } catch (err) {
    issues.push({ path: [...at.slice(0, -1), 'params'], message: `flow ${flow.name} cannot be built from these params: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` });
    return;
  }
  // A flow's steps are not in the plan file: report at the `flow` key, naming the flow's step.
  checkSteps(spec, steps, [], issues, { at, flow: flow.name });
}

interface FlowSite {
  readonly at: readonly PathKey[];
  readonly flow: string;
}

function checkSteps(spec: ScenarioSpec, steps: readonly Step[], base: readonly PathKey[], issues: RawIssue[], site: FlowSite | undefined): void {
  const all = new Map<string, string>();
  walk(steps, base, (step) => {
    if ('request' in step) for (const key of Object.keys(step.save ?? {})) if (!all.has(key)) all.set(key, label(step, site));
  });
  const earlier: Saves = new Map();
  walk(steps, base, (step, path) => {
    const where = label(step, site);
    const report = (f: Found, message: string, hint?: string): void => {
      issues.push({ path: site ? site.at : f.path, message: site ? `${where}: ${message}` : message, ...(hint ? { hint } : {}) });
    };
    if ('mllp' in step) {
      for (const f of collect(step.mllp.message, [...path, 'mllp', 'message'])) checkText(f, spec, earlier, all, where, report);
      for (const f of collect(step.mllp.expect, [...path, 'mllp', 'expect'])) {
        report(f, `ACK checks compare values as written; "${f.text}" is never filled in`, 'compare with a literal value');
      }
      // An acknowledged message is read back with `id` = its control id (MSH-10) and `patient` = PID-3.1.
      const acked: Saves = new Map([...earlier, ['id', where], ['patient', where]]);
      if (step.mllp.ledger !== undefined) for (const f of collect(step.mllp.ledger.read, [...path, 'mllp', 'ledger', 'read'])) checkText(f, spec, acked, all, where, report);
    }
    if ('request' in step) for (const f of requestTemplates(step.request, [...path, 'request'])) checkText(f, spec, earlier, all, where, report);
    if ('request' in step) for (const f of collect(step.check, [...path, 'check'])) {
      report(f, `checks compare values as written; "${f.text}" is never filled in`, 'compare with a literal value, or save the value and check it in a later step');
    }
    if (step.onlyIf !== undefined && !earlier.has(step.onlyIf)) {
      const later = all.get(step.onlyIf);
      const message = later ? `onlyIf "${step.onlyIf}" is saved only by ${later}, which runs later, so this step never runs` : `onlyIf "${step.onlyIf}" is never saved, so this step never runs`;
      report({ path: [...path, 'onlyIf'], text: step.onlyIf }, message, later ? 'move the step after the one that saves it' : nearName(step.onlyIf, [...earlier.keys()]) ?? 'save it in an earlier step (save: { name: "$.json.path" })');
    }
    if (!('request' in step)) return;
    for (const [key] of Object.entries(step.save ?? {})) earlier.set(key, where);
    // The ledger read is rendered after this step's own saves, with `id` = the id the write returned.
    const withId: Saves = new Map([...earlier, ['id', where]]);
    if (step.ledger !== undefined) for (const f of collect(step.ledger.read, [...path, 'ledger', 'read'])) checkText(f, spec, withId, all, where, report);
  });
}

function checkText(f: Found, spec: ScenarioSpec, earlier: Saves, all: Saves, where: string, report: (f: Found, message: string, hint?: string) => void): void {
  for (const expression of templateExpressions(f.text)) {
    const [root = '', field] = expression.split(/[.[]/, 2);
    if (root === 'synthetic' || root === 'params' || root === 'env') {
      const fields: readonly string[] = root === 'synthetic' ? SYNTHETIC_FIELDS : Object.keys((root === 'params' ? spec.params : spec.env) ?? {});
      if (field === undefined || field === '') continue;
      if (fields.includes(field)) {
        // Every synthetic record has the same shape, so a deeper path (`synthetic.patient.name[0].family`) is checked on one.
        const rest = expression.slice(root.length + 1 + field.length);
        const holder = root === 'synthetic' ? SAMPLE_RECORD[field as keyof typeof SAMPLE_RECORD] : (root === 'params' ? spec.params : spec.env)?.[field];
        if (rest !== '' && !readJsonPath(holder, `$${rest}`).found) report(f, `"{{ ${expression} }}" is not defined: ${root}.${field} has no "${rest.replace(/^\./, '')}"`);
        continue;
      }
      const listed = fields.length === 0 ? `the scenario sets no ${root}` : `${root} fields: ${fields.join(', ')}`;
      const near = closest(field, fields);
      report(f, `"{{ ${expression} }}" is not defined: ${root} has no "${field}" (${listed})`, near ? `did you mean "{{ ${root}.${near} }}"?` : root === 'synthetic' ? undefined : `add ${field} under the scenario's ${root}`);
      continue;
    }
    if ((TEMPLATE_BUILTINS as readonly string[]).includes(root)) {
      if (field !== undefined) report(f, `"{{ ${expression} }}" is not defined: ${root} is a single value with no fields`, `use {{ ${root} }}`);
      continue;
    }
    if (earlier.has(root)) continue;
    const later = all.get(root);
    if (later === where) {
      report(f, `"{{ ${expression} }}" is used by ${where}, which saves "${root}" only from its own response`, `save "${root}" in an earlier step`);
      continue;
    }
    if (later !== undefined) {
      report(f, `"{{ ${expression} }}" is used by ${where} before ${later} saves "${root}"`, `move ${where} after ${later}, or save "${root}" earlier`);
      continue;
    }
    const candidates = [...earlier.keys(), ...TEMPLATE_BUILTINS.filter((b) => b !== 'synthetic'), ...SYNTHETIC_FIELDS.map((s) => `synthetic.${s}`)];
    const near = closest(root, candidates) ?? closest(expression, candidates);
    const saved = earlier.size === 0 ? 'no earlier step saves a value' : `saved by earlier steps: ${[...earlier.keys()].join(', ')}`;
    report(f, `"{{ ${expression} }}" is not defined (${saved}; built in: ${TEMPLATE_BUILTINS.join(', ')})`, near ? `did you mean "{{ ${near} }}"?` : 'save it in an earlier step (save: { name: "$.json.path" })');
  }
}

function nearName(word: string, candidates: readonly string[]): string | undefined {
  const near = closest(word, candidates);
  return near ? `did you mean "${near}"?` : undefined;
}

/** Visits request and MLLP steps in run order (groups in place), with each step's key path. */
function walk(steps: readonly Step[], base: readonly PathKey[], visit: (step: RequestStep | MllpStep, path: readonly PathKey[]) => void): void {
  steps.forEach((step, i) => {
    if ('group' in step) walk(step.steps, [...base, i, 'steps'], visit);
    else visit(step, [...base, i]);
  });
}

function label(step: RequestStep | MllpStep, site: FlowSite | undefined): string {
  return site ? `flow ${site.flow} step "${step.name}"` : `step "${step.name}"`;
}

/** The rendered parts of a request (path, query, headers, json, body); `name` and `tags` are labels, kept as written. */
function requestTemplates(request: RequestStep['request'], at: readonly PathKey[]): Found[] {
  const { name: _name, tags: _tags, ...rendered } = request;
  return collect(rendered, at);
}

/** Every string holding `{{` inside a value, with its key path. */
function collect(value: unknown, at: readonly PathKey[]): Found[] {
  if (typeof value === 'string') return value.includes('{{') ? [{ path: at, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => collect(v, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => collect(v, [...at, k]));
  return [];
}
