/** @module run: the run folder `runs/<timestamp>-<plan-name>/` and the files written into it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface RunFolder {
  readonly dir: string;
  /** Path of a file inside the folder. */
  path(name: string): string;
  /** Writes JSON (pretty) synchronously, so an interrupted run still has it. */
  writeJson(name: string, value: unknown): string;
}

/** Creates `<outRoot>/<stamp>-<name>` (stamp from the run id, e.g. `20261125t110722-a1b2`). */
export function createRunFolder(outRoot: string, runId: string, planName: string): RunFolder {
  const dir = resolve(outRoot, `${runId}-${planName}`);
  mkdirSync(join(dir, 'samples'), { recursive: true });
  return {
    dir,
    path: (name) => join(dir, name),
    writeJson(name, value) {
      const file = join(dir, name);
      writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
      return file;
    },
  };
}
