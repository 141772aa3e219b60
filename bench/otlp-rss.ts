/**
 * @module bench: RSS of a receiver process (`codeblue collect`, the run's own receiver and store) while
 * ≥ 100 MB of large-attribute spans arrive over OTLP/HTTP protobuf: half with values just under the 4096-char
 * limit (kept whole: the store's byte cap has to hold), half with 48 KB values (cut by the limits).
 * Before the byte cap, 60 such requests took a receiver from 245 to 673 MB, linearly.
 * Goals: RSS stops growing — the peak over the last quarter of the requests is within 20 % of the peak over the
 * first quarter — and peak RSS − RSS at start ≤ twice the store's byte budget (estimated bytes of records kept,
 * 128 MiB) — the rest being request bodies in flight (≤ 64 MiB), decoded messages and V8's heap headroom.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hexId, traceRequestProtobuf } from '../collectors/otlp/test-payloads.js';
import { DEFAULT_STORE_BYTES } from '../collectors/store/span-store.js';

const REQUESTS = Number(process.env.CB_BENCH_REQUESTS ?? 400);
const SPANS_PER_REQUEST = 16;
const ATTRIBUTES = 10;
const CONCURRENCY = 4;
const MiB = 1024 * 1024;

function body(n: number): Buffer {
  const valueChars = n % 2 === 0 ? 4000 : 48_000;
  return traceRequestProtobuf('rss-bench', Array.from({ length: SPANS_PER_REQUEST }, (_, i) => {
    const id = n * SPANS_PER_REQUEST + i;
    const attributes: Record<string, string> = {};
    for (let a = 0; a < ATTRIBUTES; a++) attributes[`big.${a}`] = `${id}:${a}:`.padEnd(valueChars, String.fromCharCode(97 + ((id + a) % 26)));
    return { traceId: hexId(id, 16), spanId: hexId(id, 8), name: 'GET /fhir/Observation', startMs: 1_700_000_000_000 + id, attributes };
  }));
}

function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export async function run(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'cb-rss-'));
  const bin = new URL('../bin/codeblue.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [bin, 'collect', '--json', '--port', '0', '--out', out], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines = createInterface({ input: child.stdout });
    let url = '';
    for await (const line of lines) {
      const event = JSON.parse(line) as { event: string; otlp?: string };
      if (event.event === 'listening' && event.otlp) {
        url = event.otlp;
        break;
      }
    }
    const pid = child.pid as number;
    const start = rssOf(pid);
    let peak = start;
    const quarterPeaks = [0, 0, 0, 0];
    let sent = 0;
    let next = 0;
    const statuses: Record<number, number> = {};
    const samples: string[] = [];
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const n = next++;
        const payload = body(n);
        const res = await fetch(`${url}/v1/traces`, { method: 'POST', body: payload, headers: { 'content-type': 'application/x-protobuf' } });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        sent += payload.length;
        const rss = rssOf(pid);
        peak = Math.max(peak, rss);
        const q = Math.min(3, Math.floor((n * 4) / REQUESTS));
        quarterPeaks[q] = Math.max(quarterPeaks[q] as number, rss);
        if (n % 40 === 39) samples.push(`${Math.round(sent / MiB)} MiB sent → RSS ${Math.round(rss / MiB)} MiB`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const end = rssOf(pid);
    const closed = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const code = await closed;
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      receiver: { limited: Record<string, number> };
      store: { spans: { total: number; inMemory: number; onDisk: number; dropped: number; bytesInMemory: number } };
    };
    const growth = peak - start;
    const s = summary.store.spans;
    const [first, , , last] = quarterPeaks as [number, number, number, number];
    const flat = last <= first * 1.2;
    const capped = growth <= 2 * DEFAULT_STORE_BYTES;
    process.stdout.write([
      ...samples.map((l) => `  ${l}`),
      `  sent ${Math.round(sent / MiB)} MiB in ${REQUESTS} requests (${REQUESTS * SPANS_PER_REQUEST} spans, ${ATTRIBUTES} values of 4000/48000 chars each); statuses ${JSON.stringify(statuses)}`,
      `  receiver RSS: start ${Math.round(start / MiB)} MiB, peak ${Math.round(peak / MiB)} MiB, end ${Math.round(end / MiB)} MiB — growth ${Math.round(growth / MiB)} MiB`,
      `  store: ${s.inMemory} spans in memory (${Math.round(s.bytesInMemory / MiB)} MiB estimated), ${s.onDisk} on disk, ${s.dropped} dropped; limits cut ${summary.receiver.limited.truncatedValues ?? 0} values; exit ${code}`,
      `  goal: flat (peak of the last quarter ${Math.round(last / MiB)} MiB ≤ 1.2 × first quarter's ${Math.round(first / MiB)} MiB) — ${flat ? 'met' : 'NOT met'}`,
      `  goal: growth ≤ ${(2 * DEFAULT_STORE_BYTES) / MiB} MiB (2 × the store's byte budget) — ${capped ? 'met' : 'NOT met'}`,
    ].join('\n') + '\n');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
  }
}
