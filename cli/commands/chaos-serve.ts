/**
 * @module cli: `codeblue chaos serve`, the embedded Toxiproxy-compatible server until Ctrl-C. Its own file (and
 * `serve-main.ts`) so that a standalone server loads only the chaos server, not every room (issue #14's RSS goal).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { startChaosServer } from '../../chaos/index.js';
import { assertListenAllowed, EXIT, LOOPBACK_ONLY } from '../../core/index.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { parsePort } from '../flag-parsers.js';
import { untilSignal } from '../until-signal.js';

function parseSeed(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new InvalidArgumentError(`must be an integer, but is "${text}"`);
  return Number(text);
}

/** Adds `serve` to the `chaos` command. */
export function registerServe(chaos: Command, ctx: CliContext): void {
  chaos
    .command('serve')
    .description('run the embedded Toxiproxy-compatible server (same HTTP API, loopback only) until Ctrl-C')
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .option('--port <port>', 'API port (0 picks a free one)', parsePort, 8474)
    .option('--seed <n>', 'seed toxicity and jitter draws for reproducible drills', parseSeed)
    .option('--allow-upstream <host>', 'let proxies forward to this non-loopback upstream host (repeatable)', (h: string, all: string[]) => [...all, h], [] as string[])
    .action(async (flags: { host: string; port: number; seed?: number; allowUpstream: string[] }) => {
      // The chaos API controls faults: loopback only (no --allow-remote here), by the listener rule every listener uses.
      await assertListenAllowed(flags.host, LOOPBACK_ONLY, 'chaos serve --host');
      const server = await startChaosServer({ host: flags.host, port: flags.port, seed: flags.seed, allowUpstreamHosts: flags.allowUpstream });
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify({ event: 'listening', url: server.url, relay: server.relay }));
      else out.out(`   chaos  Toxiproxy-compatible API on ${server.url} (${server.relay === 'native' ? 'native' : 'JS'} relay; Ctrl-C to stop)`);
      await untilSignal();
      await server.close();
      ctx.setExitCode(EXIT.ok);
    });
}

/** `chaos` with `serve` alone: the command list of the lean `chaos serve` entry (`serve-main.ts`). */
export const registerChaosServeOnly: RegisterCommand = (program, ctx) => {
  const chaos = program.command('chaos').description('fault injection: the Toxiproxy-compatible server');
  registerServe(chaos, ctx);
};
