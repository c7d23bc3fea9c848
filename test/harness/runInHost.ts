/**
 * Runs the in-host mocha suite (out/test/vscode/index.js → `run()`) inside the Node extension host of a real
 * VS Code (code-server), with the extension loaded unpackaged from the repo root.
 *
 *   node out/test/harness/runInHost.js [--vscode 1.100|1.139] [--grep <pattern>] [--timeout <seconds>] [--tests <dir>]
 *
 * `--tests` names another built folder whose index.js exports `run()` (default out/test/vscode); the
 * in-host benchmark (out/bench/host) uses it.
 *
 * Exit code: the suite's (0 pass, 1 fail), 124 on timeout, 2 when the harness itself failed. When the
 * workbench settles it calls `window.codeAutomationExit(code)`; the extension host's console (the mocha
 * reporter) arrives through `window.codeAutomationLog`. Both are exposed to the page before it loads.
 *
 * The extension host gets the variables of ./hostEnv.ts (repo root, scratch and results folders…).
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';

import { TelenorError, describeError } from '../../src/core/errors';
import type { Profile } from './codeServer';
import { hostEnv } from './hostEnv';
import { codeServerFor, type CodeServerInstall } from './install';
import { repoRoot } from './paths';
import { exitOnSignals } from './proc';
import { openSession, type Session } from './session';

const TIMEOUT_EXIT_CODE = 124;
const HARNESS_FAILED = 2;

/**
 * Marketplace lookups fail offline and the extension host chatters about sockets; such lines go to the log
 * file only (TAE_VERBOSE=1 prints them too).
 */
const NOISE = /ENOTFOUND|open-vsx\.org|marketplace|^Resolv|^Creating a socket|^\[Extension Host\] /;

interface Args {
  vscode: string;
  grep: string | undefined;
  timeoutSeconds: number;
  /** Absolute folder of the suite's index.js. */
  testsDir: string | undefined;
}

function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      vscode: { type: 'string', default: '1.100' },
      grep: { type: 'string' },
      timeout: { type: 'string', default: '600' },
      tests: { type: 'string' },
    },
    strict: true,
  });
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new TelenorError('internal', `--timeout must be a number of seconds, not "${values.timeout}".`, { hint: 'For example --timeout 600.' });
  }
  const testsDir = values.tests === undefined ? undefined : resolve(values.tests);
  return { vscode: values.vscode, grep: values.grep ?? process.env['TAE_TEST_GREP'], timeoutSeconds, testsDir };
}

async function runInHost(args: Args): Promise<number> {
  const root = repoRoot();
  const testsDir = args.testsDir ?? join(root, 'out', 'test', 'vscode');
  const testsIndex = join(testsDir, 'index.js');
  if (!existsSync(testsIndex)) {
    console.error(`[host] ${testsIndex} is missing. Build first: node esbuild.mjs`);
    return HARNESS_FAILED;
  }
  const spec = codeServerFor(args.vscode);
  const verbose = process.env['TAE_VERBOSE'] === '1';
  let settle: (code: number) => void = () => undefined;
  const settled = new Promise<number>((r) => (settle = r));
  let hostLog = '';
  let session: Session | undefined;
  const started = Date.now();
  try {
    session = await openSession({
      root,
      vscode: args.vscode,
      label: `host-${spec.line}`,
      workspaceFrom: join(root, 'test', 'fixtures', 'workspace'),
      payload: [
        ['extensionDevelopmentPath', root],
        ['extensionTestsPath', testsDir],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ],
      env: ({ install, profile }) => envFor(root, args, install, profile),
      beforeOpen: async (page, profile) => {
        hostLog = join(profile.runDir, 'extension-host-console.log');
        await page.exposeFunction('codeAutomationLog', (_type: unknown, logArgs: unknown) => {
          const line = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
          appendFileSync(hostLog, `${line}\n`);
          if (verbose || !NOISE.test(line)) console.log(line);
        });
        await page.exposeFunction('codeAutomationExit', (code: unknown) => settle(typeof code === 'number' ? code : 1));
      },
    });
    const opened = session;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((r) => (timer = setTimeout(() => r(TIMEOUT_EXIT_CODE), args.timeoutSeconds * 1000)));
    // A crashed page never calls codeAutomationExit; without this the run would sit out the whole timeout.
    const crashed = new Promise<number>((r) => opened.page.once('crash', () => r(HARNESS_FAILED)));
    const code = await Promise.race([settled, timedOut, crashed]);
    if (timer) clearTimeout(timer);
    const seconds = Math.round((Date.now() - started) / 1000);
    if (code === TIMEOUT_EXIT_CODE) console.error(`[host] TIMEOUT: the suite did not finish within ${args.timeoutSeconds} s`);
    console.log(`[host] VS Code ${opened.install.vscodeVersion}: suite exited with ${code} after ${seconds} s`);
    if (code !== 0) await reportFailure(opened, hostLog);
    return code;
  } catch (e) {
    console.error(`[host] harness failed: ${describeError(e)}`);
    if (session) await reportFailure(session, hostLog);
    return HARNESS_FAILED;
  } finally {
    await session?.close();
  }
}

function envFor(root: string, args: Args, install: CodeServerInstall, profile: Profile): Record<string, string> {
  const scratch = join(profile.scratch, 'tests');
  mkdirSync(scratch, { recursive: true });
  return hostEnv({
    root,
    scratch,
    results: profile.runDir,
    workspace: profile.workspace,
    grep: args.grep,
    host: 'remote-web',
    vscodeVersion: install.vscodeVersion,
    // The Node that runs code-server also runs its extension host.
    nodeMajor: install.nodeVersion.split('.')[0],
  });
}

async function reportFailure(session: Session, hostLog: string): Promise<void> {
  const shot = join(session.profile.runDir, 'failure.png');
  await session.page.screenshot({ path: shot }).catch(() => undefined);
  console.error(
    [
      `[host] logs of this run: ${session.profile.runDir}`,
      `         code-server.log, browser.log, ${hostLog ? 'extension-host-console.log, ' : ''}vscode-logs/ (extension host, server), failure.png`,
    ].join('\n'),
  );
}

// A CLI only: nothing imports this file, so the entry point runs unconditionally.
exitOnSignals();
Promise.resolve()
  .then(() => runInHost(parse(process.argv.slice(2))))
  .then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`[host] ${describeError(e)}`);
      process.exit(HARNESS_FAILED);
    },
  );
