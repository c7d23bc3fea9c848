import * as vscode from 'vscode';
import type { EnvironmentId } from '../../core/auth/types';
import type { ApiSummary } from '../../core/spec/types';
import type { CommandTable } from '../commands';
import type { ActiveApi, EnvironmentService, SpecRegistry } from '../contracts';
import { guessRegion, isEnvironment, isRegion, type Region } from '../credentials/model';
import type { Log } from '../log';
import type { AuthControllerImpl, HeldToken } from './controller';
import { reportSignOut } from './report';
import { signInErrorView, type FixAction } from './errorView';
import { accountLabel, ENV_LABELS, spokenDuration } from './format';
import { INSPECTOR_URI } from './inspector';

export interface AuthCommandsDeps {
  auth: AuthControllerImpl;
  specs: SpecRegistry;
  environments: EnvironmentService;
  activeApi: ActiveApi;
  log: Log;
}

/** Arguments of `telenor.signIn` / `signOut` / `renewToken` (all optional; a tree item's API works too). */
export interface AuthTargetArgs {
  apiId?: string;
  environment?: EnvironmentId;
  /** Only offer APIs of this country in the picker ("Sign in now" after storing Norway credentials). */
  region?: Region;
}

/** What `telenor.signIn` / `renewToken` give back, so other features and tests know what the person saw. */
export interface SignInResult {
  signedIn: boolean;
  apiTitle?: string;
  environment?: EnvironmentId;
  /** The error message shown, with the buttons offered. */
  error?: { kind: string; message: string; actions: FixAction[] };
}

function readTarget(raw: unknown): AuthTargetArgs {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const out: AuthTargetArgs = {};
  // `{apiId}` from other features; an ApiSummary or `{api: ApiSummary}` from a tree item's context menu.
  const nested = typeof o['api'] === 'object' && o['api'] !== null ? (o['api'] as Record<string, unknown>) : undefined;
  const id = o['apiId'] ?? nested?.['id'] ?? (typeof o['title'] === 'string' ? o['id'] : undefined);
  if (typeof id === 'string' && id) out.apiId = id;
  if (isEnvironment(o['environment'])) out.environment = o['environment'];
  if (isRegion(o['region'])) out.region = o['region'];
  return out;
}

export class AuthCommands implements vscode.Disposable {
  constructor(private readonly deps: AuthCommandsDeps) {}

  commands(): CommandTable {
    return {
      'telenor.signIn': (args) => this.signIn(readTarget(args), 'signIn'),
      'telenor.renewToken': (args) => this.signIn(readTarget(args), 'renew'),
      'telenor.signOut': (args) => this.signOut(readTarget(args)),
      'telenor.showTokenInspector': () => this.showInspector(),
    };
  }

  async signIn(args: AuthTargetArgs, mode: 'signIn' | 'renew'): Promise<SignInResult> {
    const environment = args.environment ?? this.deps.environments.current;
    const api = await this.pickApi(args, mode === 'renew' ? 'Renew the token of which API?' : 'Sign in to which API?');
    if (!api) return { signedIn: false };
    try {
      await this.deps.auth.signIn(api, environment);
    } catch (e) {
      const view = signInErrorView(e, { environment, ...(this.deps.auth.callbackUri ? { callbackUri: this.deps.auth.callbackUri } : {}) });
      if (view.silent) return { signedIn: false, apiTitle: api.title, environment };
      this.deps.log.error(`Sign-in to “${api.title}” (${ENV_LABELS[environment]}) failed:`, e);
      void this.offerFixes(view.message, view.actions, api, environment);
      const kind = typeof (e as { kind?: unknown }).kind === 'string' ? (e as { kind: string }).kind : 'internal';
      return { signedIn: false, apiTitle: api.title, environment, error: { kind, message: view.message, actions: view.actions } };
    }
    const status = this.deps.auth.tokenStatus(api, environment);
    const left = status?.token ? ` The token is valid for ${spokenDuration(status.token.expiresAt - Date.now())}.` : '';
    void vscode.window.showInformationMessage(`${mode === 'renew' ? 'Renewed the token for' : 'Signed in to'} ${api.title} (${ENV_LABELS[environment]}).${left}`);
    return { signedIn: true, apiTitle: api.title, environment };
  }

  private async offerFixes(message: string, actions: FixAction[], api: ApiSummary, environment: EnvironmentId): Promise<void> {
    const answer = await vscode.window.showErrorMessage(message, ...actions);
    switch (answer) {
      case 'Use Demo Credentials':
        await vscode.commands.executeCommand('telenor.useSandboxCredentials', { offerSignIn: false });
        await vscode.commands.executeCommand('telenor.signIn', { apiId: api.id, environment });
        return;
      case 'Set Credentials': {
        const region = guessRegion(api);
        await vscode.commands.executeCommand('telenor.setCredentials', { environment, ...(region ? { region } : {}) });
        return;
      }
      case 'Try Again':
        await vscode.commands.executeCommand('telenor.signIn', { apiId: api.id, environment });
        return;
      case 'Copy Callback URL':
        if (this.deps.auth.callbackUri) await vscode.env.clipboard.writeText(this.deps.auth.callbackUri);
        return;
      case 'Open Network Settings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'http.proxy');
        return;
      case 'Open Environment Settings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'telenor.environments');
        return;
      case 'Open Auth Settings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'telenor.auth');
        return;
      case 'Show Token Inspector':
        await this.showInspector();
        return;
      case 'Show Log':
        this.deps.log.show();
        return;
      default:
        return;
    }
  }

  /**
   * `telenor.signOut`: the given API, else the active API when it holds a token, else a pick among the
   * tokens held. The outcome is always reported (logged out at Telenor, or only forgotten here, and why).
   */
  async signOut(args: AuthTargetArgs): Promise<string> {
    const environment = args.environment ?? this.deps.environments.current;
    let target: { profile: HeldToken['profile']; environment: EnvironmentId; what: string } | undefined;
    if (args.apiId) {
      const api = await this.findApi(args.apiId);
      if (!api) return this.report('no-token', 'that API');
      const status = this.deps.auth.isEngineLoaded ? await this.deps.auth.profileFor(api, environment) : undefined;
      if (!status?.profile || !this.deps.auth.heldFor(environment, status.profile.id)) return this.report('no-token', `${api.title} (${ENV_LABELS[environment]})`);
      target = { profile: status.profile, environment, what: `${api.title} (${ENV_LABELS[environment]})` };
    } else {
      const held = this.deps.auth.heldTokens();
      const active = this.deps.activeApi.current;
      const activeProfile = active ? this.deps.auth.tokenStatus(active, environment)?.profile : undefined;
      const activeHeld = activeProfile ? held.find((h) => h.environment === environment && h.profile.id === activeProfile.id) : undefined;
      if (active && activeHeld) target = { profile: activeHeld.profile, environment, what: `${active.title} (${ENV_LABELS[environment]})` };
      else if (held.length === 0) {
        void vscode.window.showInformationMessage('You are not signed in to any Telenor API.');
        return 'no-token';
      } else {
        const items = held.map((h) => ({
          label: accountLabel(h.environment, h.profile),
          description: this.deps.auth.apiTitlesFor(h.environment, h.profile.id).join(', '),
          held: h,
        }));
        const chosen = await vscode.window.showQuickPick(items, { title: 'Telenor: Sign Out', placeHolder: 'Sign out of which token?' });
        if (!chosen) return 'cancelled';
        const titles = this.deps.auth.apiTitlesFor(chosen.held.environment, chosen.held.profile.id);
        target = { profile: chosen.held.profile, environment: chosen.held.environment, what: `${titles.join(', ') || chosen.label} (${ENV_LABELS[chosen.held.environment]})` };
      }
    }
    const result = await this.deps.auth.signOutProfile(target.profile, target.environment);
    reportSignOut(result, target.what);
    return result.outcome;
  }

  private report(outcome: 'no-token', what: string): string {
    reportSignOut({ outcome }, what);
    return outcome;
  }

  async showInspector(): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(INSPECTOR_URI);
    return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  private async findApi(apiId: string): Promise<ApiSummary | undefined> {
    const now = this.deps.specs.api(apiId);
    if (now) return now;
    await this.deps.specs.whenSettled();
    return this.deps.specs.api(apiId) ?? this.deps.specs.apis().find((a) => a.title === apiId);
  }

  /** The API from the arguments, else the active one, else a quick pick of the loaded APIs. */
  async pickApi(args: AuthTargetArgs, placeHolder: string): Promise<ApiSummary | undefined> {
    if (args.apiId) {
      const api = await this.findApi(args.apiId);
      if (!api) {
        void vscode.window.showErrorMessage(`No loaded API has the id or title “${args.apiId}”. Open the Telenor APIs view to see the APIs that are loaded.`);
      }
      return api;
    }
    const active = this.deps.activeApi.current;
    if (active && (!args.region || guessRegion(active) === args.region)) return active;
    await this.deps.specs.whenSettled();
    let apis = [...this.deps.specs.apis()];
    if (args.region) {
      const inRegion = apis.filter((a) => guessRegion(a) === args.region);
      if (inRegion.length > 0) apis = inRegion;
    }
    if (apis.length === 0) {
      void vscode.window.showErrorMessage('No APIs are loaded yet, so there is nothing to sign in to. Add a spec in the Telenor APIs view, or turn on telenor.specs.showBuiltin.');
      return undefined;
    }
    const items = apis.map((api) => ({ label: api.title, description: api.version ? `v${api.version}` : '', detail: api.origin, api }));
    const chosen = await vscode.window.showQuickPick(items, { title: 'Telenor', placeHolder, matchOnDetail: true });
    return chosen?.api;
  }

  dispose(): void {
    // Nothing of its own: commands are registered (and disposed) by Services.
  }
}
