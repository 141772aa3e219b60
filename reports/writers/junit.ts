/**
 * @module reports/writers: `junit.xml` — one testsuite per verdict kind, one testcase per verdict, failures
 * carrying the numbers (testmoapp/junitxml common subset; k6's jUnit() uses one case per threshold too).
 */
import type { RunResults, Verdict, VerdictKind } from '../results/types.js';
import type { ReportWriter } from './writer.js';

const SUITE_NAMES: Readonly<Record<VerdictKind, string>> = {
  slo: 'SLOs', threshold: 'thresholds', check: 'checks', hypothesis: 'steady-state hypothesis',
  'trace-assertion': 'trace assertions', phi: 'PHI scan', ledger: 'data ledger', halt: 'halt conditions', load: 'load sent',
};
const ORDER = Object.keys(SUITE_NAMES) as VerdictKind[];

function xml(value: unknown): string {
  // Characters XML 1.0 forbids are dropped; the five specials are escaped.
  return String(value).replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const caseName = (v: Verdict): string => (v.phase ? `${v.name} [${v.phase}]` : v.name);

/** Failed but information only (`gating: false`): CI sees it in system-out, not as a failure. */
const isInfo = (v: Verdict): boolean => !v.pass && v.gating === false;
const isFailure = (v: Verdict): boolean => !v.pass && v.gating !== false;

function testcase(v: Verdict): string {
  const open = `    <testcase name="${xml(caseName(v))}" classname="codeblue.${v.kind}" time="0">`;
  if (v.pass) return `${open}</testcase>`;
  if (isInfo(v)) return `${open}\n      <system-out>${xml(`not gating (information only): ${v.message}`)}</system-out>\n    </testcase>`;
  const body = `observed: ${v.observed ?? 'n/a'}\nexpected: ${v.expected}\n${v.message}`;
  return `${open}\n      <failure message="${xml(v.message)}" type="${v.kind}">${xml(body)}</failure>\n    </testcase>`;
}

export function renderJunit(r: RunResults): string {
  const seconds = (r.meta.durationMs / 1000).toFixed(3);
  const suites = ORDER.map((kind) => r.verdicts.filter((v) => v.kind === kind)).filter((vs) => vs.length > 0).map((vs) => {
    const kind = (vs[0] as Verdict).kind;
    return `  <testsuite name="${xml(SUITE_NAMES[kind])}" tests="${vs.length}" failures="${vs.filter(isFailure).length}" errors="0" skipped="0" time="0" timestamp="${xml(r.meta.startedAt)}">\n` +
      `    <properties>\n      <property name="runId" value="${xml(r.meta.runId)}"/>\n      <property name="target" value="${xml(r.meta.target)}"/>\n    </properties>\n` +
      `${vs.map(testcase).join('\n')}\n  </testsuite>`;
  });
  const failures = r.verdicts.filter(isFailure).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="codeblue ${xml(r.meta.name)}" tests="${r.verdicts.length}" failures="${failures}" errors="0" time="${seconds}" timestamp="${xml(r.meta.startedAt)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export const junitWriter: ReportWriter = { format: 'junit', file: 'junit.xml', render: renderJunit };
