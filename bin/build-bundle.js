// `node bin/build-bundle.js <entry>` bundles cli/<entry>.ts ('main' or 'serve-main') into
// node_modules/.cache/codeblue/<entry>.mjs (see lean-bundle.js). Packages stay
// external (resolved from node_modules at run time). Codeblue's own modules are marked free of side effects, so
// the room barrels (index.ts) keep only what the entry uses, and keep their own `import.meta.url` (files they
// read, such as package.json, are found where they are in the source tree). Written to temp names, then renamed:
// concurrent starts never read a half-written bundle.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = `${ROOT}node_modules/.cache/codeblue/`;
// esbuild comes with tsx (a dependency); resolved from tsx so it is the copy tsx itself runs.
const requireFromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
const esbuild = requireFromTsx('esbuild');

const ownModules = {
  name: 'own-modules-side-effect-free',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return { path, sideEffects: false };
    });
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

const ENTRIES = new Set(['main', 'serve-main']);
const entry = process.argv[2] ?? '';
if (!ENTRIES.has(entry)) {
  process.stderr.write(`build-bundle: the entry must be one of ${[...ENTRIES].join(', ')}, but is "${entry}"\n`);
  process.exit(2);
}

mkdirSync(CACHE, { recursive: true });
const out = `${CACHE}${entry}.mjs`;
const result = await esbuild.build({
  entryPoints: [`${ROOT}cli/${entry}.ts`],
  outfile: out,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  metafile: true,
  // Read only when source maps are on (`--debug`): stack traces then name the .ts files and lines.
  sourcemap: 'linked',
  logLevel: 'error',
  plugins: [ownModules],
});
await esbuild.stop();
// The builder itself is an input: a change in how the bundle is made rebuilds it too.
const inputs = ['bin/build-bundle.js', ...Object.keys(result.metafile.inputs).map((p) => relative(ROOT, resolve(process.cwd(), p)))];
writeFileSync(`${CACHE}${entry}.inputs.json`, JSON.stringify(inputs));
// Each file written to a name of this process's own, then renamed (the map first, the bundle that links it last).
for (const file of [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))) {
  const tmp = `${file.path}.${process.pid}`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
