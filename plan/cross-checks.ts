/** @module plan: checks that span several keys (names that refer to each other, windows, ports, thresholds). */
import { parseHostPort } from '../core/schema-kit.js';
import { METRIC_TYPES } from '../core/metrics/index.js';
import { AGGREGATIONS_BY_TYPE, parseMetricKey, parseThresholdExpression, OWN_METRIC_TAGS } from '../core/threshold.js';
import { formatDuration } from '../core/units.js';
import { HTTP_TOXIC_TYPES } from '../chaos/schema.js';
import { scenarioMaxVus, scenarioSpan } from '../scenarios/schema.js';
import { suggest } from './hints.js';
import { checkRequestPaths } from './request-path-checks.js';
import { checkSloFilters } from './slo-checks.js';
import { resolveTime } from './resolve-times.js';
import { checkTemplates } from './template-vars.js';
import type { ParsedPlan } from './schema.js';
import type { PhaseWindow, ResolvedFault, ResolvedThreshold } from './types.js';

/** A problem found by a cross-field check, before it is located in the file. */
export interface RawIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

export interface CrossCheckResult {
  readonly issues: RawIssue[];
  readonly faults: ResolvedFault[];
  readonly thresholds: ResolvedThreshold[];
}

export function crossCheck(plan: ParsedPlan, phases: readonly PhaseWindow[], runLengthMs: number): CrossCheckResult {
  const issues: RawIssue[] = [];
  checkProxies(plan, issues);
  const faults = resolveFaults(plan, phases, runLengthMs, issues);
  const thresholds = resolveThresholds(plan, issues);
  checkLimits(plan, runLengthMs, issues);
  checkSloFilters(plan, issues);
  issues.push(...checkTemplates(plan));
  checkRequestPaths(plan, issues);
  return { issues, faults, thresholds };
}

function checkProxies(plan: ParsedPlan, issues: RawIssue[]): void {
  const names = new Map<string, number>();
  const ports = new Map<number, number>();
  const chaosPort = parseHostPort(plan.chaos.listen)?.port ?? 0;
  plan.proxies.forEach((p, i) => {
    const seenName = names.get(p.name);
    if (seenName !== undefined) issues.push({ path: ['proxies', i, 'name'], message: `proxy name "${p.name}" is already used by proxies[${seenName}]` });
    names.set(p.name, i);
    const port = parseHostPort(p.listen)?.port;
    if (port === undefined || port === 0) return;
    const seen = ports.get(port);
    if (seen !== undefined) {
      issues.push({ path: ['proxies', i, 'listen'], message: `listen port ${port} is already used by proxies[${seen}] ("${plan.proxies[seen]?.name}")`, hint: 'give every proxy its own listen port' });
    } else if (port === chaosPort) {
      issues.push({ path: ['proxies', i, 'listen'], message: `listen port ${port} is the chaos server's own port (chaos.listen)` });
    }
    ports.set(port, i);
  });
}

function resolveFaults(plan: ParsedPlan, phases: readonly PhaseWindow[], runLengthMs: number, issues: RawIssue[]): ResolvedFault[] {
  const proxyNames = plan.proxies.map((p) => p.name);
  const faultPhase = phases.find((p) => p.name === 'fault');
  const seen = new Set<string>();
  return plan.faults.flatMap((f, i) => {
    const proxy = plan.proxies.find((p) => p.name === f.proxy);
    if (!proxy) issues.push({ path: ['faults', i, 'proxy'], message: `no proxy named "${f.proxy}"`, hint: suggest(f.proxy, proxyNames) ?? 'declare it under proxies' });
    if (proxy && HTTP_TOXIC_TYPES.includes(f.toxic) && proxy.protocol !== 'http') {
      issues.push({ path: ['faults', i, 'toxic'], message: `toxic "${f.toxic}" works on whole HTTP requests, but proxy "${proxy.name}" is tcp`, hint: `set protocol: http on proxy "${proxy.name}" (embedded chaos server only)` });
    }
    const start = resolveTime(f.at, phases);
    if (!start.ok) {
      issues.push({ path: ['faults', i, 'at'], message: start.message, ...(start.hint ? { hint: start.hint } : {}) });
      return [];
    }
    const end = f.duration !== undefined ? start.ms + f.duration : faultPhase && start.ms < faultPhase.endMs ? faultPhase.endMs : undefined;
    if (end === undefined) {
      issues.push({ path: ['faults', i], message: 'needs a duration (it does not start inside the fault phase)', hint: 'add duration: 30s' });
      return [];
    }
    if (end > runLengthMs) {
      issues.push({ path: ['faults', i, f.duration !== undefined ? 'duration' : 'at'], message: `window ${formatDuration(start.ms)}–${formatDuration(end)} ends after the run (${formatDuration(runLengthMs)})`, hint: 'shorten the fault or lengthen the phases' });
    }
    const name = f.name ?? `${f.proxy}-${f.toxic}-${i}`;
    if (seen.has(name)) issues.push({ path: ['faults', i, 'name'], message: `fault name "${name}" is used twice` });
    seen.add(name);
    const { duration: _d, name: _n, ...rest } = f;
    return [{ ...rest, name, startMs: start.ms, endMs: end }];
  });
}

function resolveThresholds(plan: ParsedPlan, issues: RawIssue[]): ResolvedThreshold[] {
  return Object.entries(plan.thresholds).flatMap(([source, entries]) => {
    const key = parseMetricKey(source);
    if (!key.ok) {
      issues.push({ path: ['thresholds', source], message: key.message });
      return [];
    }
    // k6's built-in metrics plus codeblue's own (http_req_duration_corrected: latency from the intended start).
    const type = METRIC_TYPES[key.value.metric];
    if (!type) {
      issues.push({ path: ['thresholds', source], message: `no metric named "${key.value.metric}"`, hint: suggest(key.value.metric, Object.keys(METRIC_TYPES)) ?? 'use one of k6\'s built-in metric names' });
      return [];
    }
    const tagIssue = ownMetricTagIssue(plan, key.value.metric, Object.keys(key.value.tags), source);
    if (tagIssue) {
      issues.push(tagIssue);
      return [];
    }
    const expressions = entries.flatMap((entry, j) => {
      const text = typeof entry === 'string' ? entry : entry.threshold;
      const parsed = parseThresholdExpression(text);
      if (!parsed.ok) {
        issues.push({ path: ['thresholds', source, j], message: parsed.message, hint: 'k6 syntax: "p(95)<300", "avg<200", "rate<0.01", "count>100"' });
        return [];
      }
      const allowed = AGGREGATIONS_BY_TYPE[type];
      if (!allowed.includes(parsed.value.aggregation)) {
        issues.push({ path: ['thresholds', source, j], message: `"${parsed.value.aggregation}" does not apply to ${key.value.metric} (a ${type})`, hint: `use ${allowed.map((a) => (a === 'p' ? 'p(N)' : a)).join(', ')}` });
        return [];
      }
      return [{ expression: parsed.value, abortOnFail: typeof entry === 'string' ? false : entry.abortOnFail, delayAbortEvalMs: typeof entry === 'string' ? 0 : entry.delayAbortEval }];
    });
    return [{ key: key.value, expressions }];
  });
}

/** A tag filter on an hl7_* or auth_token_* threshold that no recorded sample can carry (it would pass on no data). */
function ownMetricTagIssue(plan: ParsedPlan, metric: string, tagNames: readonly string[], source: string): RawIssue | undefined {
  const own = OWN_METRIC_TAGS[metric];
  if (own === undefined || tagNames.length === 0) return undefined;
  // HL7 messages also carry their scenario's own `tags`; token fetches are per runner, not per scenario.
  const scenarioTags = metric.startsWith('hl7_') ? Object.values(plan.scenarios).flatMap((s) => Object.keys(s.tags ?? {})) : [];
  const carried = [...new Set([...own, ...scenarioTags])];
  const unknown = tagNames.filter((t) => !carried.includes(t));
  if (unknown.length === 0) return undefined;
  const near = suggest(unknown[0] as string, carried);
  const hint = near?.startsWith('did you mean') ? near : undefined;
  return {
    path: ['thresholds', source],
    message: `${metric} carries no tag ${unknown.map((t) => `"${t}"`).join(', ')}, so "${source}" would match nothing and pass on no data; its tags are ${carried.join(', ')}`,
    hint: `${hint ? `${hint} ` : ''}filter by one of those tags, or write "${metric}" without {…} to take every ${metric.startsWith('hl7_') ? 'message' : 'token fetch'}`,
  };
}

function checkLimits(plan: ParsedPlan, runLengthMs: number, issues: RawIssue[]): void {
  const max = plan.safety.maxDuration;
  const haltFor = plan.safety.halt?.for;
  if (haltFor !== undefined && haltFor > max) issues.push({ path: ['safety', 'halt', 'for'], message: `${formatDuration(haltFor)} is longer than safety.maxDuration (${formatDuration(max)}), so the halt rule could never fire`, hint: 'use a few seconds, e.g. for: 10s' });
  if (runLengthMs > max) issues.push({ path: ['phases'], message: `the run lasts ${formatDuration(runLengthMs)}, more than safety.maxDuration (${formatDuration(max)})`, hint: 'shorten the phases or raise safety.maxDuration' });
  for (const [name, s] of Object.entries(plan.scenarios)) {
    const span = s.startTime + scenarioSpan(s) + s.gracefulStop;
    if (span > max) issues.push({ path: ['scenarios', name], message: `runs up to ${formatDuration(span)} (startTime + duration + gracefulStop), more than safety.maxDuration (${formatDuration(max)})`, hint: 'shorten the scenario or raise safety.maxDuration' });
    const vus = scenarioMaxVus(s);
    if (vus > plan.safety.maxVUs) issues.push({ path: ['scenarios', name], message: `may use ${vus} VUs, more than safety.maxVUs (${plan.safety.maxVUs})` });
  }
}
