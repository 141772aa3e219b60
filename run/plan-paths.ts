/** @module run: one rule for paths written in a plan — relative to the plan file's folder, never the process's cwd. */
import { dirname, resolve } from 'node:path';
import type { Plan } from '../plan/index.js';

/** `path` resolved against the folder of `plan.file` (the folder itself without a path). */
export function planPath(plan: Plan, path = '.'): string {
  return resolve(dirname(resolve(plan.file)), path);
}

/** Working directory of `target.start`: `target.cwd` against the plan's folder, else that folder. */
export const targetCwd = (plan: Plan): string => planPath(plan, plan.target.cwd);
