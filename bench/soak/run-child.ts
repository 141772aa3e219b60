/** @module bench/soak: `codeblue run <plan> --json` as a child process, its ndjson events timed on arrival. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../test/e2e/game-day-fixture.js';

const BIN = new URL('../../bin/codeblue.js', import.meta.url).pathname;

/** The node flags of the bin's shebang (`#!/usr/bin/env -S node --flag …`): the soak runs codeblue as `npx codeblue` does. */
function shebangNodeFlags(file: string): string[] {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const words = first.replace(/^#!\s*/, '').split(/\s+/);
  const node = words.indexOf('node');
  return node < 0 ? [] : words.slice(node + 1).filter((w) => w.startsWith('--'));
}

/** One event of the run, with the bench's own clock (ms since spawn) at its arrival. */
export interface TimedEvent {
  readonly arrivedMs: number;
  readonly event: Record<string, unknown> & { readonly type?: string };
}

export interface RunChild {
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

/**
 * Spawns the run; `onEvent` sees each event as it arrives; stderr goes to the bench's stderr. With `cpuProfileDir`
 * the codeblue process writes a V8 CPU profile there when it exits (`--cpu-prof`, 2 ms samples: a whole soak).
 */
export function spawnRun(planFile: string, outRoot: string, onEvent: (e: TimedEvent) => void, cpuProfileDir?: string): RunChild {
  const t0 = performance.now();
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, '--cpu-prof-interval=2000'] : [];
  const child = spawn(process.execPath, [...shebangNodeFlags(BIN), ...profile, BIN, 'run', planFile, '--out', outRoot, '--json'], {
    cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    if (!line.startsWith('{')) return;
    onEvent({ arrivedMs: performance.now() - t0, event: JSON.parse(line) as TimedEvent['event'] });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited };
}
