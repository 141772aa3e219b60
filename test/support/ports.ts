/**
 * @module test/support: ports for parts that must be told their port before they bind it (a plan, a child's flags,
 * Prometheus' scrape config). Where the part under test can bind port 0 and report its port, use that instead.
 *
 * "Listen on 0, close, hand the port out" is a race on a busy machine: the kernel hands the same ephemeral port to
 * the next outgoing connection or `listen(0)` of any process. Ports here come from outside the kernel's ephemeral
 * range (/proc/sys/net/ipv4/ip_local_port_range), where only explicit binds compete, and `withPorts` retries a start
 * that still loses the race (EADDRINUSE).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Below this lie well-known ports and the fixed defaults of local services (5432, 8080, 8474, 9090 …). */
const LOWEST = 10_000;
const HIGHEST = 65_535;
/** Linux's default, for systems without /proc. */
const DEFAULT_EPHEMERAL = { low: 32_768, high: 60_999 } as const;

/** Ports handed out by this process: two picks in a row never name the same port before either is bound. */
const handedOut = new Set<number>();

/** The kernel's ephemeral port range (inclusive). */
export function ephemeralRange(text = readRangeFile()): { readonly low: number; readonly high: number } {
  const [low, high] = (text ?? '').trim().split(/\s+/).map(Number);
  return low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low <= high ? { low, high } : DEFAULT_EPHEMERAL;
}

function readRangeFile(): string | undefined {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
  } catch {
    return undefined;
  }
}

/** The ports in [LOWEST, 65535] outside `range`, as [from, to] spans; the whole span when the range covers it all. */
export function candidateSpans(range: { readonly low: number; readonly high: number }): [number, number][] {
  const spans: [number, number][] = [];
  if (range.low - 1 >= LOWEST) spans.push([LOWEST, range.low - 1]);
  if (range.high + 1 <= HIGHEST) spans.push([Math.max(LOWEST, range.high + 1), HIGHEST]);
  return spans.length > 0 ? spans : [[LOWEST, HIGHEST]];
}

function randomCandidate(spans: readonly [number, number][]): number {
  const sizes = spans.map(([from, to]) => to - from + 1);
  let n = Math.floor(Math.random() * sizes.reduce((a, b) => a + b, 0));
  for (const [i, [from]] of spans.entries()) {
    const size = sizes[i] as number;
    if (n < size) return from + n;
    n -= size;
  }
  return LOWEST;
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port on `host` that is free right now, outside the ephemeral range, and not handed out before by this process. */
export async function pickPort(host = '127.0.0.1'): Promise<number> {
  const spans = candidateSpans(ephemeralRange());
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = randomCandidate(spans);
    if (handedOut.has(port) || !(await canBind(port, host))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port on ${host} outside the ephemeral range after 200 tries`);
}

/** `count` distinct ports from `pickPort`. */
export async function pickPorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await pickPort(host));
  return ports;
}

/** True for an error that says a port was taken: EADDRINUSE, or a child's or codeblue's message saying so. */
export function isAddressInUse(err: unknown): boolean {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') return true;
  const text = err instanceof Error ? `${err.message}\n${String((err as { hint?: string }).hint ?? '')}` : String(err);
  return /EADDRINUSE|address already in use|address in use|CB_PORT_IN_USE/i.test(text);
}

/**
 * Calls `start` with `count` fresh ports until it does not fail with "address in use" (at most `attempts` times).
 * `start` cleans up after its own failure; any other error is rethrown at once.
 */
export async function withPorts<T>(count: number, start: (ports: number[]) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = await pickPorts(count);
    try {
      return await start(ports);
    } catch (err) {
      if (attempt >= attempts || !isAddressInUse(err)) throw err;
    }
  }
}
