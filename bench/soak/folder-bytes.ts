/** @module bench/soak: bytes a folder holds on disk (every file below it, apparent size), and its largest files. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function files(dir: string): [string, number][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [[path, statSync(path).size] as [string, number]];
  });
}

export function folderBytes(dir: string): number {
  return files(dir).reduce((sum, [, bytes]) => sum + bytes, 0);
}

/** The `n` largest files, as paths relative to `dir` with their bytes. */
export function largestFiles(dir: string, n: number): [string, number][] {
  return files(dir).sort((a, b) => b[1] - a[1]).slice(0, n).map(([path, bytes]) => [relative(dir, path), bytes]);
}
