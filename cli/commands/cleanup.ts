/**
 * @module cli: `codeblue cleanup` — finds what dead runs left behind (state files whose codeblue process is gone,
 * `cb-` proxies no live run owns), removes it and says what, of which run, from where.
 */
import { EXIT } from '../../core/index.js';
import { cleanLeftovers, describeCleanup, type CleanupReport } from '../../run/index.js';
import type { RegisterCommand } from '../context.js';
import { assertLoopbackServer } from './chaos-server-flag.js';

/** The lines `cleanup` and `chaos reset` print: what was removed, or that nothing was left. */
export function renderCleanup(report: CleanupReport): string[] {
  const lines = describeCleanup(report);
  if (report.runs.length === 0) lines.push(`nothing left by dead runs${report.serversChecked.length ? ` (checked ${report.serversChecked.join(', ')})` : ''}`);
  if (report.serversDown.length > 0) lines.push(`not answering (so holding no proxies): ${report.serversDown.join(', ')}`);
  if (report.liveRuns.length > 0) lines.push(`left alone: ${report.liveRuns.length} live run(s): ${report.liveRuns.join(', ')}`);
  return lines;
}

export const registerCleanup: RegisterCommand = (program, ctx) => {
  program
    .command('cleanup')
    .description("remove what crashed or killed runs left: their proxies on the chaos server and their target's processes")
    .option('--out <dir>', 'root folder of run folders whose state files are read', 'runs')
    .option('--chaos-server <url>', 'also sweep this Toxiproxy API for cb- proxies no live run owns (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (flags: { out: string; chaosServer: string[] }) => {
      for (const server of flags.chaosServer) await assertLoopbackServer(server);
      const report = await cleanLeftovers({ outRoot: flags.out, servers: flags.chaosServer });
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify({ event: 'cleanup', ...report }));
      else for (const line of renderCleanup(report)) out.out(`   cleanup  ${line}`);
      const failed = report.problems.length > 0 || report.runs.some((r) => r.problems.length > 0);
      ctx.setExitCode(failed ? EXIT.infrastructure : EXIT.ok);
    });
};
