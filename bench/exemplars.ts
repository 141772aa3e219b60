/**
 * @module bench: what the exemplar reservoirs cost — the same synthetic samples recorded into a MetricStore with
 * and without trace ids (bench/load/memory.ts, each in its own process), printed as ratios against the run without.
 * Rounds alternate the two and the medians are compared, so load from other processes hits both alike.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../chaos/testing/net.js';

const RECORDS = 2_000_000;
const ROUNDS = 3;
const memoryScript = fileURLToPath(new URL('./load/memory.ts', import.meta.url));

interface Measured { readonly seconds: number; readonly rssAfterMb: number; readonly peakMb: number; readonly exemplarCandidates: number; readonly simulatedSeconds: number }

function measure(mode: 'plain' | 'traced'): Measured {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=8', '--import', 'tsx', memoryScript, String(RECORDS), mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`exemplars bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as Measured;
}

export async function run(): Promise<void> {
  const runs: { plain: Measured; traced: Measured }[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push({ plain: measure('plain'), traced: measure('traced') });
  const pick = (mode: 'plain' | 'traced'): Measured => {
    const all = runs.map((r) => r[mode]);
    const first = all[0] as Measured;
    return { ...first, seconds: median(all.map((m) => m.seconds)), peakMb: median(all.map((m) => m.peakMb)) };
  };
  const plain = pick('plain');
  const traced = pick('traced');
  console.log(`  (${ROUNDS} alternating rounds, medians; per-round time ratios ${runs.map((r) => (r.traced.seconds / r.plain.seconds).toFixed(2)).join(', ')})`);
  console.log(`exemplars: ${RECORDS.toLocaleString('en-US')} samples (${traced.simulatedSeconds} simulated seconds, 20,000/s, 8 endpoints), reference = the same run without trace ids`);
  console.log(`  time   ${traced.seconds.toFixed(2)} s vs ${plain.seconds.toFixed(2)} s  → ${(traced.seconds / plain.seconds).toFixed(2)}×`);
  console.log(`  RSS    ${traced.peakMb.toFixed(0)} MB vs ${plain.peakMb.toFixed(0)} MB peak → ${(traced.peakMb / plain.peakMb).toFixed(2)}×`);
  console.log(`  kept   ${traced.exemplarCandidates.toLocaleString('en-US')} exemplars (bounded: ≤ 7 per endpoint and second, whatever the rate)`);
}
