/** @module bench: `codeblue chaos serve` in its own process, as a user runs it, with its resident memory read from /proc. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/codeblue.js', import.meta.url));

export interface Serve {
  readonly url: string;
  /** The relay the server reported it uses for toxic-less connections. */
  readonly relay: 'native' | 'js';
  /** Resident set size of the server process now, in MB (10^6 bytes). */
  rssMb(): number;
  /** Creates a tcp proxy on a free loopback port and returns that port. */
  proxy(name: string, upstreamPort: number): Promise<number>;
  stop(): Promise<void>;
}

/** `env` is added to this process's environment (e.g. CODEBLUE_NATIVE_RELAY=off for the JS relay). */
export async function startServe(env: Record<string, string> = {}): Promise<Serve> {
  const child = spawn(process.execPath, [BIN, '--json', 'chaos', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const { url, relay } = await new Promise<{ url: string; relay: 'native' | 'js' }>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve(JSON.parse(line) as { url: string; relay: 'native' | 'js' });
    });
    child.once('exit', () => reject(new Error('chaos serve exited before listening')));
  });
  const pid = child.pid as number;
  return {
    url,
    relay,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024 / 1e6,
    async proxy(name, upstreamPort) {
      const res = await fetch(`${url}/proxies`, { method: 'POST', body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }) });
      if (res.status !== 201) throw new Error(`creating proxy ${name}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { listen: string };
      return Number(body.listen.split(':').at(-1));
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}
