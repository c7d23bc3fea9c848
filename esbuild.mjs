// Builds every bundle with esbuild; `tsc --noEmit` (npm run typecheck) owns the types.
//
//   node esbuild.mjs                 all bundles (dev: sourcemaps, no minify)
//   node esbuild.mjs --production    shipped bundles only, minified, no sourcemaps (used by `npm run package`)
//   node esbuild.mjs --watch         rebuild on change
//   node esbuild.mjs --only=sandbox  just the sandbox CLI (fast path for `npm run sandbox`)
//
// Layout: `dist/` is what ships in the .vsix; `out/` holds tests, benchmarks and dev scripts.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const only = [...args].find((a) => a.startsWith('--only='))?.slice('--only='.length);

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  // `vscode` is provided by the extension host. Worker and chunk files are loaded by path at run time.
  external: ['vscode'],
  metafile: true,
};

/**
 * The shipped bundles. The extension entry stays small: everything heavy (undici, swagger-parser,
 * js-yaml, httpsnippet, openapi-sampler, the sandbox) lives in a separate file that is `require`d by path
 * the first time it is needed (see src/extension/lazy.ts), or runs in a worker thread.
 */
const shipped = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { engine: 'src/core/engine.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { specWorker: 'src/core/spec/worker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { sandbox: 'src/sandbox/index.ts' }, outdir: 'dist' },
  {
    ...node,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    external: [],
    entryPoints: { panel: 'src/webview/main.ts' },
    outdir: 'dist/webview',
  },
];

const sandboxCli = { ...node, entryPoints: { 'sandbox-cli': 'src/sandbox/cli.ts' }, outdir: 'dist' };

/** Every .ts under `dir` (recursively), skipping fixture folders (they hold sample code, not tests). */
function tsFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'results') found.push(...tsFiles(p));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      found.push(p);
    }
  }
  return found;
}

/** Tests, benchmarks and dev scripts: one bundle per file, node_modules left external. */
function devBundles() {
  const entries = {};
  for (const dir of ['test', 'bench', 'scripts']) {
    if (!existsSync(dir)) continue;
    for (const f of tsFiles(dir)) entries[relative('.', f).replace(/\.ts$/, '')] = f;
  }
  return [{ ...node, minify: false, sourcemap: 'linked', packages: 'external', entryPoints: entries, outdir: 'out' }];
}

function copyStatic() {
  // The sandbox's OpenAPI specs ship with the extension (built-in tree entries) and the sandbox serves them.
  rmSync('dist/specs', { recursive: true, force: true });
  mkdirSync('dist/specs', { recursive: true });
  cpSync('src/sandbox/specs', 'dist/specs', { recursive: true });
}

async function run() {
  const configs = only === 'sandbox' ? [sandboxCli] : production ? [...shipped, sandboxCli] : [...shipped, sandboxCli, ...devBundles()];
  if (watch) {
    const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
    copyStatic();
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  const results = await Promise.all(configs.map((c) => esbuild.build(c)));
  copyStatic();
  // The extension bundle's metafile feeds the size budget checks (test/unit/bundle.test.ts, bench).
  if (configs[0] === shipped[0]) {
    mkdirSync('out', { recursive: true });
    writeFileSync('out/meta-extension.json', JSON.stringify(results[0]?.metafile ?? {}));
  }
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
