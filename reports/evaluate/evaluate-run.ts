/** @module reports/evaluate: the end of a run — plain data and a load query in, `RunResults` out. */
import type { RunResults, RunStatus, ServicePhaseRow, Verdict } from '../results/types.js';
import type { RunEvaluationInput } from './input.js';
import { spanSamplingSection } from './span-sampling.js';
import { memoizeLoad } from './memo-load.js';
import { buildPhaseTables } from './phase-tables.js';
import { evaluateResilience } from './resilience.js';
import { evaluateSlo } from './slo.js';
import { clipPhases, faultWindows, scopesOf, type Scope } from './scopes.js';
import { evaluateThresholds } from './thresholds.js';
import { buildTimeline, round2 } from './timeline.js';
import { otherVerdicts, sloVerdicts } from './verdicts.js';
import { phiSection } from './phi.js';
import { evaluateAttribution } from './attribution.js';
import { faultWaterfalls } from './waterfalls.js';
import { buildExemplars } from './exemplars.js';
import { buildHl7Section } from './hl7.js';

/**
 * True when a failed verdict fails the run. Checks are reported but, as in k6, never change the exit code on
 * their own: gate on them with a threshold such as `checks: ["rate>0.99"]`.
 */
export function gatesRun(v: Pick<Verdict, 'kind' | 'gating'>): boolean {
  return v.kind !== 'check' && v.gating !== false;
}

/** 130 when interrupted, 1 when halted or any gating verdict failed, else 0 (design.md exit codes). */
export function exitCodeFor(results: Pick<RunResults, 'meta' | 'verdicts'>): number {
  if (results.meta.status === 'interrupted') return 130;
  if (results.meta.status === 'halted') return 1;
  return results.verdicts.some((v) => !v.pass && gatesRun(v)) ? 1 : 0;
}

function statusOf(input: RunEvaluationInput, verdicts: readonly Verdict[]): RunStatus {
  if (input.meta.interrupted) return 'interrupted';
  if (input.halt) return 'halted';
  return verdicts.every((v) => v.pass || !gatesRun(v)) ? 'passed' : 'failed';
}

function servicePhases(input: RunEvaluationInput): ServicePhaseRow[] {
  const merged = new Map<string, { phase: string; service: string; count: number; errors: number; p50: number; p95: number; p99: number }>();
  for (const a of input.spans?.aggregates ?? []) {
    const key = `${a.phase}\u0000${a.service}`;
    const m = merged.get(key) ?? { phase: a.phase, service: a.service, count: 0, errors: 0, p50: 0, p95: 0, p99: 0 };
    // Count-weighted mean of per-span-name quantiles: a service-level summary, not an exact merge.
    m.p50 += a.latency.p50Ms * a.count;
    m.p95 += a.latency.p95Ms * a.count;
    m.p99 += a.latency.p99Ms * a.count;
    m.count += a.count;
    m.errors += a.errors;
    merged.set(key, m);
  }
  return [...merged.values()]
    .sort((a, b) => a.service.localeCompare(b.service) || a.phase.localeCompare(b.phase))
    .map((m) => ({
      phase: m.phase, service: m.service, count: m.count, errors: m.errors,
      p50Ms: m.count ? round2(m.p50 / m.count) : null, p95Ms: m.count ? round2(m.p95 / m.count) : null, p99Ms: m.count ? round2(m.p99 / m.count) : null,
    }));
}

/** A run's evaluation in two steps: what the verdict reads, then (on demand) every other section of the results. */
export interface RunEvaluation {
  /** Status, exit code and verdicts, the SLOs, and the whole run's endpoint table (the verdict line's latency). */
  readonly verdict: Pick<RunResults, 'meta' | 'verdicts' | 'slos' | 'phaseTables'>;
  /** The whole results (charts' per-second columns, every window's table, exemplars, HL7, resilience): built on the first call. */
  results(): RunResults;
}

/**
 * Evaluates what the verdict reads now and leaves the rest for `results()`: a soak's per-second columns take
 * seconds, and no verdict reads them. Both read one memoized load query, so `results()` is what `evaluateRun` gives.
 */
export function startEvaluation(original: RunEvaluationInput): RunEvaluation {
  const input: RunEvaluationInput = { ...original, load: memoizeLoad(original.load) };
  const runMs = Math.max(0, input.meta.durationMs);
  const phases = clipPhases(input.phases, runMs);
  const faults = faultWindows(input.journal, input.faults, runMs);
  const scopes = scopesOf(runMs, phases, faults);
  const slos = input.slos.map((slo) => evaluateSlo(slo, scopes, runMs, input.load, input.spans?.aggregates ?? []));
  const verdicts = [
    ...sloVerdicts(slos),
    ...evaluateThresholds(input.thresholds, scopes, { load: input.load, checks: input.checks ?? [] }),
    ...otherVerdicts(input),
  ];
  const status = statusOf(input, verdicts);
  const { interrupted: _interrupted, ...given } = input.meta;
  const haltReason = input.halt?.reason ?? null;
  const meta = { ...given, status, haltReason, exitCode: exitCodeFor({ meta: { ...given, status, haltReason, exitCode: 0 }, verdicts }) };
  let results: RunResults | undefined;
  return {
    // scopesOf puts the whole run first.
    verdict: { meta, verdicts, slos, phaseTables: buildPhaseTables(input.load, scopes.slice(0, 1)) },
    results: () => (results ??= assemble(input, { runMs, phases, faults, scopes, slos, verdicts, meta })),
  };
}

/** What `startEvaluation` worked out first, handed on to the rest. */
interface VerdictParts extends Pick<RunResults, 'meta' | 'phases' | 'faults' | 'slos' | 'verdicts'> {
  readonly runMs: number;
  readonly scopes: readonly Scope[];
}

/** The results in results.json's key order, from the verdict's parts and the sections no verdict reads. */
function assemble(input: RunEvaluationInput, v: VerdictParts): RunResults {
  const { runMs, phases, faults, scopes } = v;
  const exemplars = buildExemplars(input.load, scopes);
  const hl7 = buildHl7Section(input.load, scopes, phases, faults, runMs);
  return {
    schemaVersion: 1,
    meta: v.meta,
    phases, faults,
    timeline: buildTimeline(input.load, runMs, input.spans?.perSecond ?? []),
    servicePhases: servicePhases(input),
    phaseTables: buildPhaseTables(input.load, scopes),
    verdicts: v.verdicts, slos: v.slos,
    resilience: evaluateResilience(input.load, phases, faults, runMs),
    phi: input.phi ? phiSection(input.phi) : null,
    ledger: input.ledger ? { ...input.ledger, missingIds: [...input.ledger.missingIds], changedIds: [...input.ledger.changedIds] } : null,
    join: input.join ? { total: input.join.total, withServerSpan: input.join.withServerSpan, missing: input.join.missing, missingFraction: input.join.missingFraction } : null,
    ...(exemplars ? { exemplars } : {}),
    journal: [...input.journal],
    ...(input.spans?.windows ? { attribution: evaluateAttribution(input.spans.windows, faults) } : {}),
    ...(input.spans?.slowTraces ? { traces: faultWaterfalls(input.spans.slowTraces, faults) } : {}),
    ...(input.spans?.sampling ? { spanSampling: spanSamplingSection(input.spans.sampling) } : {}),
    ...(hl7 ? { hl7 } : {}),
  };
}

/**
 * Evaluates a finished (or interrupted) run.
 * @example const results = evaluateRun({ meta, phases: plan.phases, faults: plan.faults, journal, slos: plan.slos, thresholds: plan.thresholds, load });
 */
export function evaluateRun(input: RunEvaluationInput): RunResults {
  return startEvaluation(input).results();
}
