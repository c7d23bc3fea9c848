import * as vscode from 'vscode';
import type { EnvironmentId } from '../../core/auth/types';
import type { ApiSummary } from '../../core/spec/types';
import type { ActiveApi, EnvironmentService } from '../contracts';
import type { Settings } from '../settings';
import type { AuthControllerImpl } from './controller';
import { statusView, type StatusView } from './format';

export interface TokenStatusBarDeps {
  auth: Pick<AuthControllerImpl, 'onDidChangeToken' | 'tokenStatus' | 'profileFor' | 'isEngineLoaded'>;
  activeApi: ActiveApi;
  environments: EnvironmentService;
  settings: Settings;
  /** Clock seam for tests. */
  now?: () => number;
}

/** Does the API plausibly need a Telenor token? Decided from the spec alone, without loading the engine. */
function mayNeedToken(api: ApiSummary, settings: Settings): boolean {
  return (
    Object.keys(api.securitySchemes).length > 0 ||
    api.extensions['x-telenor'] !== undefined ||
    api.extensions['x-telenor-auth'] !== undefined ||
    settings.current.authOverrides[api.title] !== undefined
  );
}

/**
 * `$(key) Sandbox · Mobile Subscription Info API · 59:12`: the token of the active API in the active
 * environment. Counts down once a second only while it is shown and a live token is held; turns to the
 * warning colour in the last five minutes and to the error colour (and "expired") after. Hidden when no
 * API is active or the API needs no token. Click: renew (sign in again).
 */
export class TokenStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private ticker: NodeJS.Timeout | undefined;
  /** Profiles asked for in the background once per API + environment (only after the engine is loaded). */
  private readonly resolving = new Set<string>();
  private view: StatusView | undefined;

  constructor(private readonly deps: TokenStatusBarDeps) {
    this.item = vscode.window.createStatusBarItem('telenor.token', vscode.StatusBarAlignment.Left, 90);
    this.item.name = 'Telenor Token';
    this.disposables.push(
      this.item,
      deps.activeApi.onDidChange(() => this.render()),
      deps.environments.onDidChange(() => this.render()),
      deps.auth.onDidChangeToken(() => this.render()),
      deps.settings.onDidChange(() => {
        // Overrides or base URLs may have changed the profiles: look them up again.
        this.resolving.clear();
        this.render();
      }),
    );
    this.render();
  }

  /** What the item shows now (tests read it; `undefined` when hidden). */
  get current(): { text: string; tooltip: string; background: StatusView['background']; ticking: boolean } | undefined {
    if (!this.view) return undefined;
    return { text: this.view.text, tooltip: this.view.tooltip.join('\n'), background: this.view.background, ticking: this.ticker !== undefined };
  }

  render(): void {
    const api = this.deps.activeApi.current;
    if (!api || !mayNeedToken(api, this.deps.settings)) {
      this.hide();
      return;
    }
    const environment = this.deps.environments.current;
    const status = this.deps.auth.tokenStatus(api, environment);
    if (!status) this.resolveInBackground(api, environment);
    const view = statusView({
      environment,
      apiTitle: api.title,
      now: (this.deps.now ?? Date.now)(),
      ...(status?.profile ? { grantLabel: status.profile.label } : {}),
      ...(status?.token ? { token: status.token } : {}),
    });
    this.view = view;
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip.join('  \n'));
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: view.ariaLabel, role: 'button' };
    this.item.backgroundColor =
      view.background === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.background === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.command = { command: 'telenor.renewToken', title: 'Renew Telenor Token', arguments: [{ apiId: api.id, environment }] };
    this.item.show();
    this.setTicking(view.ticking);
  }

  /**
   * Once the engine is loaded (someone signed in or sent a request), the API's profile can be looked up
   * cheaply; before that nothing can be held, and loading the engine just to draw "signed out" is not
   * worth it.
   */
  private resolveInBackground(api: ApiSummary, environment: EnvironmentId): void {
    if (!this.deps.auth.isEngineLoaded) return;
    const key = `${environment}\n${api.id}`;
    if (this.resolving.has(key)) return;
    this.resolving.add(key);
    this.deps.auth.profileFor(api, environment).then(
      () => this.render(),
      () => undefined,
    );
  }

  private setTicking(on: boolean): void {
    if (on && !this.ticker) this.ticker = setInterval(() => this.render(), 1000);
    else if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private hide(): void {
    this.view = undefined;
    this.setTicking(false);
    this.item.hide();
  }

  dispose(): void {
    this.setTicking(false);
    for (const d of this.disposables) d.dispose();
  }
}
