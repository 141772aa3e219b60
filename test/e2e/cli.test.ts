/** @module test: the CLI as a user runs it — real processes, exit codes, no stack traces. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/codeblue.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cb-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeblue(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('codeblue CLI', () => {
  it('prints help and version', () => {
    const help = codeblue('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/validate/);
    expect(help.stdout).toMatch(/init/);
    const version = codeblue('--version');
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('init writes a plan that validates', () => {
    const target = join(dir, 'x');
    expect(codeblue('init', target).status).toBe(0);
    const result = codeblue('validate', join(target, 'codeblue.yaml'));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/plan is valid/);
    expect(result.stdout).toMatch(/baseline\s+00:00–00:20/);
    expect(codeblue('init', target).status).toBe(2);
  });

  it('names the line and the right executor for a misspelt one, exit 2, no stack', () => {
    const target = join(dir, 'y');
    codeblue('init', target);
    const file = join(target, 'codeblue.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('executor: constant-arrival-rate', 'executor: constant-arival-rate'));
    const result = codeblue('validate', file);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/codeblue\.yaml:\d+:\d+ scenarios\.clinicians\.executor: unknown executor "constant-arival-rate"/);
    expect(result.stderr).toMatch(/did you mean "constant-arrival-rate"\?/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints issues as JSON with --json', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: t\n');
    const result = codeblue('--json', 'validate', file);
    expect(result.status).toBe(2);
    const body = JSON.parse(result.stdout) as { error: { code: string; issues: { path: string; line: number }[] } };
    expect(body.error.code).toBe('CB_PLAN_INVALID');
    expect(body.error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['target', 'scenarios']));
  });

  it('answers usage errors and missing files with exit 2', () => {
    expect(codeblue('validate').status).toBe(2);
    expect(codeblue('--bogus').status).toBe(2);
    const missing = codeblue('validate', join(dir, 'nope.yaml'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/CB_PLAN_NOT_FOUND/);
  });

  it('shows stack traces only with --debug', () => {
    const missing = codeblue('--debug', 'validate', join(dir, 'nope.yaml'));
    expect(missing.stderr).toMatch(/\n\s+at /);
  });
});
