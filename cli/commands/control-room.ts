/**
 * @module cli: `--ui` for `codeblue run` and `codeblue demo` — opens the live control room before the run, prints
 * its URL (with the run's token), and after the run keeps serving the verdict and report.html until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Plan } from '../../plan/index.js';
import { startControlRoom, type ControlRoom, type GameDayOutcome } from '../../run/index.js';
import { parseListen } from '../flag-parsers.js';
import type { Output } from '../ui/output.js';
import { untilSignal } from '../until-signal.js';

/** k6's web dashboard port, so teams that know one find the other. */
const DEFAULT_UI_LISTEN = '127.0.0.1:5665';

export interface UiFlags {
  readonly ui?: boolean;
  readonly uiListen?: { readonly host: string; readonly port: number };
}

/** Adds `--ui` and `--ui-listen` to a command. */
export function uiOptions(command: Command): Command {
  return command
    .option('--ui', `serve a live control room (charts, SLOs, journal, halt and end-fault buttons) on ${DEFAULT_UI_LISTEN}`)
    .option('--ui-listen <host:port>', `where the control room listens (loopback unless the plan's safety.allowHosts and --allow-remote allow it; port 0 picks a free one)`, parseListen);
}

/** Starts the control room when `--ui` was given; throws CB_TARGET_NOT_ALLOWED (2) or CB_PORT_IN_USE (3). */
export async function openControlRoom(plan: Plan, flags: UiFlags & { readonly allowRemote?: boolean }, output: Output): Promise<ControlRoom | undefined> {
  if (!flags.ui && !flags.uiListen) return undefined;
  const at = flags.uiListen ?? parseListen(DEFAULT_UI_LISTEN);
  const room = await startControlRoom({
    host: at.host, port: at.port, setting: '--ui-listen', title: plan.name,
    policy: { allowHosts: plan.safety.allowHosts, allowRemote: flags.allowRemote === true },
  });
  output.err(`control room: ${room.url}  (the token in this URL lets anyone who has it halt the run)`);
  return room;
}

/** Shows the verdict on the page and serves report.html until SIGINT/SIGTERM (the exit code stays the run's). */
export async function lingerControlRoom(room: ControlRoom, outcome: GameDayOutcome, output: Output): Promise<void> {
  const report = join(outcome.runDir, 'report.html');
  room.finish(outcome.results, existsSync(report) ? report : undefined);
  output.err(`control room: the verdict and report stay at ${room.url} — press Ctrl-C to exit`);
  await untilSignal();
}
