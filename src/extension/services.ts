import { join } from 'node:path';
import * as vscode from 'vscode';
import { SpecCatalog } from '../core/spec/catalog';
import type { SpecServiceOptions } from '../core/spec/service';
import { Redactor } from '../core/util/redact';
import { ActiveApiTracker } from './activeApi';
import { AuthControllerImpl } from './auth/controller';
import { COMMAND_IDS, registerCommands, type CommandTable } from './commands';
import { CredentialStore } from './credentials/store';
import { Environments } from './environment/environments';
import { SandboxController } from './environment/sandboxController';
import { HoverFeature } from './hover/hover';
import { LazyModules } from './lazy';
import { Log } from './log';
import { RequestPanelManager } from './panel/manager';
import { Settings, type SettingsSnapshot } from './settings';
import { SpecRegistryImpl } from './specs/registry';
import { ApiTree } from './tree/apiTree';

/** What the spec worker needs to download specs the way token and API calls go out. */
function specServiceOptions(s: SettingsSnapshot): SpecServiceOptions {
  return {
    load: { allowInsecureHttp: s.allowInsecureHttp },
    transport: { ...(s.proxy ? { proxy: s.proxy } : {}), strictSSL: s.proxyStrictSSL },
  };
}

/** Anything a feature can hand to the owner: disposable, optionally with commands. */
export interface Feature extends vscode.Disposable {
  commands?(): CommandTable;
}

/**
 * Builds every service once, in dependency order, and owns every disposable: `activate()` pushes this
 * one object into `context.subscriptions`. Features receive exactly the services they use.
 *
 * Two lifetimes: what is built here lives as long as the extension; things that live as long as a
 * sign-in, a loaded spec or an open panel are owned (and disposed) by the feature that created them.
 */
export class Services implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  readonly redactor = new Redactor();
  readonly log: Log;
  readonly settings: Settings;
  readonly lazy: LazyModules;
  readonly activeApi: ActiveApiTracker;
  readonly catalog: SpecCatalog;
  readonly sandbox: SandboxController;
  readonly environments: Environments;
  readonly specs: SpecRegistryImpl;
  readonly credentials: CredentialStore;
  readonly auth: AuthControllerImpl;
  readonly tree: ApiTree;
  readonly panels: RequestPanelManager;
  readonly hover: HoverFeature;

  constructor(readonly context: vscode.ExtensionContext) {
    const distDir = join(context.extensionUri.fsPath, 'dist');
    this.log = this.own(new Log(this.redactor));
    this.settings = this.own(new Settings());
    this.lazy = new LazyModules(distDir);
    this.activeApi = this.own(new ActiveApiTracker());
    // The catalog spawns its worker on first use, not here: activation stays cheap.
    let specDownloads = specServiceOptions(this.settings.current);
    this.catalog = this.own(new SpecCatalog({ workerPath: join(distDir, 'specWorker.js'), service: specDownloads }));
    // Spec downloads honour the same proxy / strict-SSL / plain-http settings as token and API calls.
    this.own(
      this.settings.onDidChange((snapshot) => {
        const next = specServiceOptions(snapshot);
        if (JSON.stringify(next) === JSON.stringify(specDownloads)) return;
        specDownloads = next;
        this.catalog.reconfigure(next);
      }),
    );

    this.sandbox = this.own(new SandboxController({ lazy: this.lazy, settings: this.settings, log: this.log }));
    this.environments = this.own(new Environments({ settings: this.settings, sandbox: this.sandbox, log: this.log }));
    this.specs = this.own(
      new SpecRegistryImpl({
        catalog: this.catalog,
        settings: this.settings,
        state: context.globalState,
        secrets: context.secrets,
        builtinDir: join(distDir, 'specs'),
        redactor: this.redactor,
        log: this.log,
      }),
    );
    this.credentials = this.own(
      new CredentialStore({
        secrets: context.secrets,
        redactor: this.redactor,
        log: this.log,
        environments: this.environments,
        activeApi: this.activeApi,
        settings: this.settings,
      }),
    );
    this.auth = this.own(
      new AuthControllerImpl({
        lazy: this.lazy,
        credentials: this.credentials,
        environments: this.environments,
        settings: this.settings,
        specs: this.specs,
        activeApi: this.activeApi,
        redactor: this.redactor,
        log: this.log,
      }),
    );
    this.panels = this.own(
      new RequestPanelManager({
        context,
        lazy: this.lazy,
        specs: this.specs,
        environments: this.environments,
        auth: this.auth,
        activeApi: this.activeApi,
        settings: this.settings,
        redactor: this.redactor,
        log: this.log,
      }),
    );
    this.tree = this.own(
      new ApiTree({
        specs: this.specs,
        environments: this.environments,
        auth: this.auth,
        activeApi: this.activeApi,
        panels: this.panels,
        log: this.log,
        extensionUri: context.extensionUri,
      }),
    );
    this.hover = this.own(
      new HoverFeature({
        specs: this.specs,
        panels: this.panels,
        lazy: this.lazy,
        settings: this.settings,
        log: this.log,
        environments: this.environments,
        activeApi: this.activeApi,
        redactor: this.redactor,
      }),
    );

    this.own(registerCommands(this.commandTable(), this.log));
  }

  /** Every feature's commands merged into one table; a command id claimed twice is a bug. */
  private commandTable(): CommandTable {
    const table: CommandTable = {
      'telenor.showLog': () => this.log.show(),
    };
    const features: Feature[] = [this.sandbox, this.environments, this.specs, this.credentials, this.auth, this.tree, this.panels, this.hover];
    for (const feature of features) {
      for (const [id, handler] of Object.entries(feature.commands?.() ?? {})) {
        if (id in table) throw new Error(`command ${id} is registered twice`);
        if (!(COMMAND_IDS as readonly string[]).includes(id)) throw new Error(`command ${id} is not in COMMAND_IDS`);
        (table as Record<string, unknown>)[id] = handler;
      }
    }
    return table;
  }

  private own<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) void d.dispose();
    else this.disposables.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Reverse construction order: features go before the services they depend on.
    for (const d of this.disposables.reverse()) {
      try {
        void d.dispose();
      } catch (e) {
        this.log.error('dispose failed:', e);
      }
    }
    this.disposables.length = 0;
  }
}
