/** @module cli: `codeblue run <plan>` — one game day with a verdict; Ctrl-C rolls back and still writes the report. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadPlan } from '../../plan/index.js';
import { executeGameDay } from '../../run/index.js';
import type { CliContext } from '../context.js';
import { createProgressPrinter } from '../ui/progress-printer.js';

export interface RunFlags {
  readonly engine: 'embedded' | 'k6';
  readonly out: string;
  readonly allowRemote?: boolean;
  readonly json?: boolean;
}

const parseEngine = (value: string): 'embedded' | 'k6' => {
  if (value === 'embedded' || value === 'k6') return value;
  throw new InvalidArgumentError('expected "embedded" or "k6"');
};

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run a game day: load + faults on a timeline + traces → verdict and run folder (exit 0 pass, 1 fail, 130 interrupted)')
    .argument('<plan>', 'path of the plan file')
    .option('--engine <engine>', 'load engine: embedded or k6 (needs k6 on PATH)', parseEngine, 'embedded')
    .option('--out <dir>', 'root folder for run folders', 'runs')
    .option('--allow-remote', 'allow non-loopback hosts listed in safety.allowHosts')
    .option('--json', 'ndjson events on stdout')
    .action(async (file: string, flags: RunFlags) => {
      ctx.setExitCode(await runPlanFile(file, flags, ctx));
    });
}

/** Loads the plan and runs it with signal handling; returns the exit code. Shared by `run` and `demo`. */
export async function runPlanFile(file: string, flags: RunFlags, ctx: CliContext): Promise<number> {
  const plan = await loadPlan(file);
  const output = ctx.output();
  const printer = createProgressPrinter(output, flags.json === true || output.json);
  const interrupt = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      output.err(`\n${signal}: stopping load, rolling faults back, writing partial results… (again to hurry)`);
      interrupt.abort(new Error(signal));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await executeGameDay(plan, {
      outRoot: flags.out, engine: flags.engine, allowRemote: flags.allowRemote === true, signal: interrupt.signal, onEvent: printer.onEvent,
    });
    return outcome.exitCode;
  } finally {
    printer.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
