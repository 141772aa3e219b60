/**
 * @module cli: `codeblue chaos serve|reset|apply|clear`: the embedded Toxiproxy-compatible server, leftover cleanup,
 * and one fault at a time for manual game days (proxies and toxics named `cb-manual-…`).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { clientFor, resetLeftovers, runPrefix, startChaosServer } from '../../chaos/index.js';
import { CodeblueError, EXIT, hostOf, isLoopbackAddress } from '../../core/index.js';
import { loadPlan } from '../../plan/index.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { applyManualFault, clearManual } from './chaos-manual.js';

const DEFAULT_SERVER = 'http://127.0.0.1:8474';

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65_535) throw new InvalidArgumentError(`must be a port number 0-65535, but is "${text}"`);
  return n;
}

function parseSeed(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new InvalidArgumentError(`must be an integer, but is "${text}"`);
  return Number(text);
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

function serve(chaos: Command, ctx: CliContext): void {
  chaos
    .command('serve')
    .description('run the embedded Toxiproxy-compatible server (same HTTP API, loopback only) until Ctrl-C')
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .option('--port <port>', 'API port (0 picks a free one)', parsePort, 8474)
    .option('--seed <n>', 'seed toxicity and jitter draws for reproducible drills', parseSeed)
    .action(async (flags: { host: string; port: number; seed?: number }) => {
      if (!isLoopbackAddress(flags.host) && flags.host !== 'localhost') {
        throw new CodeblueError('CB_TARGET_NOT_ALLOWED', `refusing to serve the chaos API on ${flags.host}: not a loopback address`, {
          hint: 'use --host 127.0.0.1 (or ::1); the chaos API controls faults and must stay local',
        });
      }
      const server = await startChaosServer({ host: flags.host, port: flags.port, seed: flags.seed });
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify({ event: 'listening', url: server.url }));
      else out.out(`   chaos  Toxiproxy-compatible API on ${server.url} (Ctrl-C to stop)`);
      await untilSignal();
      await server.close();
      ctx.setExitCode(EXIT.ok);
    });
}

function reset(chaos: Command, ctx: CliContext): void {
  chaos
    .command('reset')
    .description('remove proxies left by crashed runs (by name prefix), or every proxy with --all')
    .option('--server <url>', 'Toxiproxy API URL', DEFAULT_SERVER)
    .option('--prefix <prefix>', 'name prefix of the proxies to remove', 'cb-')
    .option('--all', 'remove every proxy, whatever its name')
    .action(async (flags: { server: string; prefix: string; all?: boolean }) => {
      await assertLoopbackServer(flags.server);
      const result = await resetLeftovers(clientFor(flags.server), flags.server, { prefix: flags.prefix, all: flags.all === true });
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

async function assertLoopbackServer(url: string): Promise<void> {
  let host: string;
  try {
    host = hostOf(url);
  } catch {
    throw new CodeblueError('CB_USAGE', `--server must be a URL like ${DEFAULT_SERVER}, got "${url}"`);
  }
  if (host !== 'localhost' && !isLoopbackAddress(host)) {
    throw new CodeblueError('CB_TARGET_NOT_ALLOWED', `refusing to drive a chaos server at ${url}: not loopback`, { hint: `use ${DEFAULT_SERVER}` });
  }
}

export const registerChaos: RegisterCommand = (program, ctx) => {
  const chaos = program.command('chaos').description('fault injection: the Toxiproxy-compatible server and manual faults');
  serve(chaos, ctx);
  reset(chaos, ctx);
  manual(chaos, ctx);
};
