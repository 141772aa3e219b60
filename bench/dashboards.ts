/**
 * @module bench: dashboard generation — builds per second for a plan with 3 SLOs (dash-gen assembly, modern
 * panels, conversion to the current model) beside the reference of deep-copying the finished JSON
 * (`JSON.parse(JSON.stringify(d))`, a floor for producing an object of that size), same run, interleaved.
 */
import { buildDashboard } from '../dashboards/index.js';
import { drillPlan } from '../dashboards/fixtures/drill-plan.js';
import { median } from '../chaos/testing/net.js';

const MEASURE_MS = 500;
const ROUNDS = 3;

function opsPerSecond(fn: () => unknown): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < MEASURE_MS) {
    fn();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

export async function run(): Promise<void> {
  const plan = drillPlan();
  const built = buildDashboard(plan);
  const bytes = JSON.stringify(built).length;
  const builds: number[] = [];
  const copies: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    builds.push(opsPerSecond(() => buildDashboard(plan)));
    copies.push(opsPerSecond(() => JSON.parse(JSON.stringify(built))));
  }
  const b = median(builds);
  const c = median(copies);
  console.log(`dashboards  ${(built.panels as unknown[]).length} panels, ${bytes} bytes of JSON`);
  console.log(`  buildDashboard        ${b.toFixed(0)} builds/s (${(1000 / b).toFixed(3)} ms each)`);
  console.log(`  reference deep copy   ${c.toFixed(0)} copies/s`);
  console.log(`  ratio build/copy time ${(c / b).toFixed(2)}× (median of ${ROUNDS} interleaved rounds)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
