/**
 * @module bench: SIGKILL at random points against a standalone chaos server (#13 item 1) — ≥ 20 trials of
 * `codeblue run` killed after its proxies exist, during a fault or during the finish. Every other trial's leftovers
 * are left for the next run to find, the rest for `codeblue cleanup`. Figures: leftovers found and removed by the
 * next run / by cleanup, orphan processes 5 s after the kill (goal: all found, 0 orphans).
 * `npm run bench -- sigkill` (CB_SIGKILL_TRIALS=N to change the default of 30).
 */
import { killTrial, runCleanup, startHarness, type KillPoint, type Trial } from '../test/e2e/sigkill-harness.js';

const POINTS: readonly KillPoint[] = ['proxies', 'fault', 'finish'];

/** Small seeded generator (mulberry32), so a figure can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Did `next` say it removed `prev`'s leftovers, and are they gone from the server? */
async function foundByNext(prev: Trial, next: Trial, proxies: () => Promise<string[]>): Promise<boolean> {
  const said = next.saidAtStart.join('\n');
  const gone = (await proxies()).every((n) => !n.startsWith(`cb-${prev.runId}-`));
  return gone && said.includes(`dead run ${prev.runId}`) && (prev.leftovers.length === 0 || said.includes(`removed ${prev.leftovers.length} proxies`));
}

export async function run(): Promise<void> {
  const trials = Number(process.env.CB_SIGKILL_TRIALS ?? 30);
  const random = rng(13);
  const h = await startHarness();
  const tally = { cleanup: { withLeftovers: 0, found: 0, trials: 0 }, nextRun: { withLeftovers: 0, found: 0, trials: 0 }, orphans: 0, maxGoneMs: 0, neverGone: 0, byPoint: {} as Record<string, number> };
  try {
    let pending: Trial | undefined;
    for (let i = 0; i <= trials; i++) {
      const point = POINTS[i % POINTS.length] as KillPoint; // each point equally often; the delay is random
      // The finish is short (its rollback lands within ~100 ms), so its kill delays are too.
      const delayMs = Math.floor(random() * (point === 'finish' ? 120 : 400));
      const trial = await killTrial(h, point, delayMs);
      if (pending) {
        const found = await foundByNext(pending, trial, h.proxies);
        tally.nextRun.trials++;
        if (pending.leftovers.length > 0) tally.nextRun.withLeftovers++;
        if (found) tally.nextRun.found++;
        else process.stdout.write(`  ! next run ${trial.runId} did not report/remove ${pending.runId}: ${trial.saidAtStart.join(' | ')}\n`);
        pending = undefined;
      }
      // The extra last run only serves as the "next run" of the one before it.
      if (i === trials) {
        await runCleanup(h);
        break;
      }
      tally.byPoint[point] = (tally.byPoint[point] ?? 0) + 1;
      tally.orphans += trial.orphans.length;
      if (trial.goneAfterMs === undefined) tally.neverGone++;
      else tally.maxGoneMs = Math.max(tally.maxGoneMs, trial.goneAfterMs);
      process.stdout.write(`  trial ${String(i + 1).padStart(2)}: kill ${delayMs} ms after ${point.padEnd(7)} · ${trial.leftovers.length} proxies left · group of ${trial.pids.length} gone in ${trial.goneAfterMs ?? '>5000'} ms · orphans ${trial.orphans.length}\n`);
      if (i % 2 === 1) {
        pending = trial;
        continue;
      }
      const cleanup = await runCleanup(h);
      const gone = (await h.proxies()).every((n) => !n.startsWith(`cb-${trial.runId}-`));
      const found = cleanup.code === 0 && gone && cleanup.stdout.includes(`dead run ${trial.runId}`) && (trial.leftovers.length === 0 || cleanup.stdout.includes(`removed ${trial.leftovers.length} proxies`));
      tally.cleanup.trials++;
      if (trial.leftovers.length > 0) tally.cleanup.withLeftovers++;
      if (found) tally.cleanup.found++;
      else process.stdout.write(`  ! cleanup did not report/remove ${trial.runId} (exit ${cleanup.code}): ${cleanup.stdout}\n`);
    }
    const left = await h.proxies();
    process.stdout.write([
      `  trials ${trials} (${Object.entries(tally.byPoint).map(([p, n]) => `${p} ${n}`).join(', ')})`,
      `  found and removed by cleanup:  ${tally.cleanup.found}/${tally.cleanup.trials} dead runs (${tally.cleanup.withLeftovers} had proxies left)`,
      `  found and removed by next run: ${tally.nextRun.found}/${tally.nextRun.trials} dead runs (${tally.nextRun.withLeftovers} had proxies left)`,
      `  orphan processes 5 s after SIGKILL: ${tally.orphans} (groups never gone: ${tally.neverGone}); slowest group death ${tally.maxGoneMs} ms`,
      `  cb- proxies on the server at the end: ${left.length}`,
      '',
    ].join('\n'));
  } finally {
    await h.close();
  }
}
