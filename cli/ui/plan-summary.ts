/** @module cli: the resolved plan as the terminal shows it (pure: data → lines). */
import { formatClock, formatDuration } from '../../core/index.js';
import type { Plan } from '../../plan/index.js';
import type { ScenarioSpec } from '../../scenarios/schema.js';
import type { Painter } from './output.js';

const BAR_WIDTH = 48;

/** Header, phases on a timeline bar, scenarios and faults. */
export function renderPlanSummary(plan: Plan, p: Painter): string[] {
  const lines = [
    `   ${p.bold('codeblue')}  game day "${plan.name}" · ${plan.file} · target ${plan.target.baseUrl}`,
    `        run  ${formatDuration(plan.runLengthMs)}${plan.phases.length === 0 ? ' (plain load test, no phases)' : ''}`,
  ];
  if (plan.phases.length > 0) {
    lines.push(`     phases  ${timelineBar(plan)}`);
    for (const ph of plan.phases) lines.push(`             ${ph.name.padEnd(9)} ${formatClock(ph.startMs)}–${formatClock(ph.endMs)}`);
  }
  lines.push(`  scenarios  ${Object.entries(plan.scenarios).map(([name, s]) => `* ${name}: ${describeScenario(s)}`).join('\n             ')}`);
  if (plan.faults.length > 0) {
    lines.push(`     faults  ${plan.faults.map((f) => `* ${formatClock(f.startMs)}–${formatClock(f.endMs)} ${f.proxy}: ${f.toxic} ${describeAttributes(f.attributes)} ${f.stream}${f.toxicity < 1 ? ` (toxicity ${f.toxicity})` : ''}`).join('\n             ')}`);
  }
  if (plan.thresholds.length > 0) {
    lines.push(` thresholds  ${plan.thresholds.map((t) => `${t.key.source}: ${t.expressions.map((e) => e.expression.source).join(', ')}`).join('\n             ')}`);
  }
  if (plan.slos.length > 0) lines.push(`       slos  ${plan.slos.map((s) => `${s.name} ${(s.objective * 100).toFixed(2)}% over ${formatDuration(s.window)}`).join(' · ')}`);
  return lines;
}

/** `[bbbbFFFFFFrrrr]` with fault windows marked `!`. */
function timelineBar(plan: Plan): string {
  const scale = BAR_WIDTH / Math.max(1, plan.runLengthMs);
  const cells = Array.from({ length: BAR_WIDTH }, (_, i) => {
    const t = (i + 0.5) / scale;
    if (plan.faults.some((f) => t >= f.startMs && t < f.endMs)) return '!';
    const phase = plan.phases.find((ph) => t >= ph.startMs && t < ph.endMs);
    return phase ? (phase.name === 'baseline' ? '=' : phase.name === 'fault' ? '#' : '-') : ' ';
  });
  return `[${cells.join('')}]  = baseline  # fault  ! toxic on  - recovery`;
}

function describeScenario(s: ScenarioSpec): string {
  const work = s.flow ? `flow ${s.flow}` : `${s.steps?.length ?? 0} step(s)`;
  const start = s.startTime > 0 ? ` from ${formatDuration(s.startTime)}` : '';
  switch (s.executor) {
    case 'constant-vus':
      return `${s.vus} looping VUs for ${formatDuration(s.duration)}${start} · ${work}`;
    case 'ramping-vus':
      return `up to ${Math.max(...s.stages.map((x) => x.target))} VUs over ${s.stages.length} stage(s)${start} · ${work}`;
    case 'constant-arrival-rate':
      return `${s.rate} iters/${formatDuration(s.timeUnit)} for ${formatDuration(s.duration)} (≤ ${s.maxVUs ?? s.preAllocatedVUs} VUs)${start} · ${work}`;
    case 'ramping-arrival-rate':
      return `up to ${Math.max(s.startRate, ...s.stages.map((x) => x.target))} iters/${formatDuration(s.timeUnit)} over ${s.stages.length} stage(s) (≤ ${s.maxVUs ?? s.preAllocatedVUs} VUs)${start} · ${work}`;
    case 'shared-iterations':
      return `${s.iterations} iterations shared by ${s.vus} VUs (max ${formatDuration(s.maxDuration)})${start} · ${work}`;
    case 'per-vu-iterations':
      return `${s.iterations} iterations for each of ${s.vus} VUs (max ${formatDuration(s.maxDuration)})${start} · ${work}`;
    case 'externally-controlled':
      return `externally controlled, ${s.vus} VUs for ${formatDuration(s.duration)} (real k6 v1 only)${start} · ${work}`;
  }
}

function describeAttributes(a: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`);
  return parts.length > 0 ? parts.join(' ') : '';
}

