/**
 * @module cli: `codeblue chaos serve|reset|apply|clear`: the embedded Toxiproxy-compatible server, leftover cleanup,
 * and one fault at a time for manual game days (proxies and toxics named `cb-manual-…`).
 */
import type { Command } from 'commander';
import { clientFor, listRunProxies, resetLeftovers, runPrefix } from '../../chaos/index.js';
import { CodeblueError, EXIT } from '../../core/index.js';
import { loadPlan } from '../../plan/index.js';
import { cleanLeftovers } from '../../run/index.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { applyManualFault, clearManual } from './chaos-manual.js';
import { assertLoopbackServer, DEFAULT_SERVER } from './chaos-server-flag.js';
import { registerServe } from './chaos-serve.js';
import { renderCleanup } from './cleanup.js';

function reset(chaos: Command, ctx: CliContext): void {
  chaos
    .command('reset')
    .description("remove proxies left by crashed runs (cb- proxies no live run owns, and dead runs' target processes), by --prefix, or every proxy with --all")
    .option('--server <url>', 'Toxiproxy API URL', DEFAULT_SERVER)
    .option('--prefix <prefix>', 'remove every proxy with this name prefix, live run or not')
    .option('--all', 'remove every proxy, whatever its name')
    .option('--out <dir>', 'root folder of run folders whose state files are read', 'runs')
    .action(async (flags: { server: string; prefix?: string; all?: boolean; out: string }) => {
      await assertLoopbackServer(flags.server);
      const result = flags.prefix !== undefined || flags.all ? await resetLeftovers(clientFor(flags.server), flags.server, { prefix: flags.prefix ?? 'cb-', all: flags.all === true }) : await resetDeadRuns(flags.server, flags.out, ctx);
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify({ event: 'reset', ...result }));
      else out.out(`   reset  removed ${result.removed.length} proxies${result.removed.length ? `: ${result.removed.join(', ')}` : ''}; left: ${result.leftovers.length}`);
      if (result.leftovers.length > 0) {
        throw new CodeblueError('CB_CHAOS_ROLLBACK_INCOMPLETE', `still on the server: ${result.leftovers.join(', ')}`, { hint: 'run the reset again' });
      }
      ctx.setExitCode(EXIT.ok);
    });
}

function manual(chaos: Command, ctx: CliContext): void {
  chaos
    .command('apply <plan>')
    .description('switch one fault of a plan on now (manual game day), creating its proxy if needed')
    .requiredOption('--fault <n>', 'the fault: its 1-based position in the plan or its name')
    .option('--server <url>', 'Toxiproxy API URL (default: chaos.server of the plan, or http://127.0.0.1:8474 for embedded)')
    .action(async (file: string, flags: { fault: string; server?: string }) => {
      const plan = await loadPlan(file);
      const server = flags.server ?? (plan.chaos.server === 'embedded' ? DEFAULT_SERVER : plan.chaos.server);
      await assertLoopbackServer(server);
      const applied = await applyManualFault(server, plan, flags.fault);
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify({ event: 'applied', ...applied }));
      else out.out(`   apply  ${applied.fault}: ${applied.type} on ${applied.proxy} (clear with \`codeblue chaos clear ${file}\`)`);
      ctx.setExitCode(EXIT.ok);
    });
  chaos
    .command('clear <plan>')
    .description('remove every proxy and fault that `chaos apply` created')
    .option('--server <url>', 'Toxiproxy API URL (default as for apply)')
    .action(async (file: string, flags: { server?: string }) => {
      const plan = await loadPlan(file);
      const server = flags.server ?? (plan.chaos.server === 'embedded' ? DEFAULT_SERVER : plan.chaos.server);
      await assertLoopbackServer(server);
      const result = await clearManual(server);
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify({ event: 'cleared', ...result }));
      else out.out(`   clear  removed ${result.removed.length} proxies (${runPrefix('manual')}*); left: ${result.leftovers.length}`);
      ctx.setExitCode(EXIT.ok);
    });
}

/** Default reset: removes what dead runs left (proxies on the server, target groups), keeps live runs' proxies. */
async function resetDeadRuns(server: string, outRoot: string, ctx: CliContext): Promise<{ removed: string[]; leftovers: string[] }> {
  const report = await cleanLeftovers({ outRoot, servers: [server] });
  const out = ctx.output();
  if (!out.json) for (const line of renderCleanup(report)) out.out(`   reset  ${line}`);
  if (report.problems.length > 0) throw new CodeblueError('CB_CHAOS_API', report.problems.join('; '), { hint: 'check that the chaos server answers, then run the reset again' });
  const live = new Set(report.liveRuns);
  const left = (await listRunProxies(server, report.liveRuns)).filter((g) => !live.has(g.runId)).flatMap((g) => g.names);
  return { removed: report.runs.filter((r) => r.server === server).flatMap((r) => r.removedProxies), leftovers: left };
}

export const registerChaos: RegisterCommand = (program, ctx) => {
  const chaos = program.command('chaos').description('fault injection: the Toxiproxy-compatible server and manual faults');
  registerServe(chaos, ctx);
  reset(chaos, ctx);
  manual(chaos, ctx);
};
