/** @module run: paths in a plan resolve against the plan file's folder, never the process's working directory. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../plan/index.js';
import { targetCwd } from './plan-paths.js';

const planAt = (file: string, target: Record<string, unknown>) => parsePlan(JSON.stringify({
  name: 'paths', target: { baseUrl: 'http://127.0.0.1:8080', start: 'node server.mjs', ...target },
  scenarios: { s: { executor: 'shared-iterations', steps: [{ name: 'x', request: { path: '/' } }] } },
}), file);

describe('targetCwd', () => {
  it('is the plan file\'s folder when target.cwd is not set', () => {
    expect(targetCwd(planAt('/srv/drills/ward/codeblue.yaml', {}))).toBe('/srv/drills/ward');
  });

  it('resolves a relative target.cwd against the plan file\'s folder, and keeps an absolute one', () => {
    expect(targetCwd(planAt('/srv/drills/ward/codeblue.yaml', { cwd: '../service' }))).toBe('/srv/drills/service');
    expect(targetCwd(planAt('/srv/drills/ward/codeblue.yaml', { cwd: '/opt/app' }))).toBe('/opt/app');
  });

  it('reads a relative plan path from where it was given (the folder the user typed it in)', () => {
    expect(targetCwd(planAt(join('drills', 'codeblue.yaml'), { cwd: 'app' }))).toBe(resolve('drills', 'app'));
  });
});
