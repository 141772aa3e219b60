/** @module reports/writers/html: the fault attribution section — per fault, which spans took the added time. */
import { count, ms, pct, pp } from '../../format.js';
import type { FaultAttribution, RunResults } from '../../results/types.js';
import { esc } from './escape.js';
import { spanLabel, topContributor } from '../attribution-text.js';

const num = (v: string): string => `<td class="num">${esc(v)}</td>`;
const signed = (v: number | null): string => (v === null ? '–' : `${v >= 0 ? '+' : '−'}${ms(Math.abs(v))}`);

function table(a: FaultAttribution): string {
  const rows = a.rows.map((r, i) => `<tr${i === 0 && topContributor(a) ? ' class="top"' : ''}><td>${esc(r.service)}</td><td>${esc(r.span)} <small>${esc(r.kind)}</small></td>` +
    `${num(r.share === null ? '–' : pct(r.share, 0))}${num(signed(r.addedMsPerTrace))}${num(signed(r.selfP95DeltaMs))}${num(signed(r.p50DeltaMs))}${num(signed(r.p95DeltaMs))}` +
    `${num(`${count(r.baseline?.count ?? 0)} → ${count(r.during?.count ?? 0)}`)}${num(r.errorRateDelta === null ? `${r.baseline?.errors ?? 0} → ${r.during?.errors ?? 0}` : pp(r.errorRateDelta))}</tr>`);
  return `<div class="table-wrap"><table class="attribution" data-fault="${esc(a.fault)}"><thead><tr><th>service</th><th>span</th>` +
    '<th class="num">share of added time</th><th class="num">self time added / request</th><th class="num">self p95 Δ</th><th class="num">p50 Δ</th><th class="num">p95 Δ</th>' +
    `<th class="num">spans (baseline → fault)</th><th class="num">errors Δ</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** One table per fault window; nothing when the run had no spans to compare. */
export function attributionSection(r: RunResults): string {
  const list = r.attribution ?? [];
  if (!list.length) return '';
  const parts = list.map((a) => {
    const top = topContributor(a);
    const lead = top
      ? `${pct(top.share ?? 0, 0)} of the ${ms(a.addedMsPerTrace)} added to each request went to <b>${esc(spanLabel(top))}</b>.`
      : 'No span took more time per request than in the baseline.';
    return `<h3 id="attribution-${esc(a.fault)}">${esc(a.fault)} <small>${a.faultTraces} traces vs ${a.baselineTraces} in the baseline</small></h3><p>${lead}</p>${a.rows.length ? table(a) : ''}`;
  });
  return '<h2 id="attribution">Where the time went</h2><p class="dim"><small>Per fault window against the baseline, from the target\'s spans: ' +
    'self time is a span\'s duration minus the time its child spans cover; "added / request" is the change of that span\'s total self time per trace.</small></p>' +
    parts.join('');
}
