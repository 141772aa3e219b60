/** @module bench: runs wrk (the real client, so the benchmark measures the proxy, not a Node client) and parses its figures. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const WRK_BIN = '/usr/bin/wrk';

export interface WrkResult {
  readonly requestsPerSec: number;
  /** Transfer/sec in MB/s (10^6 bytes). */
  readonly mbPerSec: number;
  /** Median latency in µs (wrk --latency). */
  readonly p50Micros: number;
}

const UNIT_MICROS: Record<string, number> = { us: 1, ms: 1e3, s: 1e6, m: 60e6 };
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function parse(text: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(text);
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  if (!rps || !transfer || !p50) throw new Error(`cannot read wrk's output:\n${text}`);
  return {
    requestsPerSec: Number(rps[1]),
    mbPerSec: (Number(transfer[1]) * (UNIT_BYTES[transfer[2] as string] as number)) / 1e6,
    p50Micros: Number(p50[1]) * (UNIT_MICROS[p50[2] as string] as number),
  };
}

/** `wrk -t1 -c<connections> -d<seconds>s --latency <url>`; fails when any socket error or non-2xx was seen. */
export async function runWrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  const { stdout } = await promisify(execFile)(WRK_BIN, ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { timeout: (seconds + 30) * 1000 });
  if (/Socket errors|Non-2xx/.test(stdout)) throw new Error(`wrk saw errors through ${url}:\n${stdout}`);
  return parse(stdout);
}
