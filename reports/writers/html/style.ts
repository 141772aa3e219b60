/** @module reports/writers/html: the report's inline CSS (screen, phone, print). */
export const CSS = `
:root{--ok:#137333;--bad:#b3261e;--warn:#9a6700;--ink:#1f2328;--dim:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--fault:rgba(179,38,30,.14)}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:0 16px 48px}h2{margin:32px 0 8px;font-size:1.25rem;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{margin:18px 0 6px;font-size:1.05rem}small,.dim{color:var(--dim)}code{font:13px ui-monospace,Menlo,monospace}
.banner{padding:18px 16px;color:#fff}.banner.passed{background:var(--ok)}.banner.failed,.banner.halted{background:var(--bad)}.banner.interrupted{background:var(--warn)}
.banner h1{margin:0 auto;max-width:1100px;font-size:1.5rem}.banner p{margin:4px auto 0;max-width:1100px;opacity:.95}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:16px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:var(--soft)}.tile b{display:block;font-size:1.35rem}
.tile.bad b{color:var(--bad)}.tile.ok b{color:var(--ok)}
.chart{margin:12px 0;break-inside:avoid}.chart figcaption{font-weight:600;display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.legend{font-weight:400;font-size:.85rem;display:flex;flex-wrap:wrap;gap:10px}.key i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
svg{width:100%;height:auto;display:block}svg text{font-size:12px;fill:var(--dim)}
.series{fill:none;stroke-width:1.6}.grid{stroke:var(--line);stroke-width:1}
.phase{fill:transparent}.phase-baseline{fill:rgba(19,115,51,.06)}.phase-fault{fill:rgba(154,103,0,.07)}.phase-recovery{fill:rgba(9,105,218,.06)}
.fault-window{fill:var(--fault);stroke:rgba(179,38,30,.5);stroke-dasharray:3 2}.fault-label{fill:var(--bad);font-weight:600}
.band{stroke:var(--line)}.band-label{fill:var(--ink);font-weight:600}.fault-bar{fill:rgba(179,38,30,.8);stroke:none}.fault-bar-label{fill:#fff;font-weight:600}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}.warn{color:var(--warn);font-weight:600}tr.info td{color:var(--dim)}td>.pass,td>.fail{white-space:nowrap}
#glance ul{margin:0;padding-left:20px}#glance li{margin:3px 0}
.slo-card{border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:8px;padding:10px 14px;margin:10px 0}.slo-card.failed{border-left-color:var(--bad)}
.slo-card p{margin:4px 0}.meter{height:10px;background:var(--soft);border:1px solid var(--line);border-radius:5px;overflow:hidden;max-width:420px}
.meter i{display:block;height:100%;background:var(--bad)}
table.attribution tr.top td{font-weight:600}.waterfall{margin:12px 0;break-inside:avoid}.waterfall figcaption{font-size:.9rem;margin-bottom:2px}
.wf-label{fill:var(--ink)}.wf-bar{fill:#b6c7e3}.wf-bar.critical{fill:#0550ae}.wf-bar.error{stroke:var(--bad);stroke-width:2}
.series.dashed{stroke-dasharray:7 4;stroke-width:1.8}.tick-mark{stroke:var(--dim)}.key.dashed i{height:0;width:16px;border-radius:0;vertical-align:middle}.marker{stroke:none}.no-data{fill:var(--dim);font-style:italic}
@media (max-width:640px){body{font-size:14px}.banner h1{font-size:1.2rem}th,td{padding:4px 5px}.tiles{grid-template-columns:repeat(2,1fr)}}
@media print{.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}main{max-width:none}h2{break-after:avoid}
.chart,.slo-card,table{break-inside:avoid}a{color:inherit;text-decoration:none}}
`;
