import * as vscode from 'vscode';
import type { EnvironmentId } from '../../core/auth/types';
import { TelenorError } from '../../core/errors';
import type { ApiSummary, OperationInfo } from '../../core/spec/types';
import type { CommandTable } from '../commands';
import type { EnvironmentService } from '../contracts';
import type { Log } from '../log';
import { DEFAULT_BASE_URLS, ENVIRONMENT_LABELS, type Region, type RegionUrls, type Settings, type SettingsSnapshot } from '../settings';
import { baseUrlSetting, detectRegion, REGION_LABELS, resolveServerUrl, type RegionDecision } from './region';
import type { SandboxController } from './sandboxController';

export interface EnvironmentsDeps {
  settings: Settings;
  sandbox: SandboxController;
  log: Log;
}

const ENVIRONMENTS: readonly EnvironmentId[] = ['sandbox', 'test', 'production'];
const REGIONS: readonly Region[] = ['no', 'se'];

function isEnvironment(v: unknown): v is EnvironmentId {
  return typeof v === 'string' && (ENVIRONMENTS as readonly string[]).includes(v);
}

/** What decides where requests go, apart from the environment itself (which has its own event). */
function targetsKey(s: SettingsSnapshot): string {
  return JSON.stringify([s.environments, s.sandboxUrl, s.authOverrides]);
}

/** One line per region for quick picks and tooltips: `Norway: https://…` / `Sweden: not set`. */
export interface BaseUrlLine {
  region: Region;
  url: string | undefined;
}

/**
 * The active environment (setting `telenor.environment`), the base URLs behind each one, and the status bar
 * item that shows it. Production gets the warning background so nobody sends there by accident.
 */
export class Environments implements EnvironmentService, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<EnvironmentId>();
  readonly onDidChange = this.emitter.event;
  private readonly targetsEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTargets = this.targetsEmitter.event;
  /** The settings that decide where requests go, as last seen (to fire onDidChangeTargets on a real change). */
  private lastTargets: string;
  /** Exposed for tests and for the UI walkthrough; owned here. */
  readonly statusBarItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private last: EnvironmentId;
  /** The "Sweden needs a base URL" notice is said once per environment and session, not on every switch. */
  private readonly swedenNoticeShown = new Set<EnvironmentId>();

  constructor(readonly deps: EnvironmentsDeps) {
    this.last = deps.settings.current.environment;
    this.lastTargets = targetsKey(deps.settings.current);
    this.statusBarItem = vscode.window.createStatusBarItem('telenor.environment', vscode.StatusBarAlignment.Left, 50);
    this.statusBarItem.name = 'Telenor Environment';
    this.statusBarItem.command = 'telenor.switchEnvironment';
    this.disposables.push(
      this.statusBarItem,
      this.targetsEmitter,
      deps.settings.onDidChange((s) => this.onSettings(s)),
      deps.sandbox.onDidChange(() => this.render()),
    );
    this.render();
    this.statusBarItem.show();
  }

  get current(): EnvironmentId {
    return this.deps.settings.current.environment;
  }

  /**
   * Writes `telenor.environment` where it is in effect: a workspace (folder) value would hide a user-level
   * change, so that is the one updated when present.
   */
  async switchTo(environment: EnvironmentId): Promise<void> {
    if (!isEnvironment(environment)) {
      throw new TelenorError('input', `“${String(environment)}” is not an environment.`, { hint: 'Use sandbox, test or production.' });
    }
    const config = vscode.workspace.getConfiguration('telenor');
    const inspected = config.inspect<string>('environment');
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    if (this.current !== environment) await config.update('environment', environment, target);
    // The configuration event normally got here first; this covers hosts that deliver it after `update`.
    this.onSettings(this.deps.settings.current);
  }

  /** Base URLs without side effects: the sandbox's is its current URL (undefined when not running). */
  peekBaseUrls(environment: EnvironmentId = this.current): RegionUrls {
    const s = this.deps.settings.current;
    if (environment === 'sandbox') {
      const url = s.sandboxUrl || this.deps.sandbox.url;
      return url ? { no: url, se: url } : {};
    }
    return { ...DEFAULT_BASE_URLS[environment], ...s.environments[environment] };
  }

  async baseUrls(environment: EnvironmentId = this.current): Promise<RegionUrls> {
    if (environment === 'sandbox' && !this.deps.settings.current.sandboxUrl) {
      const url = await this.deps.sandbox.ensureRunning();
      return { no: url, se: url };
    }
    return this.peekBaseUrls(environment);
  }

  regionOf(api: ApiSummary): RegionDecision | undefined {
    return detectRegion(api, this.deps.settings.current.authOverrides[api.title]?.region);
  }

  async serverUrl(api: ApiSummary, environment: EnvironmentId = this.current, operation?: Pick<OperationInfo, 'servers'>): Promise<string> {
    const overrideRegion = this.deps.settings.current.authOverrides[api.title]?.region;
    // Other APIs keep their own servers: no reason to start the embedded sandbox for them.
    const baseUrls = detectRegion(api, overrideRegion) ? await this.baseUrls(environment) : {};
    return resolveServerUrl({ api, environment, baseUrls, overrideRegion, ...(operation ? { operation } : {}) });
  }

  commands(): CommandTable {
    return { 'telenor.switchEnvironment': (arg?: unknown) => this.switchCommand(arg) };
  }

  /** Per-region lines for display (no sandbox start). */
  describe(environment: EnvironmentId): BaseUrlLine[] {
    const urls = this.peekBaseUrls(environment);
    return REGIONS.map((region) => ({ region, url: urls[region] }));
  }

  private onSettings(s: SettingsSnapshot): void {
    this.render();
    const targets = targetsKey(s);
    if (targets !== this.lastTargets) {
      this.lastTargets = targets;
      this.targetsEmitter.fire();
    }
    if (s.environment !== this.last) {
      this.last = s.environment;
      this.deps.log.info(`Environment: ${ENVIRONMENT_LABELS[s.environment]}.`);
      this.emitter.fire(s.environment);
    }
  }

  /** Where the sandbox environment points; `code` wraps URLs and setting names (Markdown or plain). */
  private sandboxState(code: (t: string) => string = (t) => t): string {
    const s = this.deps.settings.current;
    if (s.sandboxUrl) return `external sandbox at ${code(s.sandboxUrl)} (${code('telenor.sandbox.url')})`;
    const url = this.deps.sandbox.url;
    return url ? `embedded sandbox running at ${code(url)}` : 'embedded sandbox, starts when needed';
  }

  private render(): void {
    const env = this.current;
    const item = this.statusBarItem;
    item.text = `$(server-environment) Telenor: ${ENVIRONMENT_LABELS[env]}`;
    item.backgroundColor = env === 'production' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.accessibilityInformation = {
      label: `Telenor environment: ${ENVIRONMENT_LABELS[env]}${env === 'production' ? ' (requests reach real customer data)' : ''}. Activate to switch environment.`,
      role: 'button',
    };
    // Settings values go into code spans (a backtick would end one early, so those are dropped).
    const code = (t: string): string => `\`${t.replace(/`/g, '')}\``;
    const lines = [`**Telenor environment: ${ENVIRONMENT_LABELS[env]}**${env === 'production' ? ' $(warning) requests reach production' : ''}`, ''];
    if (env === 'sandbox') {
      lines.push(`Both regions: ${this.sandboxState(code)}`);
    } else {
      for (const line of this.describe(env)) {
        lines.push(`${REGION_LABELS[line.region]}: ${line.url ? code(line.url) : `not set (${code(baseUrlSetting(env, line.region))})`}  `);
      }
    }
    lines.push('', 'Click to switch environment.');
    item.tooltip = new vscode.MarkdownString(lines.join('\n'), true);
  }

  private async switchCommand(arg: unknown): Promise<EnvironmentId | undefined> {
    // A string argument must name an environment; anything else (none, a menu's context object) asks.
    if (typeof arg === 'string' && !isEnvironment(arg)) {
      throw new TelenorError('input', `“${arg}” is not an environment.`, { hint: 'Use sandbox, test or production.' });
    }
    const chosen = isEnvironment(arg) ? arg : await this.pick();
    if (!chosen) return undefined;
    await this.switchTo(chosen);
    if (chosen !== 'sandbox' && !this.peekBaseUrls(chosen).se && !this.swedenNoticeShown.has(chosen)) {
      this.swedenNoticeShown.add(chosen);
      const open = 'Open Settings';
      void vscode.window
        .showInformationMessage(
          `${ENVIRONMENT_LABELS[chosen]}: Telenor Sweden APIs need the base URL from your agreement in “${baseUrlSetting(chosen, 'se')}”. Norway APIs work as they are.`,
          open,
        )
        .then((c) => (c === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'telenor.environments') : undefined));
    }
    return chosen;
  }

  private async pick(): Promise<EnvironmentId | undefined> {
    type Item = vscode.QuickPickItem & { env?: EnvironmentId; settings?: boolean };
    const current = this.current;
    const items: Item[] = ENVIRONMENTS.map((env) => {
      const credentials = env === 'sandbox' ? 'demo credentials, no agreement needed' : 'credentials from your Telenor agreement';
      return {
        env,
        label: `${env === current ? '$(check)' : '$(blank)'} ${ENVIRONMENT_LABELS[env]}`,
        description: env === 'production' ? `$(warning) real customer data · ${credentials}` : credentials,
        detail:
          env === 'sandbox'
            ? this.sandboxState()
            : this.describe(env)
                // Short enough for one quick-pick line; the setting's name is in the status bar tooltip and
                // one click away under "Edit Base URLs in Settings…".
                .map((l) => `${REGION_LABELS[l.region]}: ${l.url ?? 'not set yet'}`)
                .join(' · '),
      };
    });
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(gear) Edit Base URLs in Settings…', settings: true });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Telenor: Switch Environment',
      placeHolder: `Where requests and sign-ins go (now: ${ENVIRONMENT_LABELS[current]})`,
      matchOnDetail: true,
    });
    if (picked?.settings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'telenor.environments');
      return undefined;
    }
    return picked?.env;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
