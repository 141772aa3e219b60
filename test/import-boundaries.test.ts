/** @module test: the rooms' data flow has no back-edges (design.md), checked by dependency-cruiser with .dependency-cruiser.cjs. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const CRUISER = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const TREE = ['core', 'plan', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards', 'run', 'cli', 'demo', 'bench', 'test', 'bin'];

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
}

/** Runs the cruiser with the project's rules in `cwd` over the folders of `TREE` that exist there. */
async function cruise(cwd: string, folders: readonly string[]): Promise<Violation[]> {
  const args = [CRUISER, '--config', CONFIG, '--output-type', 'json', ...folders];
  // Exit code 1 only means "violations found"; the JSON on stdout is the answer either way.
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw new Error(`dependency-cruiser failed: ${err.stderr ?? String(err)}`);
      return { stdout: err.stdout };
    },
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const errorsOf = (violations: readonly Violation[]): string[] =>
  violations.filter((v) => v.rule.severity === 'error').map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

describe('import boundaries of the real tree', () => {
  it('has no errors under the room rules, tests, bench and bin included', async () => {
    expect(errorsOf(await cruise(ROOT, TREE))).toEqual([]);
  }, 120_000);
});

/** A small tree with one public index.ts per room, plus each deliberate breach. */
const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true } }),
  'package.json': JSON.stringify({ name: 'fixture', type: 'module' }),
  'core/index.ts': "export const leaf = 1;\n",
  'core/units.ts': "export const ms = 1;\n",
  'chaos/index.ts': "export { TOXICS } from './toxics/attributes.js';\n",
  'chaos/toxics/attributes.ts': "import { leaf } from '../../core/index.js';\nexport const TOXICS = [leaf];\n",
  'collectors/index.ts': "export interface Span { id: string }\nexport const CATALOGUE = ['x'];\n",
  'collectors/store/sketch.ts': "export const sketch = 1;\n",
  'scenarios/index.ts': "import { ms } from '../core/units.js';\nexport const engine = ms;\n",
  'run/index.ts': "import { engine } from '../scenarios/index.js';\nexport const gameDay = engine;\n",
  // Allowed: a type-only import of collectors, a test importing its own room's internals.
  'reports/types.ts': "import type { Span } from '../collectors/index.js';\nexport type Spans = Span[];\n",
  'chaos/toxics/attributes.test.ts': "import { TOXICS } from './attributes.js';\nexport const n = TOXICS.length;\n",
  // Breach 1: a plan ↔ reports cycle.
  'plan/index.ts': "import { render } from '../reports/index.js';\nexport const plan = () => render;\n",
  'reports/index.ts': "import { plan } from '../plan/index.js';\nexport const render = () => plan;\n",
  // Breach 2: a dynamic import() of run/ from reports/.
  'reports/lazy.ts': "export const later = () => import('../run/index.js');\n",
  // Breach 3: a side-effect import of run/ from scenarios/.
  'scenarios/boot.ts': "import '../run/index.js';\nexport const booted = true;\n",
  // Breach 4: a deep import past chaos/index.ts.
  'plan/cross-checks.ts': "import { TOXICS } from '../chaos/toxics/attributes.js';\nexport const all = TOXICS;\n",
  // Breach 5: a test file importing a room it may not.
  'chaos/proxy.test.ts': "import { gameDay } from '../run/index.js';\nexport const g = gameDay;\n",
  // Breach 6: a test file deep into another room.
  'dashboards/build.test.ts': "import { sketch } from '../collectors/store/sketch.js';\nexport const s = sketch;\n",
  // Breach 7: reports/ importing a collectors value.
  'reports/metrics.ts': "import { CATALOGUE } from '../collectors/index.js';\nexport const names = CATALOGUE;\n",
  'dashboards/promql.ts': "import { CATALOGUE } from '../collectors/index.js';\nexport const q = CATALOGUE;\n",
  // Breach 8: core/ importing a room, demo/ importing codeblue.
  'core/bad.ts': "import { plan } from '../plan/index.js';\nexport const p = plan;\n",
  'demo/app.ts': "import { leaf } from '../core/index.js';\nexport const app = leaf;\n",
  // Breach 9: source importing bench/.
  'collectors/uses-bench.ts': "import { bench } from '../bench/load.js';\nexport const b = bench;\n",
  'bench/load.ts': "import { sketch } from '../collectors/store/sketch.js';\nexport const bench = sketch;\n",
};

describe('import boundaries bite on deliberate breaches', () => {
  let dir = '';
  let found: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'codeblue-boundaries-'));
    for (const [file, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    found = errorsOf(await cruise(dir, TREE.filter((room) => Object.keys(FIXTURE).some((f) => f.startsWith(`${room}/`)))));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a plan ↔ reports cycle', 'no-circular: plan/index.ts → reports/index.ts'],
    ['reports importing plan (back-edge)', 'room-order-reports: reports/index.ts → plan/index.ts'],
    ['a dynamic import() of run/ from reports/', 'room-order-reports: reports/lazy.ts → run/index.ts'],
    ['a dynamic import() across rooms', 'no-dynamic-import-across-rooms: reports/lazy.ts → run/index.ts'],
    ['a side-effect import of run/ from scenarios/', 'room-order-scenarios: scenarios/boot.ts → run/index.ts'],
    ['a deep import past chaos/index.ts', 'no-deep-import: plan/cross-checks.ts → chaos/toxics/attributes.ts'],
    ['a test file importing a room it may not', 'room-order-chaos: chaos/proxy.test.ts → run/index.ts'],
    ['a test file deep into another room', 'no-deep-import-from-tests: dashboards/build.test.ts → collectors/store/sketch.ts'],
    ['reports/ importing a collectors value', 'collectors-types-only-downstream: reports/metrics.ts → collectors/index.ts'],
    ['dashboards/ importing a collectors value', 'collectors-types-only-downstream: dashboards/promql.ts → collectors/index.ts'],
    ['core/ importing a room', 'room-order-core: core/bad.ts → plan/index.ts'],
    ['demo/ importing codeblue', 'room-order-demo: demo/app.ts → core/index.ts'],
    ['source importing bench/', 'nothing-imports-bench: collectors/uses-bench.ts → bench/load.ts'],
  ])('reports %s', (_name, violation) => {
    expect(found).toContain(violation);
  });

  it('lets a type-only import of collectors and a test of its own internals pass', () => {
    expect(found.filter((v) => v.includes('reports/types.ts') || v.includes('attributes.test.ts'))).toEqual([]);
  });
});
