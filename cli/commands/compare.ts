/** @module cli: `codeblue compare <run-a> <run-b>` — what got better or worse; exit 1 on a regression (release gate). */
import { InvalidArgumentError } from 'commander';
import { EXIT, parseDurationText } from '../../core/index.js';
import { compareRuns, loadLatencyCounts, loadRunResults, renderComparison } from '../../reports/index.js';
import type { RegisterCommand } from '../context.js';
import { paint } from '../ui/output.js';

/** `10%` or `0.1`; may exceed 100 % (a 3× slowdown is a 200 % change). */
function parseTolerance(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) throw new InvalidArgumentError(`must be a relative change like 10% or 0.1, but is "${text}"`);
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

/** A k6 duration (`25ms`, `0.1s`) or plain milliseconds. */
function parseMinDelta(text: string): number {
  const ms = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : parseDurationText(text.trim());
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(`must be a duration like 25ms or 0.1s, but is "${text}"`);
  return ms;
}

/** `99%` or `0.99`, between 50 % and 99.99 %. */
function parseConfidence(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const c = m ? (m[2] ? Number(m[1]) / 100 : Number(m[1])) : NaN;
  if (!(c >= 0.5 && c <= 0.9999)) throw new InvalidArgumentError(`must be a confidence between 50% and 99.99% like 99% or 0.95, but is "${text}"`);
  return c;
}

const NOISE_HELP = `
A change counts as a regression only when it is all of:
  - beyond --tolerance (relative to run A),
  - beyond an absolute minimum: --min-delta for p95/p99 latency, 0.1 pp for error rates, 1 s for recovery time,
  - significant at --confidence (one-sided two-proportion z-test). Error rates and SLO ratios are tested on their
    counts (failed / all requests). Latency is tested on the requests slower than run A's p95 (or p99) in each run,
    counted in the runs' HDR histograms (samples/metrics.ndjson); without them it is estimated from results.json's
    quantiles (shown as "quantiles"). The confidence holds for the whole comparison (Holm–Bonferroni over every
    change that passes the size rules), so two equal runs fail the gate with probability at most 1 − confidence.
So two runs of the same plan on the same stack pass, and a real shift with enough requests behind it fails.
Recovery time, resilience score and flipped verdicts have one value per run and are judged on size alone.`;

export const registerCompare: RegisterCommand = (program, ctx) => {
  program
    .command('compare')
    .description('compare two runs (per SLO, endpoint p95/p99 and error rate, recovery time); exit 1 on a regression that is beyond the tolerance, beyond the minimum delta and statistically significant')
    .argument('<run-a>', 'the reference run folder (e.g. last release)')
    .argument('<run-b>', 'the run to judge')
    .option('--tolerance <ratio>', 'relative change allowed before it counts as a regression', parseTolerance, 0.1)
    .option('--min-delta <duration>', 'smallest p95/p99 latency change that can count as a regression', parseMinDelta, 25)
    .option('--confidence <ratio>', 'confidence for the whole comparison (one-sided tests, Holm–Bonferroni; 99% = equal runs fail ≤ 1 % of the time)', parseConfidence, 0.99)
    .addHelpText('after', NOISE_HELP)
    .action(async (a: string, b: string, opts: { tolerance: number; minDelta: number; confidence: number }) => {
      const [ra, rb] = [loadRunResults(a), loadRunResults(b)];
      const latency = { a: await loadLatencyCounts(a), b: await loadLatencyCounts(b) };
      const comparison = compareRuns(ra, rb, { tolerance: opts.tolerance, minDeltaMs: opts.minDelta, confidence: opts.confidence, latency });
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify(comparison));
      else for (const line of renderComparison(comparison, a, b, paint(out.color))) out.out(line);
      ctx.setExitCode(comparison.regressions.length ? EXIT.failed : EXIT.ok);
    });
};
