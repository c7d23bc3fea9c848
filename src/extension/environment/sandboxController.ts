import * as vscode from 'vscode';
import { TelenorError, describeError } from '../../core/errors';
import type { RunningSandbox } from '../../sandbox/index';
import type { CommandTable } from '../commands';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import type { Settings } from '../settings';

export interface SandboxControllerDeps {
  lazy: LazyModules;
  settings: Settings;
  log: Log;
}

/** Context key for `when` clauses: the embedded sandbox is listening. */
export const SANDBOX_RUNNING_KEY = 'telenor.sandboxRunning';

/**
 * The embedded sandbox: started on a free loopback port when someone asks (the Start Sandbox command, or
 * the sandbox environment needing a URL while `telenor.sandbox.url` is empty), stopped on request and on
 * dispose. The sandbox bundle is loaded only on the first start.
 */
export class SandboxController implements vscode.Disposable {
  private running: RunningSandbox | undefined;
  /** One start in flight at a time: concurrent callers share it. */
  private starting: Promise<RunningSandbox> | undefined;
  private disposed = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires after the embedded sandbox started or stopped. */
  readonly onDidChange = this.emitter.event;

  constructor(readonly deps: SandboxControllerDeps) {
    void this.setContext(false);
  }

  /** `http://127.0.0.1:<port>` while the embedded sandbox runs. */
  get url(): string | undefined {
    return this.running?.url;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The URL of the running embedded sandbox, starting it first when needed. */
  async ensureRunning(): Promise<string> {
    return (await this.start()).url;
  }

  /** Starts the embedded sandbox unless it runs already. */
  async start(): Promise<RunningSandbox> {
    if (this.disposed) throw new TelenorError('cancelled', 'The extension is shutting down.');
    if (this.running) return this.running;
    this.starting ??= this.launch().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops the embedded sandbox; false when it was not running. */
  async stop(): Promise<boolean> {
    const pending = this.starting;
    if (pending) await pending.catch(() => undefined);
    const running = this.running;
    if (!running) return false;
    this.running = undefined;
    await running.close();
    this.deps.log.info(`Embedded sandbox at ${running.url} stopped.`);
    await this.changed();
    return true;
  }

  commands(): CommandTable {
    return {
      'telenor.startSandbox': () => this.startCommand(),
      'telenor.stopSandbox': () => this.stopCommand(),
    };
  }

  private async launch(): Promise<RunningSandbox> {
    let module: ReturnType<LazyModules['loadSandbox']>;
    try {
      module = this.deps.lazy.loadSandbox();
    } catch (e) {
      throw new TelenorError('internal', `The sandbox bundle could not be loaded: ${describeError(e)}`, {
        hint: 'Reinstall the extension (or run `node esbuild.mjs` in a development checkout).',
        cause: e,
      });
    }
    const log = this.deps.log;
    const sandbox = await module.startSandbox({
      port: 0,
      // The sandbox masks Authorization and secrets in these lines itself; the log redacts again.
      logger: (line) => log.trace(`sandbox: ${line}`),
    });
    if (this.disposed) {
      await sandbox.close();
      throw new TelenorError('cancelled', 'The extension is shutting down.');
    }
    this.running = sandbox;
    log.info(`Embedded sandbox started at ${sandbox.url}.`);
    await this.changed();
    return sandbox;
  }

  private async changed(): Promise<void> {
    await this.setContext(this.running !== undefined);
    if (!this.disposed) this.emitter.fire();
  }

  private async setContext(running: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', SANDBOX_RUNNING_KEY, running);
  }

  /** Returns the sandbox URL (for tests and scripts that chain commands). */
  private async startCommand(): Promise<string> {
    const wasRunning = this.isRunning;
    const sandbox = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Starting the Telenor sandbox…' },
      () => this.start(),
    );
    const external = this.deps.settings.current.sandboxUrl;
    const message = external
      ? `The embedded sandbox runs at ${sandbox.url}, but requests go to ${external} because “telenor.sandbox.url” is set.`
      : `${wasRunning ? 'The Telenor sandbox is already running' : 'Telenor sandbox running'} at ${sandbox.url}. Its demo credentials need no agreement.`;
    const useCredentials = 'Use Sandbox Demo Credentials';
    const open = 'Open in Browser';
    const env = this.deps.settings.current.environment;
    const switchTo = 'Switch to Sandbox';
    const actions = env === 'sandbox' ? [useCredentials, open] : [switchTo, useCredentials, open];
    // Not awaited: the command finishes when the sandbox listens, not when the notification is dismissed.
    void vscode.window.showInformationMessage(message, ...actions).then(async (choice) => {
      try {
        if (choice === useCredentials) await vscode.commands.executeCommand('telenor.useSandboxCredentials');
        else if (choice === switchTo) await vscode.commands.executeCommand('telenor.switchEnvironment', 'sandbox');
        else if (choice === open) {
          // In a remote or web window the browser cannot reach 127.0.0.1 of the host directly.
          await vscode.env.openExternal(await vscode.env.asExternalUri(vscode.Uri.parse(sandbox.url)));
        }
      } catch (e) {
        this.deps.log.error('sandbox notification action failed:', e);
      }
    });
    return sandbox.url;
  }

  private async stopCommand(): Promise<boolean> {
    const stopped = await this.stop();
    void vscode.window.showInformationMessage(stopped ? 'The Telenor sandbox stopped.' : 'The embedded Telenor sandbox is not running.');
    return stopped;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const running = this.running;
    this.running = undefined;
    if (running) {
      this.deps.log.info(`Embedded sandbox at ${running.url} stopped (extension shutting down).`);
      void running.close().catch(() => undefined);
    }
    void this.starting?.then((s) => s.close()).catch(() => undefined);
    this.emitter.dispose();
  }
}
