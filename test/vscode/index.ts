/**
 * Entry of the in-host suite (extensionTestsPath → out/test/vscode/index.js). VS Code calls `run()` inside
 * the extension host; a rejection makes the workbench report exit code 1, a resolution 0.
 *
 * Tests are mocha **BDD** (`describe` / `it`, like test/unit) in `test/vscode/**\/*.test.ts`. They may read
 * (set by the runners through test/harness/hostEnv.ts):
 *   TAE_REPO_ROOT      the repository (the extension under test is loaded from here)
 *   TAE_SCRATCH_DIR    a writable folder, removed after the run
 *   TAE_RESULTS_DIR    this run's folder under test-results/ (kept: put artefacts worth a look here)
 *   TAE_WORKSPACE      the opened workspace folder (a copy of test/fixtures/workspace/ when it exists)
 *   TAE_EXPECT_HOST    `remote-web` (code-server) or `desktop` (@vscode/test-electron)
 *   TAE_TEST_GREP      only tests whose full title matches run
 * A sandbox is not started for you: `startSandbox({ port: 0 })` from src/sandbox/index.ts in a `before`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(p));
    else if (entry.name.endsWith('.test.js')) found.push(p);
  }
  return found.sort();
}

export function run(): Promise<void> {
  // Colours would arrive as escape codes through the workbench's log bridge.
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env['TAE_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const files = testFiles(__dirname);
  if (files.length === 0) {
    return Promise.reject(new Error(`No *.test.js under ${__dirname}: was the suite built (node esbuild.mjs)?`));
  }
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      const total = (s?.passes ?? 0) + (s?.failures ?? 0) + (s?.pending ?? 0);
      // One plain line the outer runner and a person can both read.
      console.log(`in-host summary: ${s?.passes ?? 0} passed, ${s?.failures ?? 0} failed, ${s?.pending ?? 0} pending (${total} tests, ${files.length} files)`);
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else if (total === 0) reject(new Error(grep ? `No in-host test title matches TAE_TEST_GREP="${grep}"` : 'No in-host tests ran'));
      else resolve();
    });
  });
}
