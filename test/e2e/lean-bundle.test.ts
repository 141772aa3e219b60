/**
 * @module test/e2e: codeblue runs from plain-JS bundles (bin/lean-bundle.js), kept fresh: `chaos serve` from a bundle
 * of the chaos server alone, every other command from one of cli/main.ts; a source newer than a bundle rebuilds it,
 * and the bundled commands answer as the tsx ones do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/codeblue.js`;
const BUNDLE = `${ROOT}node_modules/.cache/codeblue/serve-main.mjs`;
const INPUTS = `${ROOT}node_modules/.cache/codeblue/serve-main.inputs.json`;
const MAIN_BUNDLE = `${ROOT}node_modules/.cache/codeblue/main.mjs`;
const MAIN_INPUTS = `${ROOT}node_modules/.cache/codeblue/main.inputs.json`;

/** Starts `chaos serve` on a free port, creates a proxy through the API, and stops it with SIGINT; resolves the exit code. */
async function serveOnce(): Promise<{ code: number | null; created: number }> {
  const child = spawn(process.execPath, [BIN, '--json', 'chaos', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('"listening"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', () => reject(new Error(`chaos serve exited before listening: ${out}`)));
    });
    const res = await fetch(`${url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'lean', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }) });
    await res.text();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    return { code: await exited, created: res.status };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('the lean entries', { timeout: 120_000 }, () => {
  it('serves the API from a bundle newer than every source it holds, and rebuilds it when a source changes', async () => {
    expect(await serveOnce()).toEqual({ code: 0, created: 201 });
    expect(existsSync(BUNDLE)).toBe(true);
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8')) as string[];
    expect(inputs).toEqual(expect.arrayContaining(['cli/serve-main.ts', 'chaos/proxy/link.ts', 'bin/build-bundle.js']));
    // The bundle holds the chaos server, not the other rooms.
    expect(inputs.filter((f) => /^(run|scenarios|collectors|reports|dashboards|plan)\//.test(f))).toEqual([]);
    const built = statSync(BUNDLE).mtimeMs;
    for (const file of inputs) expect(statSync(`${ROOT}${file}`).mtimeMs).toBeLessThanOrEqual(built);

    // A source touched after the build (same content, newer time) makes the next start rebuild.
    const source = `${ROOT}chaos/proxy/chan.ts`;
    const now = new Date();
    utimesSync(source, now, now);
    expect(await serveOnce()).toEqual({ code: 0, created: 201 });
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThan(built);
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThanOrEqual(statSync(source).mtimeMs);
  });

  it('runs every other command from a bundle of cli/main.ts that holds every room, rebuilt when a source changes', () => {
    const version = (): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', timeout: 100_000 });
    const first = version();
    expect(first.status).toBe(0);
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    expect(String(first.stdout).trim()).toBe(pkg.version);
    expect(existsSync(MAIN_BUNDLE)).toBe(true);
    const inputs = JSON.parse(readFileSync(MAIN_INPUTS, 'utf8')) as string[];
    expect(inputs).toEqual(expect.arrayContaining(['cli/main.ts', 'run/execute.ts', 'collectors/store/span-store.ts', 'bin/build-bundle.js']));
    const built = statSync(MAIN_BUNDLE).mtimeMs;
    const source = `${ROOT}reports/index.ts`;
    const now = new Date(Math.max(Date.now(), built + 1000));
    utimesSync(source, now, now);
    expect(version().status).toBe(0);
    expect(statSync(MAIN_BUNDLE).mtimeMs).toBeGreaterThan(built);
  });
});
