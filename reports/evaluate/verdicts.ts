/** @module reports/evaluate: verdict lines for SLOs, checks, hypothesis, trace assertions, PHI (see phi.ts), ledger and halts. */
import type { TraceAssertionResult } from '../../collectors/index.js';
import { objectiveText, pct, windowText } from '../format.js';
import type { SloResult, Verdict } from '../results/types.js';
import type { RunEvaluationInput } from './input.js';
import { phiVerdicts } from './phi.js';

/** One line per SLO × scope. */
export function sloVerdicts(slos: readonly SloResult[]): Verdict[] {
  return slos.flatMap((slo) => slo.scopes.map((s): Verdict => {
    const hl7 = slo.events === 'hl7';
    const what = slo.sli === 'availability' ? (hl7 ? 'HL7 messages acknowledged AA' : 'good') : `${hl7 ? 'HL7 ACKs ' : ''}≤ ${slo.thresholdMs} ms${slo.latencyFrom === 'intended' ? ' from the intended start' : ''}`;
    return {
      kind: 'slo', name: slo.name, phase: s.scope === 'run' ? null : s.scope, pass: s.pass, observed: s.ratio,
      ...(s.gating ? {} : { gating: false }),
      expected: `≥ ${objectiveText(slo.objective)}`,
      message: s.ratio === null
        ? `${s.label}: no events`
        : `${s.label}: ${pct(s.ratio, 3)} ${what} (${s.good}/${s.total}), burn rate ${s.burnRate.toFixed(1)}×, ${pct(s.budgetConsumed)} of the ${windowText(slo.windowMs)} budget${s.estimated ? ' (estimated from span quantiles)' : ''}${s.gating ? (slo.scope === 'all-windows' ? '' : ` · gates (scope: ${slo.scope})`) : ` · information only (scope: ${slo.scope})`}`,
    };
  }));
}

function traceVerdicts(results: readonly TraceAssertionResult[]): Verdict[] {
  return results.map((r) => {
    const failed = r.checks.filter((c) => !c.pass);
    const first = failed[0] ?? r.checks[0];
    return {
      kind: 'trace-assertion', name: r.name, phase: r.phase, pass: r.pass, observed: first?.observed ?? null,
      expected: r.checks.map((c) => `${c.kind} ${c.expression}`).join('; '),
      message: `${r.matched} span(s) matched; ${failed.length ? failed.map((c) => c.message).join('; ') : 'all checks passed'}`,
    };
  });
}

/** `; first missing: a, b, c (+n more)` — the ids to look up first; empty when there are none. */
function firstIds(what: string, ids: readonly string[]): string {
  if (ids.length === 0) return '';
  return `; first ${what}: ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ` (+${ids.length - 3} more)` : ''}`;
}

/** Every non-SLO verdict from the run's plain-data inputs. */
export function otherVerdicts(input: RunEvaluationInput): Verdict[] {
  const out: Verdict[] = [];
  for (const c of input.checks ?? []) {
    const all = c.passes + c.fails;
    out.push({
      kind: 'check', name: `${c.scenario}: ${c.name}`, phase: null, pass: c.fails === 0, observed: all ? c.passes / all : null,
      expected: '100 % pass', message: `${c.passes} passed, ${c.fails} failed`,
    });
  }
  for (const h of input.hypothesis ?? []) {
    out.push({ kind: 'hypothesis', name: h.name, phase: h.phase ?? h.when ?? null, pass: h.pass, observed: h.status, expected: 'steady state holds', message: h.message });
  }
  out.push(...traceVerdicts(input.traceAssertions ?? []));
  if (input.phi) out.push(...phiVerdicts(input.phi));
  if (input.ledger) {
    const l = input.ledger;
    const bad = l.missingIds.length + l.changedIds.length;
    out.push({
      kind: 'ledger', name: 'no data lost', phase: null, pass: bad === 0, observed: bad, expected: '0 missing, 0 changed',
      message: `${l.checked} record(s) checked${l.acknowledged !== undefined ? ` of ${l.acknowledged} acknowledged write(s)` : ''}: ${l.missingIds.length} missing, ${l.changedIds.length} changed${firstIds('missing', l.missingIds)}${firstIds('changed', l.changedIds)}`,
    });
  }
  const nothing = noRequestsVerdict(input);
  if (nothing) out.push(nothing);
  if (input.halt) {
    out.push({
      kind: 'halt', name: 'run completed', phase: null, pass: false, observed: input.halt.atMs, expected: 'no halt',
      message: `halted at ${(input.halt.atMs / 1000).toFixed(1)} s: ${input.halt.reason}`,
    });
  }
  return out;
}

/** The `no-requests` rule: a run whose load ran but sent no request fails, saying why (render failures named). */
function noRequestsVerdict(input: Pick<RunEvaluationInput, 'sent' | 'meta'>): Verdict | undefined {
  const sent = input.sent;
  if (sent === undefined || sent.requests > 0 || input.meta.interrupted) return undefined;
  const why = sent.renderFailures > 0
    ? `${sent.renderFailures} request(s) failed to render${sent.firstRenderFailure ? `; first: ${sent.firstRenderFailure}` : ''}`
    : 'no iteration reached a request (check the scenarios\' durations, iterations and onlyIf conditions)';
  return { kind: 'load', name: 'requests were sent', phase: null, pass: false, observed: 0, expected: '> 0 requests', message: `no requests were sent: ${why}` };
}
