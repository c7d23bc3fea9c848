import * as vscode from 'vscode';
import type { AuthProfile, EnvironmentId } from '../../core/auth/types';
import { describeError, TelenorError } from '../../core/errors';
import type { ApiSummary } from '../../core/spec/types';
import type { ActiveApi, EnvironmentService, SpecRegistry } from '../contracts';
import { isEnvironment } from '../credentials/model';
import type { Log } from '../log';
import type { AuthControllerImpl, HeldToken } from './controller';
import { reportSignOut } from './report';
import { accountLabel, ENV_LABELS, parseSessionId, sessionId } from './format';

export const PROVIDER_ID = 'telenor';
export const PROVIDER_LABEL = 'Telenor';

export interface AuthProviderDeps {
  auth: Pick<
    AuthControllerImpl,
    'onDidChangeToken' | 'heldTokens' | 'heldFor' | 'profileFor' | 'signInProfile' | 'signOutProfile' | 'knownProfile' | 'apiTitlesFor' | 'isEngineLoaded'
  >;
  specs: SpecRegistry;
  environments: EnvironmentService;
  activeApi: ActiveApi;
  log: Log;
  /** Clock seam for tests. */
  now?: () => number;
}

/**
 * The "telenor" authentication provider: one session per environment + auth profile whose token is held
 * and live. Scopes are `[environment, profileId]` or `[environment, apiTitle]`, so another extension can
 * ask `vscode.authentication.getSession('telenor', ['sandbox', 'Telenor Stores API'], { createIfNone: true })`.
 * Creating a session signs in (with the browser for the authorization-code grant); removing one signs out.
 */
export class TelenorAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The sessions last announced, by id, to tell added / removed / changed apart. */
  private announced = new Map<string, vscode.AuthenticationSession>();

  constructor(private readonly deps: AuthProviderDeps) {
    this.disposables.push(
      vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, PROVIDER_LABEL, this, { supportsMultipleAccounts: false }),
      deps.auth.onDidChangeToken(() => this.announce()),
    );
  }

  /** Live sessions now, newest first. */
  sessions(): vscode.AuthenticationSession[] {
    const now = (this.deps.now ?? Date.now)();
    const seen = new Set<string>();
    const out: vscode.AuthenticationSession[] = [];
    for (const h of this.deps.auth.heldTokens()) {
      const live = now < Math.min(h.token.expiresAt, h.token.jwt?.expiresAt ?? Infinity);
      const id = sessionId(h.environment, h.profile.id);
      if (!live || seen.has(id)) continue;
      seen.add(id);
      out.push(this.toSession(h));
    }
    return out;
  }

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    const all = this.sessions();
    if (!scopes || scopes.length === 0) return all;
    const [environment, target] = scopes;
    if (!isEnvironment(environment)) return [];
    const inEnv = all.filter((s) => s.scopes[0] === environment);
    if (target === undefined) return inEnv;
    const direct = inEnv.filter((s) => s.scopes[1] === target);
    if (direct.length > 0) return direct;
    // An API title: its profile id decides (several APIs may share one token).
    if (inEnv.length === 0) return [];
    const api = this.apiByTitle(target);
    if (!api) return [];
    const profileId = (await this.deps.auth.profileFor(api, environment).catch(() => undefined))?.profile?.id;
    return profileId ? inEnv.filter((s) => s.scopes[1] === profileId) : [];
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const environment = isEnvironment(scopes[0]) ? scopes[0] : this.deps.environments.current;
    const { profile, what } = await this.targetFor(environment, scopes[1]);
    try {
      await this.deps.auth.signInProfile(profile, environment, what);
    } catch (e) {
      // VS Code shows the rejection to whoever asked; say what happened and what to do.
      throw new Error(describeError(e));
    }
    const held = this.deps.auth.heldFor(environment, profile.id);
    if (!held) throw new Error(`Signing in to ${what} (${ENV_LABELS[environment]}) gave no token.`);
    this.announce();
    return this.toSession(held);
  }

  async removeSession(id: string): Promise<void> {
    const parsed = parseSessionId(id);
    if (!parsed) return;
    const profile = this.deps.auth.knownProfile(parsed.environment, parsed.profileId);
    if (!profile) return;
    const titles = this.deps.auth.apiTitlesFor(parsed.environment, parsed.profileId);
    const what = `${titles.join(', ') || profile.label} (${ENV_LABELS[parsed.environment]})`;
    reportSignOut(await this.deps.auth.signOutProfile(profile, parsed.environment), what);
    this.announce();
  }

  private toSession(h: HeldToken): vscode.AuthenticationSession {
    const id = sessionId(h.environment, h.profile.id);
    return {
      id,
      accessToken: h.token.accessToken,
      account: { id, label: accountLabel(h.environment, h.profile) },
      scopes: [h.environment, h.profile.id],
    };
  }

  /** Which profile a `createSession` scope names: an API title, a profile id, or (none) the active API. */
  private async targetFor(environment: EnvironmentId, target: string | undefined): Promise<{ profile: AuthProfile; what: string }> {
    if (target !== undefined) {
      const known = this.deps.auth.knownProfile(environment, target);
      if (known) return { profile: known, what: this.deps.auth.apiTitlesFor(environment, target).join(', ') || known.label };
    }
    await this.deps.specs.whenSettled();
    let api: ApiSummary | undefined = target === undefined ? this.deps.activeApi.current : this.apiByTitle(target);
    if (!api && target !== undefined) {
      // A profile id not seen yet: find an API that uses it.
      for (const candidate of this.deps.specs.apis()) {
        const decision = await this.deps.auth.profileFor(candidate, environment).catch(() => undefined);
        if (decision?.profile?.id === target) {
          api = candidate;
          break;
        }
      }
    }
    if (!api) {
      throw new TelenorError('input', target === undefined ? 'No Telenor API is selected to sign in to.' : `No loaded Telenor API is called or uses “${target}”.`, {
        hint: 'Ask for a session with scopes [environment, API title], e.g. ["sandbox", "Telenor Stores API"].',
      });
    }
    const decision = await this.deps.auth.profileFor(api, environment);
    if (!decision.profile) {
      throw new TelenorError('input', `“${api.title}” does not use a Telenor token in ${ENV_LABELS[environment]}.`, { hint: decision.warnings.join(' ') });
    }
    return { profile: decision.profile, what: api.title };
  }

  private apiByTitle(title: string): ApiSummary | undefined {
    const apis = this.deps.specs.apis();
    return apis.find((a) => a.title === title) ?? apis.find((a) => a.title.toLowerCase() === title.toLowerCase());
  }

  /** Tell VS Code what changed since last time (sign-in, renewal, sign-out, expiry). */
  private announce(): void {
    const now = new Map(this.sessions().map((s) => [s.id, s]));
    const added: vscode.AuthenticationSession[] = [];
    const changed: vscode.AuthenticationSession[] = [];
    const removed: vscode.AuthenticationSession[] = [];
    for (const [id, s] of now) {
      const before = this.announced.get(id);
      if (!before) added.push(s);
      else if (before.accessToken !== s.accessToken) changed.push(s);
    }
    for (const [id, s] of this.announced) if (!now.has(id)) removed.push(s);
    this.announced = now;
    if (added.length + changed.length + removed.length > 0) this.emitter.fire({ added, removed, changed });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
