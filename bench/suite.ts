/**
 * Child-process entry for one suite (run.ts starts it):
 *
 *   node --expose-gc out/bench/suite.js <spec|auth|send|stream|ui> <config.json> <rows.json> [input key]
 *
 * One process per suite (and per spec input) so each starts from a clean heap, `gc()` is available between
 * samples, and the process's peak RSS belongs to that one measurement. Rows go to <rows.json>; a crash
 * exits non-zero with the error on stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import { describeError } from '../src/core/errors';
import type { Row, SuiteConfig } from './lib/types';
import { authSuite } from './suites/auth';
import { sendSuite, streamSuite } from './suites/send';
import { specSuite } from './suites/spec';
import { uiSuite } from './suites/ui';

async function main(argv: string[]): Promise<void> {
  const [name, configPath, outPath, inputKey] = argv;
  if (!name || !configPath || !outPath) throw new Error('usage: suite.js <suite> <config.json> <rows.json> [input key]');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as SuiteConfig;
  let rows: Row[];
  switch (name) {
    case 'spec': {
      const input = config.inputs.find((i) => i.key === inputKey);
      if (!input) throw new Error(`no spec input "${String(inputKey)}"`);
      rows = await specSuite(config, input);
      break;
    }
    case 'auth':
      rows = await authSuite(config);
      break;
    case 'send':
      rows = await sendSuite(config);
      break;
    case 'stream':
      rows = await streamSuite(config);
      break;
    case 'ui':
      rows = await uiSuite(config);
      break;
    default:
      throw new Error(`unknown suite "${name}"`);
  }
  writeFileSync(outPath, JSON.stringify(rows, null, 2));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Servers and agents are closed; exit anyway so a stray handle cannot hold the run.
    () => process.exit(0),
    (e: unknown) => {
      console.error(`[bench] ${describeError(e)}${e instanceof Error && e.stack ? `\n${e.stack}` : ''}`);
      process.exit(1);
    },
  );
}
