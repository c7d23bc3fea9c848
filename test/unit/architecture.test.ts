// Guards the layering described in docs/architecture.md: core and sandbox stay pure Node, and the
// extension's activation bundle does not pull in the heavy libraries that belong in lazily loaded files.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|js|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Matches `import … from 'vscode'`, `import 'vscode'`, `require('vscode')` and `import('vscode')`. */
const VSCODE_IMPORT = /(?:from\s+|import\s*\(?\s*|require\s*\(\s*)['"]vscode['"]/;

describe('architecture', () => {
  for (const layer of ['src/core', 'src/sandbox']) {
    it(`${layer} never imports vscode`, () => {
      const offenders = sourceFiles(join(root, layer))
        .filter((f) => VSCODE_IMPORT.test(readFileSync(f, 'utf8')))
        .map((f) => relative(root, f));
      assert.deepEqual(offenders, [], `these files import vscode: ${offenders.join(', ')}`);
    });
  }

  it('the import check itself recognises every import form', () => {
    for (const line of [
      "import * as vscode from 'vscode';",
      'import type { Uri } from "vscode";',
      "const v = require('vscode');",
      "await import('vscode')",
    ]) {
      assert.ok(VSCODE_IMPORT.test(line), line);
    }
    assert.ok(!VSCODE_IMPORT.test("import { x } from './vscode-helpers';"));
  });

  describe('activation bundle (dist/extension.js)', () => {
    const metaPath = join(root, 'out', 'meta-extension.json');
    const heavy = ['node_modules/undici/', 'node_modules/@apidevtools/', 'node_modules/js-yaml/', 'node_modules/@readme/httpsnippet/', 'node_modules/openapi-sampler/'];

    it('does not bundle heavy libraries (they load lazily or in the worker)', () => {
      assert.ok(existsSync(metaPath), 'out/meta-extension.json is missing: run `node esbuild.mjs` first');
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { inputs?: Record<string, unknown> };
      const inputs = Object.keys(meta.inputs ?? {});
      assert.ok(inputs.some((i) => i.startsWith('src/extension')), 'metafile describes the extension bundle');
      const found = inputs.filter((i) => heavy.some((h) => i.includes(h)));
      assert.deepEqual(found, []);
    });

    it('stays within the 400 KB budget', () => {
      const bundle = join(root, 'dist', 'extension.js');
      assert.ok(existsSync(bundle), 'dist/extension.js is missing: run `node esbuild.mjs` first');
      const size = statSync(bundle).size;
      assert.ok(size <= 400 * 1024, `dist/extension.js is ${(size / 1024).toFixed(0)} KB`);
    });
  });
});
