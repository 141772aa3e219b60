/**
 * @module boundaries: dependency-cruiser rules for the room contracts of design.md.
 * `npm run boundaries` runs them; test/import-boundaries.test.ts runs them on the tree and on deliberate breaches.
 *
 * - no cycles anywhere (source, tests, bench, bin);
 * - the room order: each room imports only the rooms listed in ALLOWED (core imports none, demo imports none);
 * - reports/ and dashboards/ import collectors/ for types only (the metric catalogue they share is core's);
 * - no dynamic import() across rooms (bin/ → cli/ is the one lazy entry);
 * - no deep imports: another room is reached through its index.ts (or the schema.ts plan composes); core/ is a kit
 *   of top-level modules, so `core/x.ts` and `core/<dir>/index.ts` are public;
 * - test files belong to their folder's room and may import its internals, other rooms' `testing/` helpers and
 *   test/support; no source file imports a test file, test/ or bench/. bench/ measures parts directly, so it may
 *   import internals, but nothing imports bench/.
 * Side-effect imports (`import '../run/x.js'`) are plain imports to the cruiser, so the room order covers them.
 */
'use strict';

/** Which rooms each room may import (its own room is always allowed). */
const ALLOWED = {
  core: [],
  plan: ['core', 'scenarios', 'chaos', 'collectors', 'reports'],
  scenarios: ['core'],
  chaos: ['core'],
  collectors: ['core'],
  reports: ['core', 'collectors'],
  dashboards: ['core', 'plan', 'collectors'],
  run: ['core', 'plan', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards'],
  cli: ['core', 'plan', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards', 'run'],
  demo: [],
  bin: ['cli'],
  bench: ['core', 'plan', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards', 'run', 'demo', 'test'],
  test: ['core', 'plan', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards', 'run', 'cli', 'demo'],
};
const ROOMS = Object.keys(ALLOWED);
const TEST_FILE = '(\\.test\\.ts$|/testing/|/fixtures/|^test/)';
/** A room's public entries: its index.ts, and the zod schema slice plan/ composes. */
const PUBLIC_ENTRY = `^(${ROOMS.join('|')})/(index|schema)\\.ts$|^reports/slo/schema\\.ts$|^core/[^/]+\\.ts$|^core/[^/]+/index\\.ts$`;

const roomOrder = ROOMS.map((room) => ({
  name: `room-order-${room}`,
  severity: 'error',
  comment: `${room}/ may import only ${ALLOWED[room].join(', ') || 'no other room'} (design.md data flow)`,
  from: { path: `^${room}/` },
  // test/support/ is shared test code; no-test-code-in-source keeps source files out of it.
  to: { path: `^(${ROOMS.filter((r) => r !== room && !ALLOWED[room].includes(r)).join('|')})/`, pathNot: '^test/support/' },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle ties rooms (or files) together so that neither can change alone',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      severity: 'warn',
      comment: 'a cycle closed only by `import type` is erased at run time, but still couples the files: move the type',
      from: {},
      to: { circular: true, via: { dependencyTypes: ['type-only'] } },
    },
    ...roomOrder.filter((rule) => !rule.to.path.includes('()')),
    {
      name: 'collectors-types-only-downstream',
      severity: 'error',
      comment: 'reports/ and dashboards/ read collectors/ types only (design.md); they never measure. Their tests may run collectors for real.',
      from: { path: '^(reports|dashboards)/', pathNot: TEST_FILE },
      to: { path: '^collectors/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-dynamic-import-across-rooms',
      severity: 'error',
      comment: 'a lazy import() hides an edge from readers; only bin/ loads cli/ lazily',
      from: { path: '^([a-z]+)/', pathNot: '^bin/' },
      to: { dependencyTypes: ['dynamic-import'], path: '^[a-z]+/', pathNot: '^$1/' },
    },
    {
      name: 'no-deep-import',
      severity: 'error',
      comment: "another room is reached through its index.ts (or the schema.ts plan composes), never past it",
      from: { path: '^([a-z]+)/', pathNot: `^(bench|bin)/|${TEST_FILE}` },
      to: { path: `^(${ROOMS.join('|')})/`, pathNot: `^$1/|${PUBLIC_ENTRY}` },
    },
    {
      name: 'bin-loads-cli-main',
      severity: 'error',
      comment: 'bin/ only starts a CLI entry (main.ts, or serve-main.ts for `chaos serve`: tsx fallbacks of the bundles) and its own helpers',
      from: { path: '^bin/' },
      to: { path: '^[a-z]+/', pathNot: '^cli/(main|serve-main)\\.ts$|^bin/' },
    },
    {
      name: 'no-deep-import-from-tests',
      severity: 'error',
      comment: "a test imports its own room's internals, other rooms through index.ts, their testing/ helpers or test/support",
      from: { path: '^([a-z]+)/[^ ]*(\\.test\\.ts$|testing/|fixtures/)', pathNot: '^(bench|test)/' },
      to: { path: `^(${ROOMS.join('|')})/`, pathNot: `^$1/|${PUBLIC_ENTRY}|/testing/|/fixtures/|^test/support/` },
    },
    {
      name: 'no-deep-import-from-e2e',
      severity: 'error',
      comment: "test/ reaches rooms through index.ts or their testing/ helpers",
      from: { path: '^test/' },
      to: { path: `^(${ROOMS.join('|')})/`, pathNot: `^test/|${PUBLIC_ENTRY}|/testing/|/fixtures/` },
    },
    {
      name: 'no-test-code-in-source',
      severity: 'error',
      comment: 'source never imports tests, test helpers of another room, test/ or bench/',
      from: { path: '^[a-z]+/', pathNot: `^bench/|${TEST_FILE}` },
      to: { path: '(\\.test\\.ts$|^test/|^bench/)' },
    },
    {
      name: 'nothing-imports-bench',
      severity: 'error',
      from: { path: '^[a-z]+/', pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^runs/|/fixtures/k6/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
