/**
 * `npm run test:electron`: the in-host suite under @vscode/test-electron, for desktop machines that can
 * download VS Code from Microsoft (and have a display, or xvfb-run on Linux). Our CI machines cannot, so
 * `npm test` uses code-server instead (test/harness/runInHost.ts); here we fail fast with a clear message.
 *
 *   node out/test/harness/electron.js [version…]      default: 1.100.3 (engines minimum) and stable
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { runTests } from '@vscode/test-electron';

import { TelenorError, describeError } from '../../src/core/errors';
import { hostEnv } from './hostEnv';
import { newRunDir, repoRoot, shortTempDir } from './paths';
import { exitOnSignals } from './proc';

const DOWNLOAD_HOST = 'https://update.code.visualstudio.com';

/** @vscode/test-electron's own failure offline is a long stack trace after retries; say it plainly first. */
async function assertCanDownload(): Promise<void> {
  try {
    const r = await fetch(`${DOWNLOAD_HOST}/api/releases/stable`, { signal: AbortSignal.timeout(10_000) });
    await r.arrayBuffer();
    if (r.ok) return;
    throw new Error(`HTTP ${r.status}`);
  } catch (e) {
    // fetch reports "fetch failed"; the reason (ENOTFOUND, ECONNREFUSED…) is on its cause.
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw new TelenorError('network', `Cannot reach ${DOWNLOAD_HOST} to download VS Code (${describeError(e)}${cause}).`, {
      hint: 'test:electron needs internet and a display (xvfb-run on Linux). Offline, run the same suite in code-server: npm test (or node out/test/harness/runInHost.js).',
      cause: e,
    });
  }
}

async function main(versions: string[]): Promise<number> {
  const root = repoRoot();
  await assertCanDownload();
  for (const version of versions) {
    const runDir = newRunDir(root, `electron-${version}`);
    const scratch = shortTempDir('tae-el');
    const workspace = join(scratch, 'ws');
    mkdirSync(workspace, { recursive: true });
    mkdirSync(join(scratch, 'tests'), { recursive: true });
    try {
      console.log(`[electron] VS Code ${version}; logs in ${runDir}`);
      const code = await runTests({
        version,
        extensionDevelopmentPath: root,
        extensionTestsPath: join(root, 'out', 'test', 'vscode', 'index.js'),
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(scratch, 'ud'), '--logsPath', join(runDir, 'logs')],
        extensionTestsEnv: hostEnv({ root, scratch: join(scratch, 'tests'), results: runDir, workspace, host: 'desktop', grep: process.env['TAE_TEST_GREP'] }),
      });
      if (code !== 0) return code;
    } catch (e) {
      console.error(`[electron] VS Code ${version}: ${describeError(e)} (logs: ${runDir})`);
      return 1;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return 0;
}

exitOnSignals();
const requested = process.argv.slice(2);
main(requested.length > 0 ? requested : ['1.100.3', 'stable']).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`[electron] ${describeError(e)}`);
    process.exit(1);
  },
);
