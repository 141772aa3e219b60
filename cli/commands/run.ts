/** @module cli: `codeblue run <plan>` — one game day with a verdict; Ctrl-C rolls back and still writes the report. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadPlan } from '../../plan/index.js';
import { executeGameDay, watchParentDeath, type GameDayOutcome } from '../../run/index.js';
import type { CliContext } from '../context.js';
import { clientFor, resetLeftovers } from '../../chaos/index.js';
import { createProgressPrinter } from '../ui/progress-printer.js';
import { CodeblueError, createNetGuard, type NetGuard } from '../../core/index.js';
import { remoteWriteFromFlag, REMOTE_WRITE_TYPE } from '../../collectors/index.js';
import type { Plan } from '../../plan/index.js';
import { lingerControlRoom, openControlRoom, uiOptions, type UiFlags } from './control-room.js';
import { GRAFANA_VERSION_HELP, parseGrafanaVersion } from '../grafana-version-flag.js';

function installCrashRollback(where: () => { url: string; prefix: string } | undefined, guard: NetGuard, log: (line: string) => void): () => void {
  const onCrash = (err: unknown): void => {
    log(`error CB_INTERNAL unexpected failure during the run: ${err instanceof Error ? err.message : String(err)}`);
    const chaos = where();
    const done = (): never => process.exit(3);
    if (!chaos) done();
    else void resetLeftovers(clientFor(chaos.url, guard), chaos.url, { prefix: chaos.prefix, all: false }).then(done, done);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
}

export interface RunFlags extends UiFlags {
  readonly engine: 'embedded' | 'k6';
  readonly out: string;
  readonly allowRemote?: boolean;
  readonly json?: boolean;
  /** `-o experimental-prometheus-rw[=URL]`, as k6's `--out`. */
  readonly output?: readonly string[];
  readonly grafanaVersion?: string;
}

const parseEngine = (value: string): 'embedded' | 'k6' => {
  if (value === 'embedded' || value === 'k6') return value;
  throw new InvalidArgumentError('expected "embedded" or "k6"');
};

export function registerRun(program: Command, ctx: CliContext): void {
  uiOptions(program
    .command('run')
    .description('run a game day: load + faults on a timeline + traces → verdict and run folder (exit 0 pass, 1 fail, 130 interrupted)')
    .argument('<plan>', 'path of the plan file')
    .option('--engine <engine>', 'load engine: embedded or k6 (needs k6 on PATH)', parseEngine, 'embedded')
    .option('--out <dir>', 'root folder for run folders', 'runs')
    .option('--allow-remote', 'allow non-loopback hosts listed in safety.allowHosts')
    .option('--json', 'ndjson events on stdout')
    .option('-o, --output <output>', 'live output, as k6 --out: experimental-prometheus-rw[=URL] pushes k6 metrics over Prometheus remote write (repeatable)', collect, [])
    .option('--grafana-version <x.y>', `${GRAFANA_VERSION_HELP}; for the run folder's dashboard.json`, parseGrafanaVersion))
    .action(async (file: string, flags: RunFlags) => {
      ctx.setExitCode(await runPlanFile(file, flags, ctx));
    });
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `-o` outputs replace the plan's own `prometheus-rw` entries (keeping their options), as k6's `--out` wins over its config. */
function withOutputFlags(plan: Plan, flags: readonly string[]): Plan {
  if (flags.length === 0) return plan;
  const outputs = flags.map((flag) => {
    let output;
    try {
      output = remoteWriteFromFlag(flag, plan.outputs);
    } catch (err) {
      throw new CodeblueError('CB_USAGE', `--output ${flag}: ${(err as Error).message}`);
    }
    if (output === undefined) throw new CodeblueError('CB_USAGE', `--output ${flag}: unknown output`, { hint: 'codeblue run supports experimental-prometheus-rw[=URL] (files are chosen with the plan\'s outputs key)' });
    return output;
  });
  return { ...plan, outputs: [...plan.outputs.filter((o) => o !== REMOTE_WRITE_TYPE && typeof o === 'string'), ...outputs] };
}

/** Loads the plan and runs it with signal handling; returns the exit code. Shared by `run` and `demo`. */
export async function runPlanFile(file: string, flags: RunFlags, ctx: CliContext): Promise<number> {
  const plan = withOutputFlags(await loadPlan(file), flags.output ?? []);
  const output = ctx.output();
  const printer = createProgressPrinter(output, flags.json === true || output.json, ctx.terminal);
  const room = await openControlRoom(plan, flags, output);
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) return; // one rollback at a time: a second Ctrl-C must not cut it short
    output.err(`\n${signal}: stopping load, switching faults off, rolling back, writing partial results…`);
    interrupt.abort(new Error(signal));
  };
  let chaos: { url: string; prefix: string } | undefined;
  // A bug must not leave faults on the target: remove this run's proxies, then exit 3.
  const uninstallCrashGuard = installCrashRollback(() => chaos, createNetGuard({ policy: { allowHosts: plan.safety.allowHosts, allowRemote: flags.allowRemote === true }, planKey: 'chaos.server' }), output.err);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // npx does not pass SIGTERM on: a dead parent counts as one (#13 item 7).
  const stopParentWatch = watchParentDeath((why) => (output.err(`\n${why}`), onSignal('SIGTERM')));
  let outcome: GameDayOutcome | undefined;
  try {
    outcome = await executeGameDay(plan, {
      outRoot: flags.out, engine: flags.engine, allowRemote: flags.allowRemote === true, signal: interrupt.signal,
      onEvent: (e) => { printer.onEvent(e); room?.onEvent(e); },
      onChaosReady: (c) => { chaos = c; },
      ...(room ? { onOperator: room.attach } : {}),
      ...(flags.grafanaVersion === undefined ? {} : { grafanaVersion: flags.grafanaVersion }),
    });
  } finally {
    printer.close();
    uninstallCrashGuard();
    stopParentWatch();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!outcome) await room?.close();
  }
  if (room) {
    // An interrupted run ends at once: Ctrl-C already said "stop".
    if (!interrupt.signal.aborted) await lingerControlRoom(room, outcome, output);
    await room.close();
  }
  return outcome.exitCode;
}
