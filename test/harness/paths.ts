/**
 * Where the harness keeps things. Every function takes what it depends on (env, a start folder) so nothing
 * here reads global state at import time.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { TelenorError } from '../../src/core/errors';

const PACKAGE_NAME = 'telenor-api-explorer';

/**
 * The repository root: the nearest folder above `from` whose package.json is ours. Bundles live in
 * `out/test/harness/` or `out/scripts/`, so walking up works from the sources and from the bundles alike.
 */
export function repoRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (parsed.name === PACKAGE_NAME) return dir;
      } catch {
        // Not ours or not readable: keep walking up.
      }
    }
    if (dirname(dir) === dir) {
      throw new TelenorError('internal', `No ${PACKAGE_NAME} package.json above ${from}.`, {
        hint: 'Run the harness from inside the repository (node out/…), after `node esbuild.mjs`.',
      });
    }
  }
}

/**
 * The tools cache: outside the repo so `npm ci`, `git clean` and the .vsix never see 1 GB of code-server.
 */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['TAE_TOOLS_DIR'];
  return configured ? resolve(configured) : join(homedir(), '.cache', PACKAGE_NAME);
}

/** `test-results/` (gitignored): logs and screenshots that outlive a run. */
export function resultsRoot(root: string): string {
  return join(root, 'test-results');
}

/** A fresh per-run folder such as `test-results/runs/host-1.100-20261122T155100-4711/`. */
export function newRunDir(root: string, label: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '-');
  const dir = join(resultsRoot(root), 'runs', `${safe}-${stamp}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A short private temp folder. VS Code puts its IPC sockets in TMPDIR / XDG_RUNTIME_DIR and a unix socket
 * path must stay under 108 bytes, so this must not be nested inside a (possibly deep) checkout.
 */
export function shortTempDir(prefix: string): string {
  const base = existsSync('/tmp') ? '/tmp' : tmpdir();
  return mkdtempSync(join(base, `${prefix}-`));
}

/** `screenshots/` under test-results, where UI steps and failures are saved. */
export function screenshotsDir(root: string): string {
  const dir = join(resultsRoot(root), 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
