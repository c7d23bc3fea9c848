/**
 * `npm run test:fuzz`: the long run of the bad-specs fuzz (test/unit/reliability-fuzz.test.ts), 10,000
 * cases unless TAE_FUZZ_RUNS says otherwise, going on past a failing case so one run lists every kind of
 * failure (TAE_FUZZ_KEEP_GOING=0 stops at the first). TAE_FUZZ_SEED / TAE_FUZZ_PATH replay a run.
 */
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { exitOnSignals, run } from '../harness/proc';

async function main(): Promise<number> {
  const root = repoRoot();
  const env = { ...process.env, TAE_FUZZ_RUNS: process.env['TAE_FUZZ_RUNS'] ?? '10000', TAE_FUZZ_KEEP_GOING: process.env['TAE_FUZZ_KEEP_GOING'] ?? '1' };
  const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const spec = join(root, 'out', 'test', 'unit', 'reliability-fuzz.test.js');
  const r = await run(process.execPath, [mocha, '--no-config', '--ui', 'bdd', '--timeout', '0', spec], { cwd: root, env, inherit: true });
  return r.code ?? 1;
}

exitOnSignals();
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
