/** @module cli: commands run in-process against an in-memory terminal — captured output and exit codes, no child process. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateRun, sampleRunInput, writeReports } from '../reports/index.js';
import { runCli } from './run-cli.js';
import { createMemoryTerminal } from './terminal.js';
import { stripAnsi } from './ui/display-width.js';

const SPIKE = fileURLToPath(new URL('../examples/spike.yaml', import.meta.url));

describe('codeblue in-process', () => {
  const root = mkdtempSync(join(tmpdir(), 'codeblue-cli-inproc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('validate prints the plan summary on stdout and exits 0', async () => {
    const term = createMemoryTerminal();
    expect(await runCli(['validate', SPIKE], term)).toBe(0);
    expect(term.stdoutText()).toContain('codeblue  game day');
    expect(term.stdoutText()).toContain('✓ plan is valid');
    expect(term.stdoutText()).not.toContain('\u001b[');
    expect(term.stderrText()).toBe('');
  }, 30_000);

  it('colours only on a TTY without NO_COLOR or --no-color', async () => {
    const tty = createMemoryTerminal({ isTTY: true });
    expect(await runCli(['validate', SPIKE], tty)).toBe(0);
    expect(tty.stdoutText()).toContain('\u001b[32m✓\u001b[0m plan is valid');
    const noColor = createMemoryTerminal({ isTTY: true, env: { NO_COLOR: '1' } });
    expect(await runCli(['validate', SPIKE], noColor)).toBe(0);
    expect(noColor.stdoutText()).toBe(stripAnsi(tty.stdoutText()));
    const flag = createMemoryTerminal({ isTTY: true });
    expect(await runCli(['--no-color', 'validate', SPIKE], flag)).toBe(0);
    expect(flag.stdoutText()).toBe(noColor.stdoutText());
  }, 30_000);

  it('validate exits 3 when target.start is set and its port is already served (run would refuse it)', async () => {
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const port = (held.address() as AddressInfo).port;
    try {
      const file = join(root, 'stale.yaml');
      writeFileSync(file, readFileSync(SPIKE, 'utf8').replace('http://127.0.0.1:8080', `http://127.0.0.1:${port}`));
      const term = createMemoryTerminal();
      expect(await runCli(['validate', file], term)).toBe(3);
      expect(term.stderrText()).toMatch(/^error CB_PORT_IN_USE /);
      expect(term.stderrText()).toContain(String(port));
    } finally {
      await new Promise<void>((resolve) => held.close(() => resolve()));
    }
  }, 30_000);

  it('validate of a broken plan reports the problem on stderr and exits 2', async () => {
    const term = createMemoryTerminal();
    expect(await runCli(['validate', join(root, 'missing.yaml')], term)).toBe(2);
    expect(term.stdoutText()).toBe('');
    expect(term.stderrText()).toMatch(/^error CB_PLAN_NOT_FOUND /);
    expect(term.stderrText()).toContain('hint:');
  }, 30_000);

  it('init writes a plan that validate accepts, and refuses to overwrite it', async () => {
    const dir = join(root, 'init');
    const term = createMemoryTerminal();
    expect(await runCli(['init', dir], term)).toBe(0);
    expect(term.stdoutText()).toContain(`wrote ${join(dir, 'codeblue.yaml')}`);
    expect(existsSync(join(dir, 'codeblue.schema.json'))).toBe(true);
    expect(await runCli(['validate', join(dir, 'codeblue.yaml')], createMemoryTerminal())).toBe(0);
    const again = createMemoryTerminal();
    expect(await runCli(['init', dir], again)).toBe(2);
    expect(again.stderrText()).toContain('CB_USAGE');
    expect(again.stderrText()).toContain('--force');
  }, 30_000);

  it('schema prints the JSON Schema on stdout', async () => {
    const term = createMemoryTerminal();
    expect(await runCli(['schema'], term)).toBe(0);
    const schema = JSON.parse(term.stdoutText()) as Record<string, unknown>;
    expect(schema).toHaveProperty('$schema');
    expect(term.stderrText()).toBe('');
  }, 30_000);

  it('report re-renders a run folder, shows paths against the terminal cwd, and exits 1 for a failed run', async () => {
    const run = join(root, 'run');
    mkdirSync(run);
    writeReports(run, evaluateRun(sampleRunInput()), ['json']);
    const term = createMemoryTerminal({ cwd: root });
    expect(await runCli(['report', run, '--format', 'markdown'], term)).toBe(1);
    expect(term.stdoutText()).toContain(`wrote  ${join('run', 'summary.md')}`);
    expect(readFileSync(join(run, 'summary.md'), 'utf8')).toMatch(/FAILED/);
    const json = createMemoryTerminal();
    expect(await runCli(['--json', 'report', run, '--format', 'markdown'], json)).toBe(1);
    expect(JSON.parse(json.stdoutText())).toMatchObject({ status: expect.any(String), exitCode: 1 });
  }, 30_000);

  it('an unknown flag or a bad flag value exits 2 with commander\'s message on the terminal, not the process', async () => {
    const term = createMemoryTerminal();
    expect(await runCli(['validate', SPIKE, '--bogus'], term)).toBe(2);
    expect(term.stderrText()).toContain("error: unknown option '--bogus'");
    expect(term.stderrText()).toContain('(run with --help for usage)');
    expect(term.stdoutText()).toBe('');
    const bad = createMemoryTerminal();
    expect(await runCli(['run', SPIKE, '--engine', 'jmeter'], bad)).toBe(2);
    expect(bad.stderrText()).toContain('expected "embedded" or "k6"');
  }, 30_000);

  it('file-like output (a scrape config) reaches the terminal byte for byte', async () => {
    const term = createMemoryTerminal();
    expect(await runCli(['dashboard', 'prometheus-config', '--target', '127.0.0.1:9464'], term)).toBe(0);
    expect(term.stdoutText()).toContain('127.0.0.1:9464');
    expect(term.stdoutText().endsWith('\n')).toBe(true);
    expect(term.stdoutText().endsWith('\n\n')).toBe(false);
  }, 30_000);

  it('a bad input error in --json mode is one JSON object on stdout, exit 2', async () => {
    const term = createMemoryTerminal();
    expect(await runCli(['--json', 'validate', join(root, 'missing.yaml')], term)).toBe(2);
    expect(JSON.parse(term.stdoutText())).toMatchObject({ error: { code: 'CB_PLAN_NOT_FOUND' } });
  }, 30_000);

  it('help goes to the terminal at its width and exits 0', async () => {
    const narrow = createMemoryTerminal({ columns: 100 });
    const wide = createMemoryTerminal({ columns: 200 });
    expect(await runCli(['--help'], narrow)).toBe(0);
    expect(await runCli(['--help'], wide)).toBe(0);
    expect(narrow.stdoutText()).toContain('Usage: codeblue');
    // Commander wraps descriptions to the terminal's columns (it stops wrapping below ~40 columns per description).
    const widest = (t: string): number => Math.max(...t.split('\n').map((l) => l.length));
    expect(widest(narrow.stdoutText())).toBeLessThanOrEqual(100);
    expect(widest(wide.stdoutText())).toBeGreaterThan(100);
    expect(narrow.stderrText() + wide.stderrText()).toBe('');
  }, 30_000);
});
