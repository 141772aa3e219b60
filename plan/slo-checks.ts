/** @module plan: checks on `slos` that refer to other keys — scenarios by name, and HTTP vs HL7 events never mixed. */
import type { Step } from '../scenarios/schema.js';
import { suggest } from './hints.js';
import type { RawIssue } from './cross-checks.js';
import type { ParsedPlan } from './schema.js';

/** Step names of a scenario by kind; a `flow` sends HTTP requests only. */
interface StepKinds {
  readonly http: Set<string>;
  readonly hl7: Set<string>;
}

function stepKinds(steps: readonly Step[] | undefined, hasFlow: boolean): StepKinds {
  const kinds: StepKinds = { http: new Set(), hl7: new Set() };
  if (hasFlow) kinds.http.add('*');
  const walk = (list: readonly Step[]): void => {
    for (const s of list) {
      if ('group' in s) walk(s.steps);
      else if ('mllp' in s) kinds.hl7.add(s.name);
      else kinds.http.add(s.name);
    }
  };
  walk(steps ?? []);
  return kinds;
}

/** Every SLO's filter names what exists, and counts one kind of event: HTTP requests or HL7 messages (`events`). */
export function checkSloFilters(plan: ParsedPlan, issues: RawIssue[]): void {
  const names = Object.keys(plan.scenarios);
  const kinds = new Map(Object.entries(plan.scenarios).map(([name, s]) => [name, stepKinds(s.steps, s.flow !== undefined)]));
  plan.slos.forEach((slo, i) => {
    const hl7 = slo.events === 'hl7';
    const fromIntended = slo.sli !== 'availability' && slo.sli.from === 'intended';
    if (slo.filter?.service !== undefined && fromIntended) {
      issues.push({ path: ['slos', i, 'sli', 'from'], message: 'from: intended needs load requests, but filter.service makes this SLO count server spans (they have no intended start)', hint: 'drop sli.from, or filter by scenario/request instead of service' });
    }
    if (hl7 && slo.filter?.service !== undefined) {
      issues.push({ path: ['slos', i, 'filter', 'service'], message: 'events: hl7 counts the HL7 messages codeblue sent, but filter.service counts a service\'s server spans: an SLO counts one or the other', hint: 'drop filter.service, or make this SLO events: http' });
    }
    if (hl7 && fromIntended) {
      issues.push({ path: ['slos', i, 'sli', 'from'], message: 'from: intended is kept for HTTP requests only; HL7 latency (hl7_msg_duration) counts from the send', hint: 'drop sli.from' });
    }
    const scenario = slo.filter?.scenario;
    if (scenario !== undefined && !names.includes(scenario)) {
      issues.push({ path: ['slos', i, 'filter', 'scenario'], message: `no scenario named "${scenario}"`, ...(suggest(scenario, names) ? { hint: suggest(scenario, names) as string } : {}) });
      return;
    }
    if (slo.filter?.service !== undefined) return;
    checkEventKind(slo, i, scenario === undefined ? [...kinds.values()] : [kinds.get(scenario) as StepKinds], scenario, issues);
  });
}

/** The SLO's scenarios (all, or the filtered one) send the kind of event it counts, and its `request` names such a step. */
function checkEventKind(slo: ParsedPlan['slos'][number], i: number, scoped: readonly StepKinds[], scenario: string | undefined, issues: RawIssue[]): void {
  const hl7 = slo.events === 'hl7';
  const own = new Set(scoped.flatMap((k) => [...(hl7 ? k.hl7 : k.http)]));
  const other = new Set(scoped.flatMap((k) => [...(hl7 ? k.http : k.hl7)]));
  if (own.size === 0) {
    issues.push(hl7
      ? { path: ['slos', i, 'events'], message: `events: hl7, but ${scenario === undefined ? 'no scenario has' : `scenario "${scenario}" has no`} mllp step: this SLO would count no messages`, hint: 'add an mllp step, or drop events: hl7 to count HTTP requests' }
      : { path: scenario === undefined ? ['slos', i] : ['slos', i, 'filter', 'scenario'], message: `this SLO counts HTTP requests, but ${scenario === undefined ? 'no scenario sends any' : `scenario "${scenario}" sends none`} (only mllp steps)`, hint: 'add events: hl7 to count the HL7 messages' });
    return;
  }
  const request = slo.filter?.request;
  // An HTTP request's name tag may come from request.name: only an mllp step's name is known to be wrong there.
  if (request === undefined || own.has('*') || own.has(request) || (!hl7 && !other.has(request))) return;
  const otherKind = other.has(request);
  issues.push({
    path: ['slos', i, 'filter', 'request'],
    message: otherKind
      ? `"${request}" is ${hl7 ? 'an HTTP request' : 'an mllp step'}, but this SLO counts ${hl7 ? 'HL7 messages (events: hl7)' : 'HTTP requests'}: one SLO never mixes the two`
      : `no ${hl7 ? 'mllp' : 'request'} step named "${request}"${scenario === undefined ? '' : ` in scenario "${scenario}"`}`,
    hint: otherKind ? (hl7 ? 'drop events: hl7 for this SLO' : 'add events: hl7 to this SLO') : (suggest(request, [...own]) ?? `one of: ${[...own].join(', ')}`),
  });
}
