/**
 * Installs (or adopts) the code-servers the tests use, e.g. to warm a CI cache before the test run.
 *
 *   node out/test/harness/prefetch.js [1.100] [1.139]      default: every line in CODE_SERVERS
 */
import { describeError } from '../../src/core/errors';
import { CODE_SERVERS, codeServerFor, ensureCodeServer } from './install';
import { exitOnSignals } from './proc';

async function main(argv: string[]): Promise<void> {
  for (const line of argv.length > 0 ? argv : Object.keys(CODE_SERVERS)) {
    const install = await ensureCodeServer(codeServerFor(line));
    console.log(`code-server ${install.version} (VS Code ${install.vscodeVersion}, Node ${install.nodeVersion}) ready in ${install.dir}`);
  }
}

exitOnSignals();
main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`[install] ${describeError(e)}`);
  process.exit(1);
});
