/** @module run: turns what a game day measured into the reports' `RunEvaluationInput`. */
import type { JournalEntry } from '../core/index.js';
import type { MetricStore } from '../core/metrics/index.js';
import type { CheckOutcome, HypothesisOutcome, RunEvaluationInput } from '../reports/index.js';
import type { LoadResult } from '../scenarios/index.js';
import type { GameDayRecord } from './game-day.js';
import { loadQueryOf } from './load-query.js';

export function evaluationInputOf(record: GameDayRecord, journal: readonly JournalEntry[]): RunEvaluationInput {
  const { plan } = record;
  const halt = record.status === 'halted' && record.haltReason ? { reason: record.haltReason, atMs: haltOffset(journal) } : undefined;
  return {
    meta: {
      name: plan.name,
      runId: record.runId,
      planFile: plan.file,
      target: plan.target.baseUrl,
      startedAt: new Date(record.startedAtEpochMs).toISOString(),
      endedAt: new Date(record.endedAtEpochMs).toISOString(),
      durationMs: record.endedAtEpochMs - record.startedAtEpochMs,
      interrupted: record.status === 'interrupted',
      abortedRequests: record.abortedRequests,
      ...(record.endpoints?.metricsUrl ? { metricsUrl: record.endpoints.metricsUrl } : {}),
    },
    phases: plan.phases,
    faults: plan.faults,
    journal,
    slos: plan.slos,
    thresholds: plan.thresholds,
    load: loadQueryOf(record.store),
    checks: checkOutcomes(record.store),
    hypothesis: hypothesisOutcomes(record),
    traceAssertions: record.traceAssertions ?? [],
    ...(record.phi ? { phi: record.phi } : {}),
    ...(record.join ? { join: record.join } : {}),
    ...(record.spans ? { spans: spansOf(record) } : {}),
    ...(record.ledger ? {
      ledger: {
        checked: record.ledger.checked,
        acknowledged: record.ledger.acknowledged,
        ...(record.ledger.rule ? { rule: record.ledger.rule } : {}),
        missingIds: [...record.ledger.missing, ...record.ledger.unreadable].map((p) => `${p.resourceType}/${p.id}${p.kind === 'unreadable' ? ` (unverified: ${p.detail})` : ''}`),
        changedIds: record.ledger.changed.map((p) => `${p.resourceType}/${p.id} (${p.detail})`),
      },
    } : {}),
    ...(halt ? { halt } : {}),
    ...(record.load ? { sent: sentOf(record.load) } : record.k6ExitCode !== undefined ? { sent: { requests: record.store.query({ metric: 'http_reqs' }).count, renderFailures: 0 } } : {}),
  };
}

/** Span aggregates, plus (when the after-run analysis worked) per-second p95s, window statistics and slow traces. */
function spansOf(record: GameDayRecord): NonNullable<RunEvaluationInput['spans']> {
  const a = record.spanAnalysis;
  const store = record.spans?.store;
  return {
    aggregates: record.spans?.aggregates ?? [],
    ...(a ? { perSecond: a.perSecond, windows: a.windows, slowTraces: a.slowTraces } : {}),
    ...(store ? { sampling: { sampling: store.sampling, spans: store.spans, ...(store.files ? { files: store.files } : {}) } } : {}),
  };
}

/** What the embedded engine sent, for the reports' no-requests rule. */
function sentOf(load: LoadResult): NonNullable<RunEvaluationInput['sent']> {
  const first = load.renderFailures.first;
  return { requests: load.requests, renderFailures: load.renderFailures.count, ...(first ? { firstRenderFailure: `scenario "${first.scenario}", step "${first.name}": ${first.message}` } : {}) };
}

function hypothesisOutcomes(record: GameDayRecord): HypothesisOutcome[] {
  const probes: HypothesisOutcome[] = [...record.hypothesisBefore, ...record.hypothesisAfter].map((r) => ({ name: r.name, when: r.when, pass: r.pass, status: r.status, message: r.message }));
  if (record.status === 'aborted-steady-state') {
    probes.push({ name: 'steady state before faults', when: 'before', pass: false, status: null, message: 'a probe failed before any fault, so the drill was not run (no load, no faults)' });
  }
  if (record.targetExit) {
    const how = record.targetExit.signal ?? `code ${record.targetExit.code}`;
    probes.push({ name: 'target process stays up', pass: false, status: null, message: `the target exited (${how}) ${Math.round(record.targetExit.atMs / 1000)}s into the run` });
  }
  if (record.rollback && record.rollback.leftovers.length > 0) {
    probes.push({ name: 'faults rolled back', when: 'after', pass: false, status: null, message: `left on the chaos server: ${record.rollback.leftovers.join(', ')}` });
  }
  return probes;
}

/** One outcome per scenario × check name, from the `checks` rate series. */
export function checkOutcomes(store: MetricStore): CheckOutcome[] {
  const seen = new Map<string, { scenario: string; name: string }>();
  for (const s of store.list()) {
    if (s.metric === 'checks' && s.tags.check !== undefined) seen.set(`${s.tags.scenario}\u0000${s.tags.check}`, { scenario: s.tags.scenario ?? '', name: s.tags.check });
  }
  return [...seen.values()].map(({ scenario, name }) => {
    const a = store.query({ metric: 'checks', tags: { scenario, check: name } });
    return { scenario, name, passes: a.passes, fails: a.samples - a.passes };
  });
}


function haltOffset(journal: readonly JournalEntry[]): number {
  return journal.find((e) => e.action === 'halt' && e.outcome === 'ok')?.offsetMs ?? 0;
}
