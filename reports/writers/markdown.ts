/** @module reports/writers: `summary.md` — one screen for a CI job summary or a PR comment (GitHub-flavoured). */
import { count, humanDuration, ms, objectiveText, pct, pp } from '../format.js';
import type { RunResults, Verdict } from '../results/types.js';
import { loadViews, type LoadView } from './load-view.js';
import { spanLabel, whereTheTimeWent } from './attribution-text.js';
import { spanSamplingText } from './span-sampling-text.js';
import { exemplarWindows } from './exemplar-windows.js';
import type { ReportWriter } from './writer.js';

const ICON = { passed: '✅', failed: '❌', halted: '🛑', interrupted: '⚠️' } as const;
const MAX_FAILED = 10;
const MAX_PHI_GROUPS = 20;
const MAX_SLOWEST = 3;
/** Markdown table cells: no pipes or newlines. */
const cell = (v: unknown): string => String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const line = (v: Verdict): string => `- ✗ **${cell(v.kind)}** ${cell(v.name)}${v.phase ? ` _(${cell(v.phase)})_` : ''}: ${cell(v.message)}`;

/** The headline row of one event kind: count, failed share, p95, p99. */
const headline = (v: LoadView): string =>
  `| ${count(v.total?.count ?? 0)} | ${pct(v.total?.errorRate ?? 0)} | ${ms(v.total?.p95Ms ?? null)} | ${ms(v.total?.p99Ms ?? null)} |`;
const headlineHeader = (v: LoadView): string => `| ${v.words.events} | ${v.words.failed} | ${v.words.latency}p95 | ${v.words.latency}p99 |`;

export function renderMarkdown(r: RunResults): string {
  const { primary, hl7 } = loadViews(r);
  const failed = r.verdicts.filter((v) => !v.pass && v.gating !== false);
  const info = r.verdicts.filter((v) => !v.pass && v.gating === false);
  const out: string[] = [
    `### ${ICON[r.meta.status]} ${r.meta.status.toUpperCase()} · ${cell(r.meta.name)}`,
    '',
    `\`${cell(r.meta.runId)}\` · ${humanDuration(r.meta.durationMs)} · ${cell(r.meta.target)} · exit ${r.meta.exitCode}${r.meta.haltReason ? ` · halted: ${cell(r.meta.haltReason)}` : ''}${r.meta.abortedRequests ? ` · ${count(r.meta.abortedRequests)} requests aborted by codeblue (not failures)` : ''}`,
    '',
    `${headlineHeader(primary)} SLOs met | resilience |`,
    '|---:|---:|---:|---:|---:|---:|',
    `${headline(primary)} ${r.slos.filter((s) => s.pass).length} / ${r.slos.length} | ${primary.resilience.score ?? '–'} / 100 |`,
    '',
  ];
  // A mixed plan: the HL7 messages' own headline under the requests'.
  if (hl7) out.push(`${headlineHeader(hl7)} resilience |`, '|---:|---:|---:|---:|---:|', `${headline(hl7)} ${hl7.resilience.score ?? '–'} / 100 |`, '');
  if (failed.length) {
    out.push(`**${failed.length} of ${r.verdicts.length} checks failed**`, '', ...failed.slice(0, MAX_FAILED).map(line));
    if (failed.length > MAX_FAILED) out.push(`- … and ${failed.length - MAX_FAILED} more (see junit.xml / report.html)`);
    out.push('');
  } else out.push(info.length ? `**All ${r.verdicts.length - info.length} gating checks passed.**` : `**All ${r.verdicts.length} checks passed.**`, '');
  if (info.length) out.push(`<details><summary>${info.length} non-gating warning(s)</summary>`, '', ...info.map((v) => line(v).replace('- ✗', '- ⚠️')), '', '</details>', '');
  if (r.phi?.scan === 'off') out.push('_PHI scan off (`compliance.phiScan: off`): telemetry was not checked for PHI._', '');
  if (r.slos.length) {
    out.push('| SLO | objective | gates on | whole run | worst window | budget used | |', '|---|---:|---|---:|---|---:|:---:|');
    for (const s of r.slos) {
      const run = s.scopes.find((x) => x.scope === 'run');
      const worst = s.scopes.find((x) => x.scope === s.budget.worstScope);
      out.push(`| ${cell(s.name)}${s.events === 'hl7' ? ' (HL7)' : ''} | ${objectiveText(s.objective)} | ${cell(s.scope)} | ${run?.ratio == null ? '–' : pct(run.ratio, 3)} | ${worst?.ratio == null ? '–' : `${cell(worst.label)} ${pct(worst.ratio, 3)}`} | ${pct(s.budget.consumedFraction, 3)} | ${s.pass ? '✓' : '✗'} |`);
    }
    out.push('', ...r.slos.filter((s) => s.budget.exhaustsAfterMs !== null).map((s) => `> **${cell(s.name)}:** ${cell(s.budget.sentence)}`), '');
  }
  if (primary.resilience.faults.length) {
    out.push(...faultTable(primary, false), ...(hl7 ? faultTable(hl7, true) : []), ...attributionLines(r, primary));
  }
  out.push(...slowestLines(r));
  if (r.spanSampling) out.push(`> ${cell(spanSamplingText(r.spanSampling))}`, '');
  if (r.ledger?.rule) out.push(`> Data ledger: read back ${cell(r.ledger.rule)}.`, '');
  out.push(...phiLines(r));
  out.push('<details><summary>All verdicts</summary>', '', '| | kind | name | window | observed |', '|:---:|---|---|---|---|');
  for (const v of r.verdicts) out.push(`| ${v.pass ? '✓' : '✗'} | ${cell(v.kind)} | ${cell(v.name)} | ${cell(v.phase ?? 'run')} | ${cell(v.message)} |`);
  out.push('', '</details>', '');
  return out.join('\n');
}

/** Per fault: degradation against the baseline, time to recover, score (`named`: the event kind in the first header). */
function faultTable(v: LoadView, named: boolean): string[] {
  const w = v.words;
  const signed = (d: number | null | undefined): string => (d == null ? '–' : `${d >= 0 ? '+' : ''}${ms(d)}`);
  return [
    `| fault${named ? ` (${w.events})` : ''} | ${w.latency}p50 vs baseline | ${w.latency}p95 vs baseline | ${v.kind === 'hl7' ? 'failed' : 'errors'} vs baseline | time to recover | score |`, '|---|---:|---:|---:|---:|---:|',
    ...v.resilience.faults.map((f) => `| ${cell(f.fault)} (${cell(f.proxy)} ${cell(f.toxic)}) | ${signed(f.p50DeltaMs)} | ${signed(f.p95DeltaMs)} | ${f.errorRateDelta === null ? '–' : pp(f.errorRateDelta)} | ${f.timeToRecoverMs === null ? 'not recovered' : humanDuration(f.timeToRecoverMs)} | ${f.score ?? '–'} |`),
    '',
  ];
}

/** Per fault: the at-a-glance sentence and the top 3 spans by added self time. */
function attributionLines(r: RunResults, v: LoadView): string[] {
  const out: string[] = [];
  for (const f of v.resilience.faults) {
    const a = r.attribution?.find((x) => x.fault === f.fault);
    const sentence = whereTheTimeWent(r, f, v.words.latency);
    if (!a || !sentence) continue;
    out.push(`**Where the time went** — ${sentence}`, '', `<details><summary>Top spans by added time in ${cell(f.fault)}</summary>`, '', '| span | share | self added / request | self p95 Δ | p50 Δ | p95 Δ | errors Δ |', '|---|---:|---:|---:|---:|---:|---:|');
    const signed = (v: number | null): string => (v === null ? '–' : `${v >= 0 ? '+' : '−'}${ms(Math.abs(v))}`);
    for (const row of a.rows.slice(0, 3)) {
      out.push(`| \`${cell(spanLabel(row))}\` | ${row.share === null ? '–' : pct(row.share, 0)} | ${signed(row.addedMsPerTrace)} | ${signed(row.selfP95DeltaMs)} | ${signed(row.p50DeltaMs)} | ${signed(row.p95DeltaMs)} | ${row.errorRateDelta === null ? '–' : pp(row.errorRateDelta)} |`);
    }
    out.push('', '</details>', '');
  }
  return out;
}

/** The 3 slowest requests of each fault window (the whole run without faults), with their trace ids. */
function slowestLines(r: RunResults): string[] {
  const windows = exemplarWindows(r).filter((w) => w.slowest.length > 0);
  if (!windows.length) return [];
  const out = ['| slowest requests | request | status | duration | from intended start | trace id |', '|---|---|---:|---:|---:|---|'];
  for (const w of windows) {
    for (const e of w.slowest.slice(0, MAX_SLOWEST)) {
      out.push(`| ${cell(w.label)} | ${cell(e.scenario)} · ${cell(e.request)} | ${e.status === 0 ? 'none' : e.status} | ${ms(e.durationMs)} | ${ms(e.correctedDurationMs)} | \`${cell(e.traceId)}\` |`);
    }
  }
  return [...out, ''];
}

/** PHI findings grouped by rule × service × key (biggest first), folded below the verdicts. */
function phiLines(r: RunResults): string[] {
  const p = r.phi;
  if (!p || p.scan === 'off' || p.total === 0) return [];
  const out = [
    `<details><summary>PHI in telemetry: ${p.total} finding(s) in ${p.groups.length} group(s)${p.onFinding === 'warn' ? ' (warning only)' : ''}${p.allowed ? `, ${p.allowed} allow-listed` : ''}</summary>`,
    '', '| rule | service | key | findings | example | first traces |', '|---|---|---|---:|---|---|',
    ...p.groups.slice(0, MAX_PHI_GROUPS).map((g) => `| ${cell(g.rule)} | ${cell(g.service)} | \`${cell(g.key)}\` | ${g.count} | \`${cell(g.masked)}\` | ${g.traceIds.map((t) => `\`${t.slice(0, 12)}\``).join(' ')} |`),
  ];
  if (p.groups.length > MAX_PHI_GROUPS) out.push(`| … | ${p.groups.length - MAX_PHI_GROUPS} more group(s) in report.html | | | | |`);
  return [...out, '', '</details>', ''];
}

export const markdownWriter: ReportWriter = { format: 'markdown', file: 'summary.md', render: renderMarkdown };
