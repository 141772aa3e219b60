/** @module reports/writers/html: "slowest requests" per fault window, each row anchored `trace-<traceId>` for links to its trace. */
import { clock, ms } from '../../format.js';
import type { ExemplarResult, RunResults } from '../../results/types.js';
import { exemplarWindows } from '../exemplar-windows.js';
import { esc } from './escape.js';

const num = (v: string): string => `<td class="num">${esc(v)}</td>`;

function row(e: ExemplarResult, anchored: Set<string>, drawn: ReadonlySet<string>): string {
  // An id must be unique in the page: a trace in two overlapping fault windows is anchored once.
  const id = anchored.has(e.traceId) ? '' : ` id="trace-${esc(e.traceId)}"`;
  anchored.add(e.traceId);
  const lag = e.startMs - e.intendedStartMs;
  return `<tr${id}${e.failed ? ' class="bad"' : ''}><td>${traceCell(e.traceId, drawn)}</td><td>${esc(e.scenario)}</td><td>${esc(e.request)}</td>` +
    `${num(e.status === 0 ? 'no response' : String(e.status))}${num(ms(e.durationMs))}${num(ms(e.correctedDurationMs))}` +
    `${num(clock(e.intendedStartMs))}${num(lag >= 1 ? `+${ms(lag)}` : '–')}</tr>`;
}

/** The trace id, linked to its waterfall further down when the report drew one. */
function traceCell(traceId: string, drawn: ReadonlySet<string>): string {
  const code = `<code>${esc(traceId)}</code>`;
  return drawn.has(traceId) ? `<a href="#waterfall-${esc(traceId)}">${code}</a>` : code;
}

/** One table per fault window (slowest first); empty when results.json has no exemplars. */
export function slowestRequestsSection(r: RunResults): string {
  const windows = exemplarWindows(r);
  if (!windows.length) return '';
  const anchored = new Set<string>();
  const drawn = new Set((r.traces ?? []).map((t) => t.traceId));
  const tables = windows.map((w) => `<h3>${esc(w.label)} <small>${clock(w.startMs)}–${clock(w.endMs)}</small></h3>` +
    `<div class="table-wrap"><table class="slowest-requests"><thead><tr><th>trace id</th><th>scenario</th><th>request</th><th class="num">status</th>` +
    `<th class="num">duration</th><th class="num">from intended start</th><th class="num">intended start</th><th class="num">started late by</th></tr></thead>` +
    `<tbody>${w.slowest.map((e) => row(e, anchored, drawn)).join('') || '<tr><td colspan="8" class="dim">no requests started in this window</td></tr>'}</tbody></table></div>`);
  return `<h2 id="slowest-requests">Slowest requests</h2><p class="dim"><small>Each trace id is the one codeblue sent in <code>traceparent</code>: look it up in Tempo, Jaeger or spans.ndjson. ` +
    `"From intended start" counts from when the open model meant to send the request (coordinated-omission corrected).</small></p>${tables.join('')}`;
}
