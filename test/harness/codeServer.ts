/**
 * One isolated code-server on 127.0.0.1: its own user data, extensions, config file, XDG folders and a short
 * TMPDIR, so nothing is read from or written to the home folder and parallel runs cannot meet.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { TelenorError } from '../../src/core/errors';
import type { CodeServerInstall } from './install';
import { nodeEnv } from './install';
import { newRunDir, shortTempDir } from './paths';
import { run, startManaged, tail } from './proc';

/** Where one code-server run keeps its state. Logs live under `runDir` (kept); the rest is scratch. */
export interface Profile {
  /** `test-results/runs/<label>-<stamp>-<pid>/`: code-server.log, browser.log, vscode-logs/, failure.png. */
  runDir: string;
  /** Short folder under /tmp, removed by `removeScratch`. */
  scratch: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  tmp: string;
  chromeProfile: string;
  codeServerLog: string;
  browserLog: string;
  /** Drops the exit-time removal of `scratch` (for when removeScratch already did it). */
  forgetScratch(): void;
}

/** Quiet defaults: no telemetry, tips, welcome pages, update checks or marketplace recommendations. */
const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  // Newer VS Code opens an (empty, with AI off) secondary side bar that only narrows screenshots.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface ProfileOptions {
  /** Repository root (the per-run folder goes under its test-results/). */
  root: string;
  /** Names the run folder, e.g. `host-1.100`. */
  label: string;
  /** Merged over the quiet defaults into the user settings.json. */
  settings?: Record<string, unknown>;
  /** Copied as the opened workspace folder when it exists; otherwise the folder holds a README only. */
  workspaceFrom?: string;
  /** Extra files written into the workspace (relative path → content). */
  workspaceFiles?: Record<string, string>;
}

export function createProfile(options: ProfileOptions): Profile {
  const runDir = newRunDir(options.root, options.label);
  const scratch = shortTempDir('tae');
  // If the process ends before removeScratch (Ctrl+C, a crash), /tmp is still cleaned.
  const onExit = () => rmSync(scratch, { recursive: true, force: true });
  process.on('exit', onExit);
  const profile: Profile = {
    runDir,
    scratch,
    // Short path too: code-server puts its session socket (code-server-ipc.sock) in the user-data folder.
    // Its logs are copied to runDir by removeScratch.
    userDataDir: join(scratch, 'ud'),
    extensionsDir: join(scratch, 'ext'),
    // Outside the checkout: a workspace inside the repo would make the git extension offer the parent repo.
    workspace: join(scratch, 'ws'),
    tmp: join(scratch, 'tmp'),
    chromeProfile: join(scratch, 'chrome'),
    codeServerLog: join(runDir, 'code-server.log'),
    browserLog: join(runDir, 'browser.log'),
    forgetScratch: () => process.off('exit', onExit),
  };
  for (const d of [profile.userDataDir, profile.extensionsDir, profile.tmp, profile.chromeProfile, join(scratch, 'xdg-config'), join(scratch, 'xdg-data')]) {
    mkdirSync(d, { recursive: true });
  }
  if (options.workspaceFrom && existsSync(options.workspaceFrom)) {
    cpSync(options.workspaceFrom, profile.workspace, { recursive: true });
  } else {
    mkdirSync(profile.workspace, { recursive: true });
    writeFileSync(join(profile.workspace, 'README.md'), '# Test workspace\n');
  }
  for (const [rel, content] of Object.entries(options.workspaceFiles ?? {})) {
    const file = join(profile.workspace, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
  }
  mkdirSync(join(profile.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(profile.userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2)}\n`);
  return profile;
}

/** Where removeScratch keeps VS Code's own logs (extension host, remote agent, window) of a run. */
export function vscodeLogsDir(profile: Profile): string {
  return join(profile.runDir, 'vscode-logs');
}

/**
 * Deletes the scratch folder (workspace, extensions, browser profile, sockets) after copying VS Code's logs
 * into `runDir`, where the other logs already are.
 */
export function removeScratch(profile: Profile): void {
  const logs = join(profile.userDataDir, 'logs');
  try {
    if (existsSync(logs)) cpSync(logs, vscodeLogsDir(profile), { recursive: true });
  } finally {
    rmSync(profile.scratch, { recursive: true, force: true });
    profile.forgetScratch();
  }
}

/**
 * code-server's environment. Variables of an enclosing VS Code (VSCODE_*, ELECTRON_RUN_AS_NODE) would make
 * it talk to that editor, and PORT / PASSWORD override its flags, so they are dropped.
 */
function serverEnv(install: CodeServerInstall, profile: Profile, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'PORT' || k === 'PASSWORD' || k === 'HASHED_PASSWORD') continue;
    env[k] = v;
  }
  return {
    ...nodeEnv(install.nodeHome, env),
    XDG_CONFIG_HOME: join(profile.scratch, 'xdg-config'),
    XDG_DATA_HOME: join(profile.scratch, 'xdg-data'),
    XDG_RUNTIME_DIR: profile.tmp,
    TMPDIR: profile.tmp,
    ...extra,
  };
}

function dirArgs(profile: Profile): string[] {
  return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** `code-server --install-extension <vsix>` into the profile's own extensions folder. */
export async function installVsix(install: CodeServerInstall, profile: Profile, vsix: string): Promise<void> {
  if (!existsSync(vsix)) {
    throw new TelenorError('internal', `No .vsix at ${vsix}.`, { hint: 'Build it with `npm run package`.' });
  }
  const log = join(profile.runDir, 'install-extension.log');
  const r = await run(install.nodeBin, [install.entry, ...dirArgs(profile), '--install-extension', vsix, '--force'], {
    env: serverEnv(install, profile, {}),
    logFile: log,
    timeoutMs: 120_000,
  });
  if (r.code !== 0) {
    throw new TelenorError('internal', `code-server could not install ${vsix} (exit ${r.code ?? r.signal}).\n${tail(log, 30)}`, {
      hint: `Full output: ${log}`,
    });
  }
}

export interface RunningCodeServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, the authority of `vscode-remote://` URIs for files on this server. */
  authority: string;
  port: number;
  startMs: number;
  /** Resolves when code-server has exited, whether stopped or crashed. */
  exited: Promise<void>;
  /** Stops code-server and everything it spawned; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Variables the extension host (and so the in-host tests) can read. */
  env?: Record<string, string>;
  /** Default (or 0): a free port. */
  port?: number;
  /** How long to wait for /healthz. Default 90 s (the first start on a busy machine is slow). */
  readyTimeoutMs?: number;
  /**
   * Keep VS Code's workspace trust on (the default turns it off): with the trust settings of
   * RESTRICTED_MODE_SETTINGS the workspace then opens in Restricted Mode.
   */
  workspaceTrust?: boolean;
}

/** Settings that open an untrusted workspace in Restricted Mode without the modal trust prompt. */
export const RESTRICTED_MODE_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
};

export async function startCodeServer(install: CodeServerInstall, profile: Profile, options: StartOptions = {}): Promise<RunningCodeServer> {
  // 0 must become a real port here: we poll it, and code-server would not tell us which one it took.
  const port = options.port || (await freePort());
  const config = join(profile.scratch, 'config.yaml');
  // Without --config code-server writes one, with a generated password, into the home folder.
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    install.entry,
    '--config', config,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...dirArgs(profile),
  ];
  const started = Date.now();
  const proc = startManaged(install.nodeBin, args, { env: serverEnv(install, profile, options.env ?? {}), logFile: profile.codeServerLog, cwd: profile.workspace });
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.readyTimeoutMs ?? 90_000);
  try {
    for (;;) {
      if (proc.hasExited()) {
        throw new TelenorError('internal', `code-server ${install.version} exited while starting.\n${tail(profile.codeServerLog, 30)}`, {
          hint: `Full log: ${profile.codeServerLog}`,
        });
      }
      if (await healthy(url)) break;
      if (Date.now() > deadline) {
        throw new TelenorError('timeout', `code-server ${install.version} did not answer ${url}/healthz within ${Math.round((deadline - started) / 1000)} s.`, {
          hint: `See ${profile.codeServerLog}.`,
        });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return { url, authority: `127.0.0.1:${port}`, port, startMs: Date.now() - started, exited: proc.exited, stop: () => proc.stop() };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return r.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}
