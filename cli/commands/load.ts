/**
 * @module cli: `codeblue load <plan>` — only the load part of a plan against its target, then the k6-style summary.
 * Exit 0 thresholds passed · 1 a threshold failed or no request was sent · 2 bad input · 3 target unreachable · 130 interrupted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CodeblueError, EXIT, MetricStore, writeMetrics } from '../../core/index.js';
import { loadPlan, type Plan } from '../../plan/index.js';
import { evaluateThresholds, renderSummary, runLoad, runPlanWithK6, sentNothingReason, validateThresholds, type ScenarioSpec } from '../../scenarios/index.js';
import type { RegisterCommand } from '../context.js';
import { paint } from '../ui/output.js';

interface LoadFlags {
  readonly scenario?: string[];
  readonly engine: string;
  readonly allowRemote?: boolean;
  readonly samples?: string;
}

/** The plan's scenarios, or only those named with --scenario (unknown names are a usage error). */
function selectScenarios(plan: Plan, names: readonly string[] | undefined): Record<string, ScenarioSpec> {
  const all = plan.scenarios as Readonly<Record<string, ScenarioSpec>>;
  if (names === undefined || names.length === 0) return { ...all };
  const out: Record<string, ScenarioSpec> = {};
  for (const n of names) {
    const spec = all[n];
    if (spec === undefined) throw new CodeblueError('CB_USAGE', `--scenario ${n}: the plan has no such scenario`, { hint: `choose from: ${Object.keys(all).join(', ')}` });
    out[n] = spec;
  }
  return out;
}

export const registerLoad: RegisterCommand = (program, ctx) => {
  program
    .command('load')
    .description('run only the load scenarios of a plan against its target and print a k6-style summary')
    .argument('<plan>', 'path of the plan file (codeblue.yaml)')
    .option('--scenario <name...>', 'run only these scenarios')
    .option('--engine <engine>', 'embedded (default) or k6 (needs the k6 binary on PATH)', 'embedded')
    .option('--allow-remote', 'allow a non-loopback target listed in safety.allowHosts')
    .option('--samples <file>', 'also write the per-second metrics (metrics.ndjson) to this file')
    .action(async (file: string, flags: LoadFlags) => {
      const out = ctx.output();
      const p = paint(out.color);
      if (flags.engine !== 'embedded' && flags.engine !== 'k6') throw new CodeblueError('CB_USAGE', `--engine must be "embedded" or "k6", not "${flags.engine}"`);
      const plan = await loadPlan(file);
      const scenarios = selectScenarios(plan, flags.scenario);
      if (Object.keys(scenarios).length === 0) throw new CodeblueError('CB_USAGE', `${file} has no scenarios to run`, { hint: 'add a scenarios: block (codeblue init writes an example)' });
      const controller = new AbortController();
      const onSignal = (): void => controller.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (!out.json) out.out(`   load  ${Object.keys(scenarios).join(', ')} → ${plan.target.baseUrl} (${flags.engine} engine)\n`);
      try {
        const summary = flags.engine === 'k6' ? await viaK6(plan, scenarios, flags, controller.signal, out.err) : await embedded(plan, scenarios, flags, controller.signal);
        if (flags.samples) await writeMetrics(summary.store, flags.samples);
        // A run that sent nothing never passes (issue #12): exit 1 with the reason, e.g. every request failed to render.
        const nothing = sentNothingReason(summary);
        if (out.json) {
          out.out(JSON.stringify({
            passed: summary.passed && nothing === undefined, durationMs: summary.durationMs, thresholds: summary.thresholds, aborted: summary.aborted ?? null,
            interrupted: controller.signal.aborted, requests: summary.requests, renderFailures: summary.renderFailures ?? { count: 0 }, reason: nothing ?? null,
          }));
        } else for (const line of renderSummary(summary, p)) out.out(line);
        ctx.setExitCode(controller.signal.aborted ? EXIT.interrupted : summary.passed && nothing === undefined ? EXIT.ok : EXIT.failed);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
};

type Summary = Parameters<typeof renderSummary>[0] & { readonly passed: boolean; readonly requests: number };

async function embedded(plan: Plan, scenarios: Record<string, ScenarioSpec>, flags: LoadFlags, signal: AbortSignal): Promise<Summary> {
  return runLoad({
    baseUrl: plan.target.baseUrl,
    scenarios,
    thresholds: plan.thresholds,
    safety: plan.safety,
    allowRemote: flags.allowRemote === true,
    signal,
    seed: plan.seed,
    auth: plan.target.auth,
    planDir: dirname(resolve(plan.file)),
  });
}

async function viaK6(plan: Plan, scenarios: Record<string, ScenarioSpec>, flags: LoadFlags, signal: AbortSignal, log: (line: string) => void): Promise<Summary> {
  const store = new MetricStore();
  validateThresholds(plan.thresholds, store);
  const dir = await mkdtemp(join(tmpdir(), 'codeblue-k6-'));
  try {
    const started = Date.now();
    const result = await runPlanWithK6({ ...plan, scenarios }, { dir, store, signal, allowRemote: flags.allowRemote === true, onOutput: log });
    const thresholds = evaluateThresholds(plan.thresholds, store);
    const requests = store.query({ metric: 'http_reqs' }).count;
    return { store, thresholds, requests, durationMs: Math.max(store.elapsedMs(), Date.now() - started), passed: !result.thresholdsFailed && thresholds.every((t) => t.ok) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
