/**
 * @module bench: what one VU with a request in flight costs the run process — codeblue's load engine (N constant VUs)
 * against the reference, N bare undici Clients (the HTTP client each engine VU keeps, with no engine around it), each
 * in a fresh process with N requests held 2 s by a loopback target. A soak whose target slows keeps up to `maxVUs`
 * in flight, so this is the load engine's per-VU term of a run's memory (docs/plan.md "Memory"). Goal: the engine's
 * JS heap + ArrayBuffers per VU ≤ 2× the bare client's.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTarget } from './load/start-target.js';

const VUS = 400;
const CHILD = fileURLToPath(new URL('./vu-memory/in-flight.ts', import.meta.url));

interface Side {
  readonly vus: number;
  readonly requests: number;
  readonly before: { rss: number; heap: number };
  readonly inFlight: { rss: number; heap: number };
}

function measure(side: 'engine' | 'undici', url: string): Side {
  // The flags codeblue's bin runs with (its shebang's young generation), so the engine side is the engine as run.
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=4', '--import', 'tsx', CHILD, side, url, String(VUS)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vu-memory ${side} side failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Side;
}

/** Growth per VU while all were in flight, in KB. */
function perVu(s: Side): { rss: number; heap: number } {
  return { rss: (s.inFlight.rss - s.before.rss) / s.vus / 1024, heap: (s.inFlight.heap - s.before.heap) / s.vus / 1024 };
}

export async function run(): Promise<void> {
  const target = await startTarget();
  try {
    const url = `http://127.0.0.1:${target.port}`;
    const engine = measure('engine', url);
    const bare = measure('undici', url);
    console.log(`per-VU memory: ${VUS} VUs, each with one GET held 2 s by a loopback target (fresh process each; growth over the warmed, collected process, median of the readings while all were in flight)`);
    for (const [name, s] of [['codeblue engine', engine], ['bare undici Client', bare]] as const) {
      const { rss, heap } = perVu(s);
      console.log(`  ${name.padEnd(20)} RSS +${rss.toFixed(1)} KB per VU · JS heap + ArrayBuffers +${heap.toFixed(1)} KB per VU · ${s.requests} requests answered`);
    }
    // The heap is the figure to compare: RSS moves in pages V8 and malloc already hold or have not yet given back.
    const engineHeap = perVu(engine).heap;
    const ratio = engineHeap / Math.max(0.001, perVu(bare).heap);
    console.log(`  ratio engine / bare client (JS heap + ArrayBuffers per VU): ${ratio.toFixed(2)}× ${ratio <= 2 ? '✓' : '✗'} (goal ≤ 2×)`);
    console.log(`  sizing: 1,000 VUs in flight ≈ +${(engineHeap * 1000 / 1024).toFixed(0)} MB of JS heap in codeblue's load engine`);
  } finally {
    target.child.kill('SIGTERM');
  }
}
