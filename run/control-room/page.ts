/**
 * @module run/control-room: the page shell, its stylesheet (the report's CSS plus the control room's own) and the
 * response headers every answer carries: a strict CSP with no inline script or style, and no external asset at all.
 */
import type { ServerResponse } from 'node:http';
import { REPORT_CSS } from '../../reports/index.js';
import { escapeHtml as esc } from './escape.js';

/** Only our own script, stylesheet, icon and event stream; nothing inline, nothing from elsewhere. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** report.html is the report writer's own page: inline CSS and SVG, no script. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function securityHeaders(res: ServerResponse, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The token is in the URL: never send it on as a referrer, never cache the page.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

const ROOM_CSS = `
.banner.live{background:#0969da}.banner.live h1{font-size:1.6rem}.report-link{max-width:1100px;margin:10px auto;padding:0 16px;font-size:1.1rem}
.controls{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}.controls:empty{display:none}
.controls button{font:inherit;font-weight:600;border-radius:8px;padding:12px 18px;cursor:pointer;border:2px solid var(--bad);background:#fff;color:var(--bad);min-height:48px}
.controls button.halt{background:var(--bad);color:#fff;font-size:1.15rem}.controls button.armed{outline:4px solid var(--warn)}
.controls button small{font-weight:400;color:inherit;opacity:.8}
#control-message{min-height:1.4em;margin:4px 0;font-weight:600}#control-message.bad{color:var(--bad)}#control-message.ok{color:var(--ok)}
.planned-window{fill:none;stroke:rgba(179,38,30,.6);stroke-dasharray:4 3}.fault-bar.active{fill:rgba(179,38,30,.95)}
.fault-row-label{fill:var(--ink);font-weight:600}.now-marker{stroke:var(--ink);stroke-width:2}.now-label{fill:var(--ink);font-weight:700}
.feed{list-style:none;margin:0;padding:0;max-height:420px;overflow-y:auto;font-size:.9rem}.feed li{border-bottom:1px solid var(--line);padding:4px 2px}
.feed time{font:13px ui-monospace,Menlo,monospace;color:var(--dim);margin-right:6px}.feed li.fail b{color:var(--bad)}
.feed li.act-fault-on b,.feed li.act-halt b{color:var(--bad)}.feed li.act-fault-off b{color:var(--ok)}.feed li.act-control b{color:var(--warn)}
.conn{position:fixed;right:8px;bottom:8px;font-size:.8rem;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:2px 8px}
@media (min-width:1400px){body{font-size:17px}main{max-width:1360px}.banner h1,.banner p{max-width:1360px}}
#timeline,#charts .chart{overflow-x:auto}
@media (max-width:640px){.controls button{flex:1 1 100%}.banner.live h1{font-size:1.25rem}.timeline-band.live,#charts svg{min-width:680px}}
`;

export const PAGE_CSS = `${REPORT_CSS}${ROOM_CSS}`;

/** A small shield as the favicon (served by us, so the browser asks nothing of anyone else). */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M8 1 2 3v5c0 3.5 2.6 6 6 7 3.4-1 6-3.5 6-7V3z" fill="#0969da"/><path d="M7 4h2v3h3v2H9v3H7V9H4V7h3z" fill="#fff"/></svg>';

/** The shell; every part is filled by the event stream. Read-only data, so the token never appears in the markup. */
export function pageHtml(title: string): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${esc(title)} · codeblue control room</title><link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/style.css">` +
    '<script src="/app.js" defer></script></head><body>' +
    '<div id="status"><header class="banner live"><h1>connecting…</h1></header></div><main>' +
    '<section class="controls" id="controls" aria-label="controls"></section><p id="control-message" role="status"></p>' +
    '<h2 id="timeline-title">Timeline</h2><div id="timeline"></div><div id="now"></div><div id="slos"></div><div id="charts"></div>' +
    '<div id="verdicts"></div><div id="journal"></div></main><p class="conn" id="conn">connecting</p></body></html>\n';
}
