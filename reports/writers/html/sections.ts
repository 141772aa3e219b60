/** @module reports/writers/html: the report's sections, each RunResults → an HTML fragment. */
import { clock, count, humanDuration, ms, objectiveText, pct, pp, windowText } from '../../format.js';
import type { PhaseTable, RunResults, Verdict } from '../../results/types.js';
import { scopeText } from '../../evaluate/slo-scope.js';
import { esc } from './escape.js';
import { whereTheTimeWent } from '../attribution-text.js';
import { loadViews, type LoadView } from '../load-view.js';

const STATUS_WORD = { passed: 'PASSED', failed: 'FAILED', halted: 'HALTED', interrupted: 'INTERRUPTED' } as const;
const num = (v: string | number): string => `<td class="num">${esc(v)}</td>`;
const mark = (pass: boolean): string => `<span class="${pass ? 'pass' : 'fail'}">${pass ? '✓ pass' : '✗ fail'}</span>`;
/** A failure that does not gate the run (`gating: false`): shown, in amber, as information. */
const infoMark = '<span class="warn">! not gating</span>';
const verdictMark = (v: Verdict): string => (!v.pass && v.gating === false ? infoMark : mark(v.pass));
const gatingFailures = (r: RunResults): Verdict[] => r.verdicts.filter((v) => !v.pass && v.gating !== false);
const warnings = (r: RunResults): Verdict[] => r.verdicts.filter((v) => !v.pass && v.gating === false);

export function banner(r: RunResults): string {
  const failed = gatingFailures(r);
  const info = warnings(r).length;
  const why = (r.meta.status === 'passed'
    ? `all ${r.verdicts.length - info} gating checks passed`
    : r.meta.haltReason ? `halted: ${r.meta.haltReason}` : `${failed.length} of ${r.verdicts.length} checks failed`) +
    (info ? ` · ${info} non-gating warning(s)` : '');
  return `<header class="banner ${r.meta.status}" id="verdict"><h1>${STATUS_WORD[r.meta.status]} · ${esc(r.meta.name)}</h1>` +
    `<p>${esc(why)} · exit ${r.meta.exitCode} · run ${esc(r.meta.runId)} · ${esc(r.meta.target)} · ${esc(r.meta.startedAt)} · ${humanDuration(r.meta.durationMs)}</p></header>`;
}

const tile = (label: string, value: string, state: 'ok' | 'bad' | '' = ''): string => `<div class="tile ${state}"><small>${esc(label)}</small><b>${esc(value)}</b></div>`;

/** Count, failed share and p95 of one event kind (`requests`, or `HL7 messages` · `failed` · `ACK p95`). */
const loadTiles = (v: LoadView): string[] => [
  tile(v.words.events, count(v.total?.count ?? 0)),
  tile(v.words.failed, pct(v.total?.errorRate ?? 0), (v.total?.failures ?? 0) > 0 ? 'bad' : 'ok'),
  tile(v.kind === 'hl7' ? 'ACK p95' : 'p95 latency', ms(v.total?.p95Ms ?? null)),
];

export function tiles(r: RunResults): string {
  const { primary, hl7 } = loadViews(r);
  const failedSlos = r.slos.filter((s) => !s.pass).length;
  const score = primary.resilience.score;
  return `<section class="tiles">${[
    ...loadTiles(primary),
    tile('SLOs met', `${r.slos.length - failedSlos} / ${r.slos.length}`, failedSlos ? 'bad' : 'ok'),
    tile('resilience score', score === null ? '–' : `${score} / 100`, score !== null && score < 70 ? 'bad' : 'ok'),
    tile('failed checks', String(gatingFailures(r).length), gatingFailures(r).length ? 'bad' : 'ok'),
    ...(hl7 ? loadTiles(hl7) : []),
  ].join('')}</section>`;
}

/** Did we pass, what broke and when, how fast we recovered, what it cost — in four lines. */
export function glance(r: RunResults): string {
  const lines: string[] = [];
  const failedKinds = [...new Set(gatingFailures(r).map((v) => v.kind))];
  lines.push(r.meta.status === 'passed' ? 'Every SLO, threshold and check held.' : `Failed: ${failedKinds.join(', ')}${r.meta.haltReason ? `; halted (${r.meta.haltReason})` : ''}.`);
  const { primary } = loadViews(r);
  const w = primary.words;
  for (const f of primary.resilience.faults) {
    const what = [
      f.p95DeltaMs !== null ? `${w.latency}p95 ${f.p95DeltaMs >= 0 ? '+' : ''}${ms(f.p95DeltaMs)}` : null,
      f.errorRateDelta !== null ? `${primary.kind === 'hl7' ? 'failed messages' : 'errors'} ${pp(f.errorRateDelta)}` : null,
    ].filter(Boolean).join(', ');
    const back = f.timeToRecoverMs === null ? 'did not recover before the run ended' : `recovered ${humanDuration(f.timeToRecoverMs)} after it ended`;
    lines.push(`Fault "${f.fault}" (${f.proxy} ${f.toxic}, ${clock(f.startMs)}–${clock(f.endMs)}): ${what || 'no baseline to compare'}; ${back}.`);
    const where = whereTheTimeWent(r, f, w.latency);
    if (where) lines.push(where);
  }
  const costly = [...r.slos].sort((a, b) => b.budget.worstBurnRate - a.budget.worstBurnRate)[0];
  if (costly && costly.budget.exhaustsAfterMs !== null) lines.push(`${costly.name}: ${costly.budget.sentence}`);
  return `<section id="glance"><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`;
}

/** For managers: one card per SLO, in words. */
export function sloSection(r: RunResults): string {
  if (!r.slos.length) return '<h2 id="slos">SLOs and error budget</h2><p class="dim">The plan declares no SLOs.</p>';
  const cards = r.slos.map((s) => {
    const run = s.scopes.find((x) => x.scope === 'run');
    const goal = s.events === 'hl7'
      ? (s.sli === 'availability' ? 'HL7 messages are acknowledged (AA)' : `HL7 messages are acknowledged within ${ms(s.thresholdMs)}`)
      : s.sli === 'availability' ? 'requests succeed' : `requests answer within ${ms(s.thresholdMs)}`;
    const used = Math.min(1, s.budget.consumedFraction);
    const alerts = s.budget.alerts.filter((a) => a.firesIfSustained).map((a) => `${a.severity} (${a.factor}× over ${humanDuration(a.longWindowMs)})`);
    const fired = s.budget.alerts.filter((a) => a.firedDuringDrill);
    const rows = s.scopes.map((x) => `<tr class="${x.gating ? 'gating' : 'info'}"><td>${esc(x.label)}</td><td>${x.gating ? 'gates' : '<small>information</small>'}</td>${num(count(x.total))}${num(x.ratio === null ? '–' : pct(x.ratio, 3))}${num(`${x.burnRate.toFixed(1)}×`)}${num(pct(x.budgetConsumed, 3))}<td>${!x.pass && !x.gating ? infoMark : mark(x.pass)}${x.estimated ? ' <small>(estimated)</small>' : ''}</td></tr>`);
    return `<article class="slo-card ${s.pass ? 'passed' : 'failed'}" data-slo="${esc(s.name)}"><h3>${esc(s.name)} ${mark(s.pass)}</h3>` +
      `<p>Goal: ${objectiveText(s.objective)} of ${esc(goal)}${s.filter ? ` <small>(${esc(Object.entries(s.filter).map(([k, v]) => `${k} ${v}`).join(', '))})</small>` : ''}, measured over ${windowText(s.windowMs)} windows. ` +
      `This run: <b>${run?.ratio === null || run === undefined ? 'no events' : pct(run.ratio, 3)}</b>.</p>` +
      `<p class="slo-scope">Gates on ${esc(scopeText(s.scope))} <small>(scope: ${esc(s.scope)})</small>; other windows are information.</p>` +
      `<p class="sentence">${esc(s.budget.sentence)}</p>` +
      `<div class="meter" title="${pct(used)} of the budget used"><i style="width:${(used * 100).toFixed(2)}%"></i></div>` +
      `<p><small>${alerts.length ? `Burn-rate alerts that would fire if this lasted: ${esc(alerts.join(', '))}.` : 'No burn-rate alert would fire at this rate.'} ` +
      `${fired.length ? `Fired during the drill: ${esc(fired.map((a) => `${a.severity} ${a.factor}× at ${clock(a.firstFiredAtMs ?? 0)}`).join(', '))}.` : ''}</small></p>` +
      `<div class="table-wrap"><table><thead><tr><th>window</th><th>role</th><th class="num">events</th><th class="num">good</th><th class="num">burn</th><th class="num">budget used</th><th>verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></article>`;
  });
  return `<h2 id="slos">SLOs and error budget</h2>${cards.join('')}`;
}

export function resilienceSection(r: RunResults): string {
  const { primary, hl7 } = loadViews(r);
  if (!primary.resilience.faults.length) return '';
  const score = primary.resilience.score;
  return `<h2 id="resilience">Resilience${score === null ? '' : ` · score ${score} / 100`}</h2>${faultTable(primary, false)}` +
    (hl7 ? `<h3 id="resilience-hl7">HL7 messages${hl7.resilience.score === null ? '' : ` · score ${hl7.resilience.score} / 100`}</h3>${faultTable(hl7, true)}` : '');
}

/** One row per fault: p50/p95 and failed share against the baseline, time to recover, score. */
function faultTable(v: LoadView, secondary: boolean): string {
  const w = v.words;
  const rows = v.resilience.faults.map((f) => `<tr><td>${esc(f.fault)} <small>${esc(f.proxy)} ${esc(f.toxic)}</small></td><td>${clock(f.startMs)}–${clock(f.endMs)}</td>` +
    `${num(f.p50DeltaMs == null ? '–' : `${f.p50DeltaMs >= 0 ? '+' : ''}${ms(f.p50DeltaMs)}`)}` +
    `${num(f.p95DeltaMs === null ? '–' : `${f.p95DeltaMs >= 0 ? '+' : ''}${ms(f.p95DeltaMs)} (${f.p95Ratio}×)`)}${num(f.errorRateDelta === null ? '–' : pp(f.errorRateDelta))}` +
    `${num(f.timeToRecoverMs === null ? 'not recovered' : humanDuration(f.timeToRecoverMs))}${num(f.score ?? '–')}</tr>`);
  return `<div class="table-wrap"><table class="resilience" data-events="${v.kind}"${secondary ? '' : ' id="resilience-table"'}><thead><tr><th>fault</th><th>window</th><th class="num">${w.latency}p50 vs baseline</th><th class="num">${w.latency}p95 vs baseline</th><th class="num">${v.kind === 'hl7' ? 'failed' : 'errors'} vs baseline</th><th class="num">time to recover</th><th class="num">score</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function verdictSection(r: RunResults): string {
  const rows = (vs: readonly Verdict[]): string => vs.map((v) => `<tr class="${v.pass ? 'ok' : v.gating === false ? 'info' : 'bad'}"><td>${verdictMark(v)}</td><td>${esc(v.kind)}</td><td>${esc(v.name)}</td><td>${esc(v.phase ?? 'run')}</td><td><code>${esc(v.expected)}</code></td><td>${esc(v.message)}</td></tr>`).join('');
  const rank = (v: Verdict): number => (v.pass ? 2 : v.gating === false ? 1 : 0);
  const sorted = [...r.verdicts].sort((a, b) => rank(a) - rank(b));
  return `<h2 id="verdicts">Verdicts</h2><div class="table-wrap"><table><thead><tr><th></th><th>kind</th><th>name</th><th>window</th><th>expected</th><th>observed</th></tr></thead><tbody>${rows(sorted)}</tbody></table></div>`;
}

/** Rows of one scope's table: per endpoint, then the total. HL7 tables have no intended-start columns. */
function endpointTable(t: PhaseTable, hl7: boolean): string {
  const rows = [...t.rows, t.total].map((e) => `<tr><td>${esc(e.scenario)}</td><td>${esc(e.request)}</td>${num(count(e.count))}${num(count(e.failures))}${num(pct(e.errorRate))}${num(ms(e.p50Ms))}${num(ms(e.p95Ms))}${num(ms(e.p99Ms))}${num(ms(e.maxMs))}${hl7 ? '' : `${num(ms(e.p95CorrectedMs ?? null))}${num(ms(e.p99CorrectedMs ?? null))}`}</tr>`);
  const head = hl7
    ? '<th>scenario</th><th>step</th><th class="num">messages</th><th class="num">failed</th><th class="num">failed share</th><th class="num">ACK p50</th><th class="num">ACK p95</th><th class="num">ACK p99</th><th class="num">ACK max</th>'
    : '<th>scenario</th><th>request</th><th class="num">count</th><th class="num">failed</th><th class="num">error rate</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">max</th><th class="num" title="from the intended start (http_req_duration_corrected)">p95 intended</th><th class="num" title="from the intended start (http_req_duration_corrected)">p99 intended</th>';
  return `<div class="table-wrap"><table class="phase-table" data-scope="${esc(t.scope)}" data-events="${hl7 ? 'hl7' : 'http'}"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function phaseTableSection(r: RunResults): string {
  const { primary, hl7 } = loadViews(r);
  // HL7 messages only: their tables replace the (empty) request tables; mixed: both, requests first.
  const messages = primary.kind === 'hl7' ? primary : hl7;
  const tables = r.phaseTables.map((t) => {
    const m = messages?.phaseTables.find((x) => x.scope === t.scope);
    return `<h3>${esc(t.label)} <small>${clock(t.startMs)}–${clock(t.endMs)}</small></h3>${primary.kind === 'http' ? endpointTable(t, false) : ''}${m ? endpointTable(m, true) : ''}`;
  });
  const services = r.servicePhases.length
    ? `<h3>Server spans per service</h3><div class="table-wrap"><table><thead><tr><th>service</th><th>phase</th><th class="num">spans</th><th class="num">errors</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th></tr></thead><tbody>${r.servicePhases.map((s) => `<tr><td>${esc(s.service)}</td><td>${esc(s.phase)}</td>${num(count(s.count))}${num(count(s.errors))}${num(ms(s.p50Ms))}${num(ms(s.p95Ms))}${num(ms(s.p99Ms))}</tr>`).join('')}</tbody></table></div>`
    : '';
  const note = [
    primary.kind === 'http' ? 'p50–max count from when a request was sent (k6 <code>http_req_duration</code>); the "intended" columns from when the open model meant to send it. They part when the load generator or the target stalls.' : '',
    messages ? 'HL7 tables: one row per <code>mllp</code> step; ACK time from sending the message to its ACK (<code>hl7_msg_duration</code>); failed = no ACK, <code>AE</code>/<code>AR</code>, a timeout or a reset (<code>hl7_msg_failed</code>).' : '',
  ].filter(Boolean).join(' ');
  return `<h2 id="phases">Per phase</h2><p class="dim"><small>${note}</small></p>${tables.join('')}${services}`;
}

export function findingsSection(r: RunResults): string {
  const parts: string[] = [];
  if (r.meta.haltReason) parts.push(`<p class="fail">The run was halted: ${esc(r.meta.haltReason)}</p>`);
  if (r.phi) parts.push(phiFindings(r.phi));
  if (r.ledger) {
    const l = r.ledger;
    const read = l.rule ? ` <small>Read back ${esc(l.rule)}.</small>` : '';
    parts.push(l.missingIds.length + l.changedIds.length === 0
      ? `<p class="pass" id="ledger">No data lost: ${l.checked} records checked.${read}</p>`
      : `<p class="fail" id="ledger">Data loss: ${l.missingIds.length} missing, ${l.changedIds.length} changed of ${l.checked} records checked.${read}</p><p><small>missing: ${esc(l.missingIds.slice(0, 50).join(', ') || '–')} · changed: ${esc(l.changedIds.slice(0, 50).join(', ') || '–')}</small></p>`);
  }
  if (r.join) parts.push(`<p>${pct(r.join.missingFraction)} of ${r.join.total} requests have no server span (${r.join.missing} without a trace on the server side).</p>`);
  return parts.length ? `<section id="findings"><h2>Findings</h2>${parts.join('')}</section>` : '';
}

/** PHI findings grouped by rule × service × key: one row per kind of leak, not per span. */
function phiFindings(p: NonNullable<RunResults['phi']>): string {
  const allowed = p.allowed ? ` ${p.allowed} allow-listed finding(s) ignored (compliance.allow).` : '';
  if (p.scan === 'off') return '<p class="dim" id="phi">PHI scan off (compliance.phiScan: off): telemetry was not checked for PHI.</p>';
  if (p.total === 0) return `<p class="pass" id="phi">No PHI found in ${p.scannedSpans} spans and ${p.scannedLogs} log records.${esc(allowed)}</p>`;
  const cls = p.onFinding === 'warn' ? 'warn' : 'fail';
  const how = p.onFinding === 'warn' ? ' — warning only, does not fail the run (compliance.onFinding: warn)' : '';
  const rows = p.groups.map((g) => `<tr><td>${esc(g.rule)}</td><td>${esc(g.service)}</td><td><code>${esc(g.key)}</code> <small>${esc(g.location)}</small></td>${num(count(g.count))}<td><code>${esc(g.masked)}</code></td><td>${g.traceIds.map((t) => `<code>${esc(t.slice(0, 12))}…</code>`).join(' ')}</td></tr>`);
  return `<p class="${cls}" id="phi">${p.total} possible PHI leak(s) in telemetry in ${p.groups.length} group(s) (values masked)${esc(how)}.${esc(allowed)}</p>` +
    `<div class="table-wrap"><table class="phi-groups"><thead><tr><th>rule</th><th>service</th><th>key</th><th class="num">findings</th><th>example</th><th>first traces</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>` +
    (p.ungrouped ? `<p><small>${p.ungrouped} more finding(s) beyond the group limit.</small></p>` : '');
}

export function journalSection(r: RunResults): string {
  const rows = r.journal.map((e) => {
    const detail = [e.phase, e.proxy, e.toxic, e.type, e.stream, e.reason, e.error, e.attributes ? JSON.stringify(e.attributes) : undefined, e.leftovers ? `leftovers: ${e.leftovers.length}` : undefined].filter(Boolean).join(' · ');
    return `<tr><td class="num">${clock(e.offsetMs)}</td><td>${esc(e.action)}</td><td class="${e.outcome === 'ok' ? '' : 'fail'}">${esc(e.outcome)}</td><td>${esc(detail)}</td><td><small>${esc(e.time)}</small></td></tr>`;
  });
  return `<h2 id="journal">Journal</h2><div class="table-wrap"><table class="journal"><thead><tr><th class="num">at</th><th>action</th><th>outcome</th><th>detail</th><th>time</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
