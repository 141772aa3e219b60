/** @module bench/soak: bytes a folder holds on disk (every file below it, apparent size). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}
