/**
 * Runs the UI tests (out/test/ui/**\/*.ui.js, mocha BDD in plain Node) against code-server in Chromium.
 *
 *   node out/test/harness/runUi.js [--vsix <file> | --dev] [--vscode 1.100|1.139] [--grep <pattern>]
 *
 * Default: the packaged extension `dist-pkg/telenor-api-explorer.vsix` (build it with `npm run package`),
 * installed with `code-server --install-extension` as a user would. `--dev` loads the repo unpackaged.
 * Screenshots: test-results/screenshots/; logs: test-results/runs/ui-*.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import Mocha from 'mocha';

import { describeError } from '../../src/core/errors';
import { codeServerFor, ensureCodeServer } from './install';
import { repoRoot, resultsRoot } from './paths';
import { exitOnSignals } from './proc';
import { VSIX_PATH } from './vsix';

function uiFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...uiFiles(p));
    else if (entry.name.endsWith('.ui.js')) found.push(p);
  }
  return found.sort();
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      vsix: { type: 'string' },
      dev: { type: 'boolean', default: false },
      vscode: { type: 'string', default: process.env['TAE_UI_VSCODE'] ?? '1.100' },
      grep: { type: 'string' },
    },
    strict: true,
  });
  const root = repoRoot();
  const files = uiFiles(join(root, 'out', 'test', 'ui'));
  if (files.length === 0) {
    console.error('[ui] no out/test/ui/**/*.ui.js: build first (node esbuild.mjs)');
    return 2;
  }
  if (values.dev) {
    delete process.env['TAE_UI_VSIX'];
  } else {
    const vsix = resolve(root, values.vsix ?? VSIX_PATH);
    if (!existsSync(vsix)) {
      console.error(`[ui] no .vsix at ${vsix}: run \`npm run package\` first, or pass --dev to load the repo unpackaged`);
      return 2;
    }
    process.env['TAE_UI_VSIX'] = vsix;
  }
  process.env['TAE_UI_VSCODE'] = values.vscode;
  // Install before mocha starts, so a first-time install (minutes) does not count against a hook's timeout.
  await ensureCodeServer(codeServerFor(values.vscode));

  const mocha = new Mocha({ ui: 'bdd', timeout: 180_000, reporter: 'spec' });
  if (values.grep) mocha.grep(values.grep);
  for (const f of files) mocha.addFile(f);
  const failures = await new Promise<number>((r) => mocha.run(r));
  const results = resultsRoot(root);
  console.log(`[ui] screenshots: ${join(results, 'screenshots')}; logs: ${join(results, 'runs')}/ui-*`);
  return failures > 0 ? 1 : 0;
}

exitOnSignals();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`[ui] ${describeError(e)}`);
    process.exit(2);
  },
);
