/**
 * Child processes for the harness: short commands whose output we keep, and long-lived servers that run in
 * their own process group so that stopping them also stops everything they spawned (code-server forks an
 * extension host, a file watcher, pty hosts…).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';

import { TelenorError } from '../../src/core/errors';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output (stdout and stderr, interleaved) is appended here instead of being kept in memory. */
  logFile?: string;
  /** Kill the whole process group after this long; the result then has `timedOut: true`. */
  timeoutMs?: number;
  /** Pass the terminal through (for stages whose output a person watches live). */
  inherit?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Collected output when neither `logFile` nor `inherit` was given. */
  stdout: string;
  stderr: string;
}

/** Runs a command to completion. Never rejects for a non-zero exit: callers decide what failure means. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    const stdio: StdioOptions = options.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'];
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio,
        // Own group, so a timeout can take down grandchildren (npm → node-gyp → make) too.
        detached: !options.inherit,
      });
    } catch (e) {
      reject(new TelenorError('internal', `Could not start ${command}.`, { hint: 'Is it installed and on PATH?', cause: e }));
      return;
    }
    let stdout = '';
    let stderr = '';
    if (log) {
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
    } else {
      child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    }
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child, 'SIGKILL');
          }, options.timeoutMs);
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      log?.end();
      reject(new TelenorError('internal', `Could not run ${command}: ${e.message}.`, { hint: 'Is it installed and on PATH?', cause: e }));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const done = () => resolvePromise({ code, signal, timedOut, stdout, stderr });
      if (log) log.end(done);
      else done();
    });
  });
}

/** Sends `signal` to the child's process group (or just the child when it has none). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** The last `lines` lines of a log file, for error messages (empty when the file does not exist). */
export function tail(file: string, lines = 60): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.split('\n').slice(-lines).join('\n');
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Resolves once the process has exited (for any reason). */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`. Safe to call more than once. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a long-lived process in its own group with output appended to `logFile`. If our own process exits
 * without calling `stop()` (a test threw past its `finally`, an uncaught error), the group is killed anyway.
 */
export function startManaged(command: string, args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv; logFile: string }): ManagedProcess {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let done = false;
  const exited = new Promise<void>((resolveExit) => {
    child.on('close', () => {
      done = true;
      log.end();
      resolveExit();
    });
    child.on('error', () => {
      done = true;
      log.end();
      resolveExit();
    });
  });
  const onExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  void exited.then(() => process.off('exit', onExit));

  const stop = async (graceMs = 5000): Promise<void> => {
    if (!done) {
      killGroup(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      if (timer) clearTimeout(timer);
      if (!done) {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    }
    // The group leader may be gone while a grandchild lingers: sweep the group once more.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // No such group: everything has exited.
      }
    }
  };
  return { child, exited, hasExited: () => done, stop };
}

/**
 * For CLIs: turn Ctrl+C / SIGTERM / SIGHUP into a normal `process.exit`, so the 'exit' handlers of
 * `startManaged` (and any cleanup registered with `onExit`) run. Node skips them when a signal kills it.
 */
export function exitOnSignals(): void {
  const codes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes) as [NodeJS.Signals, number][]) {
    process.once(signal, () => process.exit(code));
  }
}
