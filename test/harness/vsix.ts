/**
 * The packaged extension, built exactly as `npm run package` builds it for users (production bundles,
 * .vscodeignore allowlist), so UI tests and `npm start` exercise what ships.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { TelenorError } from '../../src/core/errors';
import { run } from './proc';

export const VSIX_PATH = join('dist-pkg', 'telenor-api-explorer.vsix');

/** Runs `npm run package` in `root` (output to the terminal) and returns the absolute .vsix path. */
export async function packageVsix(root: string): Promise<string> {
  const vsix = join(root, VSIX_PATH);
  const before = existsSync(vsix) ? statSync(vsix).mtimeMs : 0;
  const r = await run('npm', ['run', '--silent', 'package'], { cwd: root, inherit: true });
  if (r.code !== 0) {
    throw new TelenorError('internal', `npm run package failed (exit ${r.code ?? r.signal}).`, { hint: 'Its output is above; fix the build or the manifest and run again.' });
  }
  if (!existsSync(vsix) || statSync(vsix).mtimeMs === before) {
    throw new TelenorError('internal', `npm run package did not write ${vsix}.`, { hint: 'Check the `package` script in package.json (its --out path).' });
  }
  return vsix;
}
