/**
 * `npm start` (after the build): the Telenor sandbox + a VS Code (code-server 4.100.3) with the extension
 * installed and pointed at that sandbox, and a workspace with a sample app. Prints the URL; Ctrl+C stops all.
 *
 *   node out/scripts/start.js [--port 4711] [--code-port 4712] [--vscode 1.100|1.139] [--no-sandbox]
 *
 * The extension is installed from the packaged .vsix (built here with `npm run package`) into the isolated
 * extensions folder, rather than loaded from the repo through the dev payload URL: that is how a user gets
 * it (production bundles, .vscodeignore applied, no "Extension Development Host"), and the printed URL stays
 * short and survives reloads. The cost is a rebuild per start; restart after changing code.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { describeError, TelenorError } from '../src/core/errors';
import type { RunningSandbox, SandboxOptions } from '../src/sandbox/index';
import { workbenchUrl } from '../test/harness/browser';
import { createProfile, installVsix, removeScratch, startCodeServer, type RunningCodeServer } from '../test/harness/codeServer';
import { codeServerFor, ensureCodeServer } from '../test/harness/install';
import { repoRoot } from '../test/harness/paths';
import { packageVsix } from '../test/harness/vsix';

type StartSandbox = (options?: SandboxOptions) => Promise<RunningSandbox>;

function loadSandbox(root: string): StartSandbox {
  const bundle = join(root, 'dist', 'sandbox.js');
  // The sandbox is loaded from its built bundle, as the extension loads it, not bundled into this script.
  const mod = require(bundle) as { startSandbox?: unknown };
  if (typeof mod.startSandbox !== 'function') {
    throw new TelenorError('internal', `${bundle} does not export startSandbox yet.`, {
      hint: 'Build it (node esbuild.mjs) once the sandbox has landed, or run with --no-sandbox.',
    });
  }
  return mod.startSandbox as StartSandbox;
}

/** A small app in the opened workspace that calls the sandbox the way the seeds describe. */
function sampleApp(sandboxUrl: string): Record<string, string> {
  return {
    'README.md': [
      '# Telenor API Explorer playground',
      '',
      `The Telenor sandbox runs at ${sandboxUrl} (demo credentials: docs/sandbox.md in the extension repo).`,
      'Open the **Telenor APIs** view in the activity bar, or run `node sample-app.mjs` in the terminal.',
      '',
    ].join('\n'),
    'sample-app.mjs': [
      '// Sweden client-credentials token from the sandbox, then one Bearer call. Prints no secrets.',
      `const base = process.env.TELENOR_BASE_URL ?? '${sandboxUrl}';`,
      "// The sandbox's documented demo credentials; real ones come with your Telenor agreement.",
      "const basic = Buffer.from('sandbox-se-key:sandbox-se-secret').toString('base64');",
      '',
      'const tokenResponse = await fetch(`${base}/openapi/oauth2/token`, {',
      "  method: 'POST',",
      "  headers: { Authorization: `Basic ${basic}`, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },",
      "  body: 'grant_type=client_credentials',",
      '});',
      'const token = await tokenResponse.json();',
      'console.log(`token: HTTP ${tokenResponse.status}, expires in ${token.expires_in} s`);',
      '',
      'const offers = await fetch(`${base}/corporate/fixed-network/product-catalog/product-offers`, {',
      '  headers: { Authorization: `Bearer ${token.access_token}`, Accept: \'application/json\' },',
      '});',
      'console.log(`product offers: HTTP ${offers.status}`);',
      'console.log(await offers.text());',
      '',
    ].join('\n'),
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4711' },
      'code-port': { type: 'string', default: '4712' },
      vscode: { type: 'string', default: '1.100' },
      'no-sandbox': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  const codePort = Number(values['code-port']);
  for (const [flag, n] of [['--port', port], ['--code-port', codePort]] as const) {
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new TelenorError('internal', `${flag} must be a port number.`, { hint: 'For example --port 0 (any free port).' });
  }
  const root = repoRoot();
  const cleanup: (() => Promise<void> | void)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (e) {
        console.error(`[start] while stopping: ${describeError(e)}`);
      }
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.log('\n[start] stopping…');
      void stopAll(0);
    });
  }

  try {
    const vsix = await packageVsix(root);
    const install = await ensureCodeServer(codeServerFor(values.vscode));

    let sandbox: RunningSandbox | undefined;
    if (!values['no-sandbox']) {
      const startSandbox = loadSandbox(root);
      try {
        sandbox = await startSandbox({ port });
      } catch (e) {
        throw new TelenorError('internal', `The sandbox did not start on port ${port}: ${describeError(e)}`, { hint: 'Is the port taken? Try --port 0.', cause: e });
      }
      const running = sandbox;
      cleanup.push(() => running.close());
    }

    const settings: Record<string, unknown> = sandbox ? { 'telenor.environment': 'sandbox', 'telenor.sandbox.url': sandbox.url } : {};
    const profile = createProfile({
      root,
      label: 'start',
      settings,
      workspaceFrom: join(root, 'test', 'fixtures', 'workspace'),
      workspaceFiles: sandbox ? sampleApp(sandbox.url) : {},
    });
    cleanup.push(() => removeScratch(profile));
    await installVsix(install, profile, vsix);
    const server: RunningCodeServer = await startCodeServer(install, profile, { port: codePort });
    cleanup.push(() => server.stop());
    void server.exited.then(() => {
      if (!stopping) {
        console.error(`[start] code-server exited on its own; see ${profile.codeServerLog}`);
        void stopAll(1);
      }
    });

    const url = workbenchUrl(server, profile.workspace);
    console.log(
      [
        '',
        `  Telenor sandbox:  ${sandbox ? sandbox.url : '(not started: --no-sandbox)'}`,
        `  VS Code ${install.vscodeVersion}:   ${url}`,
        '',
        `  Open the VS Code URL in a browser on this machine. From another machine, forward the ports first:`,
        `    ssh -L ${server.port}:127.0.0.1:${server.port}${sandbox ? ` -L ${sandbox.port}:127.0.0.1:${sandbox.port}` : ''} <this host>`,
        `  Workspace (temporary, removed on exit): ${profile.workspace}`,
        `  Logs: ${profile.runDir} (VS Code's own: ${join(profile.userDataDir, 'logs')}, copied there on exit)`,
        '  Ctrl+C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (e) {
    console.error(`[start] ${describeError(e)}`);
    await stopAll(1);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`[start] ${describeError(e)}`);
  process.exit(1);
});
