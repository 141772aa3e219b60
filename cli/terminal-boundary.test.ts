/** @module cli: only cli/process-terminal.ts reads the process's streams, TTY, width and terminal environment; everything else gets the Terminal. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('.', import.meta.url));
const ALLOWED = new Set(['process-terminal.ts']);
const PROCESS_TERMINAL = /process\.(stdout|stderr|stdin|cwd\b)|process\.env\.(CI|NO_COLOR|FORCE_COLOR|COLUMNS|TERM)\b|process\.env\[/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('terminal boundary', () => {
  it('finds the cli sources it checks', () => {
    expect(sources(CLI).map((f) => relative(CLI, f))).toEqual(expect.arrayContaining(['main.ts', 'run-cli.ts', 'ui/progress-printer.ts', 'commands/run.ts']));
  });

  it('has no cli module but process-terminal.ts touch process.stdout/stderr, cwd or the terminal env', () => {
    const offenders = sources(CLI)
      .filter((f) => !ALLOWED.has(relative(CLI, f)))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((line, i) => ({ at: `${relative(CLI, f)}:${i + 1}`, line })))
      .filter(({ line }) => PROCESS_TERMINAL.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it('catches a direct write', () => {
    expect(PROCESS_TERMINAL.test("process.stdout.write('x')")).toBe(true);
    expect(PROCESS_TERMINAL.test('const ci = process.env.CI;')).toBe(true);
    expect(PROCESS_TERMINAL.test('terminal.stdout.write(x)')).toBe(false);
  });
});
