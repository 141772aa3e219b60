/**
 * @module bench: reports — a synthetic 1 h run of ~10 M requests (20 endpoints, per-second HDR histograms) →
 * evaluateRun → every renderer. Goals: all renderers together < 5 s, report.html < 3 MB. Reference: plain
 * `JSON.stringify` of the same RunResults, timed in the same run.
 */
import { performance } from 'node:perf_hooks';
import { evaluateRun, sampleRunInput, WRITERS } from '../reports/index.js';

const SECONDS = 3600;
const ENDPOINTS = 20;
const RATE = 139; // per endpoint per second: 139 × 20 × 3600 ≈ 10.0 M requests

const time = <T>(fn: () => T): { value: T; ms: number } => {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
};
const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export async function run(): Promise<void> {
  // 12 weighted latency values per endpoint-second carry the 139 requests (recordValueWithCount).
  const built = time(() => sampleRunInput({ seconds: SECONDS, endpoints: ENDPOINTS, rate: RATE, weightedValues: 12 }));
  const evaluated = time(() => evaluateRun(built.value));
  const results = evaluated.value;
  const requests = results.phaseTables.find((t) => t.scope === 'run')?.total.count ?? 0;
  const reference = time(() => JSON.stringify(results));
  const rendered = WRITERS.map((w) => {
    const r = time(() => w.render(results));
    return { file: w.file, ms: r.ms, bytes: Buffer.byteLength(r.value) };
  });
  const renderMs = rendered.reduce((s, r) => s + r.ms, 0);
  const html = rendered.find((r) => r.file === 'report.html');
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  out(`report: ${requests.toLocaleString('en')} requests, ${SECONDS} s, ${ENDPOINTS} endpoints, ${results.verdicts.length} verdicts`);
  out(`  synthetic input (HDR histograms)   ${fmt(built.ms)}`);
  out(`  evaluateRun                        ${fmt(evaluated.ms)}  (queries the reference histogram adapter; the orchestrator's store may differ)`);
  for (const r of rendered) out(`  render ${r.file.padEnd(14)}            ${fmt(r.ms).padStart(8)}  ${mb(r.bytes)}`);
  out(`  all renderers                      ${fmt(renderMs)}  goal < 5000 ms ${renderMs < 5000 ? '✓' : '✗'}`);
  out(`  report.html size                   ${mb(html?.bytes ?? 0)}  goal < 3 MB ${(html?.bytes ?? 0) < 3 * 1024 * 1024 ? '✓' : '✗'}`);
  out(`  reference JSON.stringify           ${fmt(reference.ms)}  → renderers / stringify = ${(renderMs / Math.max(0.001, reference.ms)).toFixed(1)}×`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
