import * as vscode from 'vscode';
import type { AuthService, SignOutResult } from '../../core/auth/authService';
import type { InteractiveSignIn } from '../../core/auth/grant';
import type { ProfileDecision } from '../../core/auth/profiles';
import type { TokenChange } from '../../core/auth/tokenCache';
import type { AuthProfile, EnvironmentId, TokenExchangeRecord, TokenSet } from '../../core/auth/types';
import { isTelenorError, TelenorError } from '../../core/errors';
import type { AuthHeaderProvider } from '../../core/http/types';
import type { ApiSummary } from '../../core/spec/types';
import type { IDisposable } from '../../core/util/lifecycle';
import type { Redactor } from '../../core/util/redact';
import type { CommandTable } from '../commands';
import type { ActiveApi, AuthController, SpecRegistry, TokenStatus } from '../contracts';
import type { CredentialStore } from '../credentials/store';
import type { Environments } from '../environment/environments';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import type { Settings, SettingsSnapshot } from '../settings';
import { AuthCommands } from './commands';
import { effectiveExpiry, ENV_LABELS, redactRecord } from './format';
import { reportSignOut } from './report';
import { TokenInspector } from './inspector';
import { TelenorAuthenticationProvider } from './provider';
import { TokenStatusBar } from './statusBar';

type Dispatcher = ReturnType<ReturnType<LazyModules['loadEngine']>['createDispatcher']>;

export interface AuthControllerDeps {
  lazy: LazyModules;
  credentials: CredentialStore;
  environments: Environments;
  settings: Settings;
  specs: SpecRegistry;
  activeApi: ActiveApi;
  redactor: Redactor;
  log: Log;
}

/** A token the auth service holds, with where it belongs. */
export interface HeldToken {
  environment: EnvironmentId;
  profile: AuthProfile;
  token: TokenSet;
}

/** The HTTP settings handed to the auth service; mutated in place when settings change (the service reads it per request). */
interface LiveHttpOptions {
  dispatcher?: Dispatcher;
  allowInsecureHttp?: boolean;
}

const WAITING_TITLE = 'Telenor: Waiting for you to approve access in the browser';
/**
 * Said under the title: Telenor's sign-in page shows some errors itself (codes 1, 8, 12, 15 and 21 never
 * come back to the callback), and then only Cancel ends the wait before its timeout.
 */
const WAITING_HINT = 'If Telenor’s page shows an error instead, press Cancel.';

/**
 * A loopback URL as the person's browser can reach it. Only the origin is mapped with `asExternalUri`
 * and the path put back on afterwards: code-server maps `http://127.0.0.1:<port>/start` to
 * `…/proxy/<port>/` and drops the path, while desktop VS Code returns the URL unchanged.
 */
async function externalUrl(local: string): Promise<string> {
  const u = new URL(local);
  const mapped = (await vscode.env.asExternalUri(vscode.Uri.parse(`${u.protocol}//${u.host}/`))).toString(true);
  const base = mapped.endsWith('/') ? mapped : `${mapped}/`;
  return new URL(`${u.pathname.replace(/^\/+/, '')}${u.search}`, base).href;
}

function regionOfGrant(profile: AuthProfile): 'se' | 'no' {
  return profile.grant === 'se-client-credentials' ? 'se' : 'no';
}

/**
 * Owns sign-in: a lazily created core `AuthService` (engine bundle) reading credentials from the
 * CredentialStore, a proxy/CA-aware dispatcher rebuilt when settings change, the browser sign-in through
 * the core loopback server (mapped with `asExternalUri` for remote windows such as code-server), and the
 * surfaces that show tokens: status bar item, the "telenor" authentication provider, the token inspector.
 *
 * Every token, refresh token and X-JWT the service obtains is registered with the shared Redactor as it
 * arrives, and stays registered: a token that was once in memory must never become printable.
 */
export class AuthControllerImpl implements AuthController, vscode.Disposable {
  private readonly tokenEmitter = new vscode.EventEmitter<void>();
  private readonly exchangeEmitter = new vscode.EventEmitter<TokenExchangeRecord>();
  readonly onDidChangeToken = this.tokenEmitter.event;
  readonly onDidExchange = this.exchangeEmitter.event;

  /**
   * How the sign-in page reaches the person's browser. A seam: in-host tests replace it with a function
   * that walks the consent page over plain HTTP, as the browser would.
   */
  openExternal: (uri: vscode.Uri) => Thenable<boolean> = (uri) => vscode.env.openExternal(uri);

  private service: AuthService | undefined;
  private readonly http: LiveHttpOptions = {};
  private dispatcherError: TelenorError | undefined;
  private readonly interactive: InteractiveSignIn & { port?: number };
  /** Held tokens by cache key (`[environment, profileId, fingerprint]`), from the service's change events. */
  private readonly held = new Map<string, HeldToken>();
  /** Resolved profiles by environment + API id, for the sync `tokenStatus`. */
  private readonly decisions = new Map<string, { api: ApiSummary; environment: EnvironmentId; decision: ProfileDecision }>();
  /** Profiles by environment + profile id (to forget tokens when credentials change, to sign out a session). */
  private readonly profiles = new Map<string, AuthProfile>();
  private readonly warned = new Set<string>();
  private readonly tokenSecrets: IDisposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private expiryTimer: NodeJS.Timeout | undefined;
  /** The redirect URI of the sign-in in progress, for the message that lets the person copy it. */
  private lastRedirectUri: string | undefined;
  /** The environment of the browser sign-in under way (the callback notice only matters for Telenor's). */
  private browserSignInEnvironment: EnvironmentId | undefined;
  private lastNetworkSettings: string;
  private lastSettings: SettingsSnapshot;
  private disposed = false;
  private signedInContext = false;

  readonly inspector: TokenInspector;
  readonly statusBar: TokenStatusBar;
  readonly authProvider: TelenorAuthenticationProvider;
  private readonly commandsImpl: AuthCommands;

  constructor(readonly deps: AuthControllerDeps) {
    this.interactive = {
      openBrowser: (startUrl) => this.openSignInPage(startUrl),
      resolveRedirectUri: async (local) => {
        this.lastRedirectUri = await externalUrl(local);
        return this.lastRedirectUri;
      },
      // Single use and short-lived, but still a credential until exchanged: mask it like a token.
      onAuthorizationCode: (code) => this.tokenSecrets.push(this.deps.redactor.register(code, 'token')),
    };
    this.applyInteractiveSettings(deps.settings.current);
    this.lastNetworkSettings = this.networkKey(deps.settings.current);
    this.lastSettings = deps.settings.current;

    this.disposables.push(
      deps.settings.onDidChange((s) => this.onSettings(s)),
      deps.credentials.onDidChange((slot) => this.forgetWhere((h) => h.environment === slot.environment && regionOfGrant(h.profile) === slot.region)),
    );
    this.inspector = new TokenInspector({ auth: this, redactor: deps.redactor });
    this.statusBar = new TokenStatusBar({ auth: this, activeApi: deps.activeApi, environments: deps.environments, settings: deps.settings });
    this.authProvider = new TelenorAuthenticationProvider({ auth: this, specs: deps.specs, environments: deps.environments, activeApi: deps.activeApi, log: deps.log });
    this.commandsImpl = new AuthCommands({ auth: this, specs: deps.specs, environments: deps.environments, activeApi: deps.activeApi, log: deps.log });
  }

  commands(): CommandTable {
    return this.commandsImpl.commands();
  }

  get isEngineLoaded(): boolean {
    return this.service !== undefined;
  }

  // ------------------------------------------------------------------------------------ the contract

  async profileFor(api: ApiSummary, environment: EnvironmentId = this.deps.environments.current): Promise<ProfileDecision> {
    const engine = this.deps.lazy.loadEngine();
    const urls = await this.deps.environments.baseUrls(environment);
    const decision = engine.resolveAuthProfile(api, { se: urls.se ?? '', no: urls.no ?? '' }, this.deps.settings.current.authOverrides[api.title]);
    for (const w of decision.warnings) {
      const line = `Auth for “${api.title}” in ${ENV_LABELS[environment]}: ${w}`;
      if (!this.warned.has(line)) {
        this.warned.add(line);
        this.deps.log.warn(line);
      }
    }
    this.decisions.set(this.decisionKey(environment, api.id), { api, environment, decision });
    if (decision.profile) this.profiles.set(this.profileKey(environment, decision.profile.id), decision.profile);
    return decision;
  }

  async headerProvider(api: ApiSummary, environment: EnvironmentId = this.deps.environments.current): Promise<AuthHeaderProvider | undefined> {
    const decision = await this.profileFor(api, environment);
    // No Telenor grant declared or configured: the request goes out without our auth headers.
    if (!decision.profile && decision.source === undefined) return undefined;
    const profile = await this.requireProfile(api, environment, decision);
    const service = this.ensureService();
    const inner = service.headerProvider(profile, environment);
    return {
      headers: async (signal) => {
        this.throwIfNoDispatcher();
        // A browser sign-in started by a request gets the same cancellable progress as "Sign In".
        if (profile.grant === 'no-authorization-code' && !this.liveToken(environment, profile.id)) {
          await this.acquire(profile, environment, api.title, signal);
        }
        return inner.headers(signal);
      },
      invalidate: (rejected) => inner.invalidate(rejected),
    };
  }

  tokenStatus(api: ApiSummary, environment: EnvironmentId = this.deps.environments.current): TokenStatus | undefined {
    const profile = this.decisions.get(this.decisionKey(environment, api.id))?.decision.profile;
    if (!profile) return undefined;
    const held = this.heldFor(environment, profile.id);
    if (!held) return { environment, profile };
    return {
      environment,
      profile,
      token: {
        obtainedAt: held.token.obtainedAt,
        expiresAt: held.token.expiresAt,
        ...(held.token.jwt ? { jwtExpiresAt: held.token.jwt.expiresAt } : {}),
      },
    };
  }

  /** Runs the API's grant now (a fresh token even if one is held), with a progress notification. */
  async signIn(api: ApiSummary, environment: EnvironmentId = this.deps.environments.current): Promise<void> {
    const profile = await this.requireProfile(api, environment);
    await this.signInProfile(profile, environment, api.title);
  }

  /**
   * Logs out at Telenor where there is a logout endpoint, then forgets the token, and tells the person
   * the outcome (logged out, only forgotten here and why, or not signed in).
   */
  async signOut(api: ApiSummary, environment: EnvironmentId = this.deps.environments.current): Promise<void> {
    const result: SignOutResult = this.service ? await this.signOutProfile(await this.requireProfile(api, environment), environment) : { outcome: 'no-token' };
    reportSignOut(result, `${api.title} (${ENV_LABELS[environment]})`);
  }

  /**
   * The dispatcher token requests go through (proxy, strict SSL, extra CAs), shared with the send path.
   * Undefined when the network settings cannot be applied (the send path then reports that itself).
   */
  dispatcher(): Dispatcher | undefined {
    this.ensureService();
    return this.http.dispatcher;
  }

  // ------------------------------------------------------------------------- for the auth surfaces

  async signInProfile(profile: AuthProfile, environment: EnvironmentId, what: string): Promise<TokenSet> {
    const service = this.ensureService();
    service.forget(profile, environment);
    return this.acquire(profile, environment, what);
  }

  async signOutProfile(profile: AuthProfile, environment: EnvironmentId): Promise<SignOutResult> {
    const service = this.service;
    if (!service) return { outcome: 'no-token' };
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Signing out of Telenor (${ENV_LABELS[environment]})…` },
      () => service.signOut(profile, environment),
    );
  }

  /** Every token held now (live or expired), newest first. */
  heldTokens(): HeldToken[] {
    return [...this.held.values()].sort((a, b) => b.token.obtainedAt - a.token.obtainedAt);
  }

  heldFor(environment: EnvironmentId, profileId: string): HeldToken | undefined {
    return this.heldTokens().find((h) => h.environment === environment && h.profile.id === profileId);
  }

  /** A profile seen before in this environment (by a profile lookup or a held token). */
  knownProfile(environment: EnvironmentId, profileId: string): AuthProfile | undefined {
    return this.profiles.get(this.profileKey(environment, profileId));
  }

  /** Titles of the APIs known to use a profile in an environment. */
  apiTitlesFor(environment: EnvironmentId, profileId: string): string[] {
    const titles = new Set<string>();
    for (const d of this.decisions.values()) {
      if (d.environment === environment && d.decision.profile?.id === profileId) titles.add(d.api.title);
    }
    return [...titles].sort();
  }

  /** The service's masked exchange records, oldest first (none before the engine loads). */
  exchanges(): readonly TokenExchangeRecord[] {
    const redact = (s: string): string => this.deps.redactor.redact(s);
    return (this.service?.exchanges() ?? []).map((r) => redactRecord(r, redact));
  }

  get callbackUri(): string | undefined {
    return this.lastRedirectUri;
  }

  /**
   * The profile, or a clear error saying why there is none: a Sweden base URL not configured, a grant
   * that cannot be told, an API that declares no Telenor auth.
   */
  async requireProfile(api: ApiSummary, environment: EnvironmentId, known?: ProfileDecision): Promise<AuthProfile> {
    const decision = known ?? (await this.profileFor(api, environment));
    if (decision.profile) return decision.profile;
    const urls = await this.deps.environments.baseUrls(environment);
    const missing = (['se', 'no'] as const).filter((r) => !urls[r]);
    if (decision.source !== undefined && missing.length > 0 && environment !== 'sandbox') {
      const country = missing.map((r) => (r === 'se' ? 'Sweden' : 'Norway')).join(' and ');
      throw new TelenorError('input', `There is no ${country} base URL for ${ENV_LABELS[environment]}, so “${api.title}” cannot get a token there.`, {
        hint: `Set telenor.environments.${environment}.${missing[0] ?? 'se'} in the settings (Sweden’s base URLs come with your agreement).`,
      });
    }
    if (decision.source === undefined) {
      throw new TelenorError('input', `“${api.title}” does not say which Telenor grant it uses, so there is nothing to sign in to.`, {
        hint: `If it needs a Telenor token, add an entry for “${api.title}” to the telenor.auth.overrides setting with its grant (for example no-password).`,
      });
    }
    throw new TelenorError('input', `Cannot tell how to sign in to “${api.title}”: ${decision.warnings.join(' ')}`, {
      hint: `Fix the spec’s x-telenor extension or set telenor.auth.overrides for “${api.title}”.`,
    });
  }

  // ---------------------------------------------------------------------------------------- internals

  private decisionKey(environment: EnvironmentId, apiId: string): string {
    return `${environment}\n${apiId}`;
  }

  private profileKey(environment: EnvironmentId, profileId: string): string {
    return `${environment}\n${profileId}`;
  }

  private liveToken(environment: EnvironmentId, profileId: string): boolean {
    const held = this.heldFor(environment, profileId);
    return !!held && Date.now() < Math.min(held.token.expiresAt, held.token.jwt?.expiresAt ?? Infinity);
  }

  /** The grant, with a progress notification that can cancel it (and a browser-specific one for consent). */
  private async acquire(profile: AuthProfile, environment: EnvironmentId, what: string, outer?: AbortSignal): Promise<TokenSet> {
    const service = this.ensureService();
    this.throwIfNoDispatcher();
    const browser = profile.grant === 'no-authorization-code';
    if (browser) this.browserSignInEnvironment = environment;
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: browser ? WAITING_TITLE : `Telenor: Signing in to ${what} (${ENV_LABELS[environment]})…`,
        cancellable: true,
      },
      async (progress, cancel) => {
        if (browser) progress.report({ message: WAITING_HINT });
        const controller = new AbortController();
        const onOuter = (): void => controller.abort();
        outer?.addEventListener('abort', onOuter, { once: true });
        const sub = cancel.onCancellationRequested(() => controller.abort());
        try {
          return await service.token(profile, environment, { signal: controller.signal });
        } finally {
          sub.dispose();
          outer?.removeEventListener('abort', onOuter);
        }
      },
    );
  }

  /** `InteractiveSignIn.openBrowser`: the loopback `/start` page, made reachable from the person's browser. */
  private async openSignInPage(startUrl: string): Promise<void> {
    const external = vscode.Uri.parse(await externalUrl(startUrl), true);
    const callback = this.lastRedirectUri;
    const opened = await this.openExternal(external);
    if (!opened) {
      throw new TelenorError('cancelled', 'The sign-in page was not opened.', { hint: '' });
    }
    // The sandbox accepts any loopback callback, so the registration notice would only be noise there
    // (and it outlives the sign-in: a notification cannot be closed by the extension).
    if (callback && this.browserSignInEnvironment !== 'sandbox') void this.offerCallbackCopy(callback, external);
  }

  /** The callback URL must be registered for the app at Telenor (seed 002): make it easy to copy. */
  private async offerCallbackCopy(callback: string, startPage: vscode.Uri): Promise<void> {
    const copy = 'Copy Callback URL';
    const again = 'Open Sign-In Page Again';
    const answer = await vscode.window.showInformationMessage(
      `Approve access in the browser tab that opened. Callback URL: ${callback} (for Telenor’s test and production, register it for your app under “Applications” in the developer dashboard).`,
      copy,
      again,
    );
    if (answer === copy) {
      await vscode.env.clipboard.writeText(callback);
      void vscode.window.showInformationMessage('Copied the callback URL.');
    } else if (answer === again) {
      await this.openExternal(startPage);
    }
  }

  private ensureService(): AuthService {
    if (this.service) return this.service;
    if (this.disposed) throw new TelenorError('cancelled', 'The extension is shutting down.', { hint: '' });
    const engine = this.deps.lazy.loadEngine();
    this.rebuildDispatcher(this.deps.settings.current);
    const service = new engine.AuthService({
      credentials: (environment, profile) => this.deps.credentials.get(environment, regionOfGrant(profile)),
      http: this.http,
      interactive: this.interactive,
    });
    this.service = service;
    this.disposables.push(
      service.onDidChangeToken((change) => this.onTokenChange(change)),
      service.onDidExchange((record) => this.exchangeEmitter.fire(redactRecord(record, (s) => this.deps.redactor.redact(s)))),
      { dispose: () => service.dispose() },
    );
    return service;
  }

  private onTokenChange(change: TokenChange): void {
    let environment: EnvironmentId | undefined;
    let profileId: string | undefined;
    try {
      const parts: unknown = JSON.parse(change.key);
      if (Array.isArray(parts) && typeof parts[0] === 'string' && typeof parts[1] === 'string') {
        environment = parts[0] as EnvironmentId;
        profileId = parts[1];
      }
    } catch {
      // Unknown key shape: nothing to show for it.
    }
    if (change.token && environment && profileId) {
      const t = change.token;
      for (const secret of [t.accessToken, t.refreshToken, t.jwt?.token]) {
        if (secret) this.tokenSecrets.push(this.deps.redactor.register(secret, 'token'));
      }
      const profile = this.knownProfile(environment, profileId);
      if (profile) this.held.set(change.key, { environment, profile, token: t });
    } else {
      this.held.delete(change.key);
    }
    this.updateContext();
    this.scheduleExpiry();
    this.tokenEmitter.fire();
  }

  /** `telenor.signedIn`: shows "Sign Out" and "Renew Token" in the palette only while a token is held. */
  private updateContext(): void {
    const signedIn = this.held.size > 0;
    if (signedIn === this.signedInContext) return;
    this.signedInContext = signedIn;
    void vscode.commands.executeCommand('setContext', 'telenor.signedIn', signedIn);
  }

  /** Wake up when the next held token expires, so every surface can say "expired" without polling. */
  private scheduleExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const now = Date.now();
    const next = Math.min(...[...this.held.values()].map((h) => effectiveExpiry({ expiresAt: h.token.expiresAt, ...(h.token.jwt ? { jwtExpiresAt: h.token.jwt.expiresAt } : {}) })).filter((t) => t > now));
    if (!Number.isFinite(next)) return;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      this.tokenEmitter.fire();
      this.scheduleExpiry();
    }, Math.min(next - now + 50, 2 ** 31 - 1));
  }

  private forgetWhere(predicate: (h: HeldToken) => boolean): void {
    if (!this.service) return;
    for (const h of [...this.held.values()]) if (predicate(h)) this.service.forget(h.profile, h.environment);
  }

  private throwIfNoDispatcher(): void {
    if (this.dispatcherError) throw this.dispatcherError;
  }

  private applyInteractiveSettings(s: SettingsSnapshot): void {
    if (s.callbackPort > 0) this.interactive.port = s.callbackPort;
    else delete this.interactive.port;
  }

  private networkKey(s: SettingsSnapshot): string {
    return JSON.stringify([s.proxy, s.proxyStrictSSL, s.allowInsecureHttp]);
  }

  /** Where each environment's tokens come from: a token is only good for the host that issued it. */
  private hostKey(s: SettingsSnapshot, environment: EnvironmentId): string {
    return environment === 'sandbox' ? s.sandboxUrl : JSON.stringify(s.environments[environment] ?? {});
  }

  private onSettings(s: SettingsSnapshot): void {
    const before = this.lastSettings;
    this.lastSettings = s;
    const moved = (['sandbox', 'test', 'production'] as const).filter((env) => this.hostKey(before, env) !== this.hostKey(s, env));
    if (moved.length > 0) this.forgetWhere((h) => moved.includes(h.environment));
    this.applyInteractiveSettings(s);
    const key = this.networkKey(s);
    if (key !== this.lastNetworkSettings) {
      this.lastNetworkSettings = key;
      if (this.service) this.rebuildDispatcher(s);
    }
  }

  /** A new dispatcher for the current proxy / strict-SSL / extra-CA settings; the old one drains and closes. */
  private rebuildDispatcher(s: SettingsSnapshot): void {
    const engine = this.deps.lazy.loadEngine();
    const old = this.http.dispatcher;
    this.http.allowInsecureHttp = s.allowInsecureHttp;
    try {
      this.http.dispatcher = engine.createDispatcher({ ...(s.proxy ? { proxy: s.proxy } : {}), strictSSL: s.proxyStrictSSL });
      this.dispatcherError = undefined;
    } catch (e) {
      delete this.http.dispatcher;
      this.dispatcherError = isTelenorError(e)
        ? e
        : new TelenorError('network', 'The network settings (http.proxy, NODE_EXTRA_CA_CERTS) could not be applied.', { hint: 'Check http.proxy and NODE_EXTRA_CA_CERTS.', cause: e });
      this.deps.log.error('Auth network settings:', this.dispatcherError);
    }
    if (old) void old.close().catch(() => undefined);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.commandsImpl.dispose();
    this.authProvider.dispose();
    this.statusBar.dispose();
    this.inspector.dispose();
    for (const d of this.disposables.reverse()) d.dispose();
    void this.http.dispatcher?.close().catch(() => undefined);
    this.tokenEmitter.dispose();
    this.exchangeEmitter.dispose();
    // Token registrations stay with the Redactor (see the class comment).
    this.tokenSecrets.length = 0;
  }
}
