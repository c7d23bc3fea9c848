/**
 * `npm test` (after `node esbuild.mjs && npm run typecheck`): every test stage in order, stopping at the
 * first failure, then a table of what ran.
 *
 *   unit        mocha with .mocharc.json in plain Node (test/unit, the sandbox over real HTTP)
 *   bench-quick `bench/run.ts --quick`: small benchmarks whose ratios are printed, never judged (only a
 *               crashed benchmark fails it); figures in bench/results/latest.json
 *   host-1.100  the in-host suite (test/vscode) in code-server 4.100.3 = VS Code 1.100.3 on Node 20
 *   host-1.139  the same in code-server 4.139.1 = VS Code 1.139.1 on Node 24
 *   ui          `npm run package`, then the UI tests (test/ui) in Chromium with the .vsix installed
 *
 * A subset for local work: TAE_STAGES=unit,host-1.100 npm test. Missing code-servers are installed into
 * $TAE_TOOLS_DIR or ~/.cache/telenor-api-explorer (a few minutes, once).
 */
import { join } from 'node:path';

import { TelenorError, describeError } from '../src/core/errors';
import { repoRoot } from '../test/harness/paths';
import { exitOnSignals, run } from '../test/harness/proc';
import { packageVsix } from '../test/harness/vsix';

interface Stage {
  name: string;
  what: string;
  /** Resolves to the stage's exit code. */
  run(root: string): Promise<number>;
}

/** Runs a node script with the terminal passed through, so its output streams as it happens. */
async function node(root: string, script: string, args: string[] = []): Promise<number> {
  const r = await run(process.execPath, [join(root, script), ...args], { cwd: root, inherit: true });
  return r.code ?? 1;
}

const STAGES: readonly Stage[] = [
  { name: 'unit', what: 'unit tests (plain Node)', run: (root) => node(root, 'node_modules/mocha/bin/mocha.js', ['--config', '.mocharc.json']) },
  { name: 'bench-quick', what: 'quick benchmarks (ratios printed, not judged)', run: (root) => node(root, 'out/bench/run.js', ['--quick']) },
  { name: 'host-1.100', what: 'in-host suite, VS Code 1.100 / Node 20', run: (root) => node(root, 'out/test/harness/runInHost.js', ['--vscode', '1.100']) },
  { name: 'host-1.139', what: 'in-host suite, VS Code 1.139 / Node 24', run: (root) => node(root, 'out/test/harness/runInHost.js', ['--vscode', '1.139']) },
  {
    name: 'ui',
    what: 'package .vsix + UI tests in Chromium',
    run: async (root) => {
      const vsix = await packageVsix(root);
      return node(root, 'out/test/harness/runUi.js', ['--vsix', vsix, '--vscode', process.env['TAE_UI_VSCODE'] ?? '1.100']);
    },
  },
];

type Outcome = 'pass' | 'FAIL' | 'not run' | 'skipped';

function selectStages(env: NodeJS.ProcessEnv): Set<string> {
  const raw = env['TAE_STAGES']?.trim();
  if (!raw) return new Set(STAGES.map((s) => s.name));
  const wanted = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !STAGES.some((s) => s.name === w));
  if (unknown.length > 0) {
    throw new TelenorError('internal', `TAE_STAGES names unknown stage(s) ${unknown.join(', ')}.`, {
      hint: `Use a comma-separated subset of ${STAGES.map((s) => s.name).join(', ')}.`,
    });
  }
  return new Set(wanted);
}

function table(rows: { name: string; what: string; outcome: Outcome; seconds?: number }[]): string {
  const header = ['stage', 'result', 'seconds', 'what'];
  const body = rows.map((r) => [r.name, r.outcome, r.seconds === undefined ? '' : r.seconds.toFixed(1), r.what]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const root = repoRoot();
  const selected = selectStages(process.env);
  const rows: { name: string; what: string; outcome: Outcome; seconds?: number }[] = [];
  let failed: string | undefined;
  const t0 = Date.now();
  for (const stage of STAGES) {
    if (!selected.has(stage.name)) {
      rows.push({ name: stage.name, what: stage.what, outcome: 'skipped' });
      continue;
    }
    if (failed) {
      rows.push({ name: stage.name, what: stage.what, outcome: 'not run' });
      continue;
    }
    console.log(`\n=== ${stage.name}: ${stage.what}`);
    const started = Date.now();
    let code: number;
    try {
      code = await stage.run(root);
    } catch (e) {
      console.error(`[test] ${stage.name}: ${describeError(e)}`);
      code = 1;
    }
    const seconds = (Date.now() - started) / 1000;
    rows.push({ name: stage.name, what: stage.what, outcome: code === 0 ? 'pass' : 'FAIL', seconds });
    if (code !== 0) failed = `${stage.name} (exit ${code})`;
  }
  console.log(`\n${table(rows)}\n`);
  const total = ((Date.now() - t0) / 1000).toFixed(1);
  if (failed) {
    console.log(`npm test FAILED at ${failed} after ${total} s. Logs and screenshots: ${join(root, 'test-results')}`);
    return 1;
  }
  console.log(`npm test passed in ${total} s${selected.size < STAGES.length ? ` (TAE_STAGES=${[...selected].join(',')})` : ''}.`);
  return 0;
}

exitOnSignals();
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`[test] ${describeError(e)}`);
    process.exit(1);
  },
);
