/**
 * The auth façade the rest of the extension uses: profile + environment in, auth headers out. It reads
 * credentials through a callback (SecretStorage lives in the extension layer), gets tokens through the
 * cache (one fetch per key, refresh ahead of expiry), adds the X-JWT for Sweden Communication APIs, signs
 * out, and keeps a masked record of every exchange for the token inspector.
 */
import { Disposable, Emitter, type Event } from '../util/lifecycle';
import { isTelenorError, TelenorError } from '../errors';
import type { AuthHeaderProvider, Headers } from '../http/types';
import type {
  AuthProfile,
  CredentialSet,
  EnvironmentId,
  GrantKind,
  TokenExchangeRecord,
  TokenSet,
} from './types';
import type { AuthHttpOptions } from './transport';
import { firstMissing, missingCredentials, regionOf, type Grant, type InteractiveSignIn } from './grant';
import { grantFor } from './grants';
import { refreshAccessToken } from './grants/refreshToken';
import { fetchXJwt } from './grants/xjwt';
import { logout } from './grants/logout';
import { isTokenEndpointError } from './errors';
import { keyBelongsTo, TokenCache, tokenCacheKey, type TokenChange, type TokenSource } from './tokenCache';

/** Reads the stored credentials for an environment (the extension: SecretStorage). Undefined = none stored. */
export type CredentialsSource = (environment: EnvironmentId, profile: AuthProfile) => Promise<CredentialSet | undefined>;

export interface AuthServiceOptions {
  credentials: CredentialsSource;
  /** Transport seams: dispatcher (proxy, CAs), timeout, randomness. */
  http?: Omit<AuthHttpOptions, 'onExchange' | 'now'>;
  /** Wall clock for token lifetimes; shared by the cache and the grants. */
  now?: () => number;
  /** Provide one to share it (or inspect it in tests); otherwise the service owns its own. */
  cache?: TokenCache;
  /** Browser sign-in for the authorization-code grant. */
  interactive?: InteractiveSignIn;
  /** How many exchange records to keep for the inspector. Default 50. */
  maxRecords?: number;
  /** Test seam: the grant for a kind. */
  grants?: (kind: GrantKind) => Grant;
}

export type SignOutOutcome =
  /** Telenor confirmed the logout (`OK!`): the token is dead. */
  | 'logged-out'
  /** Telenor said the token was already invalid (code 2). */
  | 'already-invalid'
  /** The grant has no logout endpoint (Sweden): the token is forgotten locally and expires by itself. */
  | 'not-supported'
  /** There was no token to log out. */
  | 'no-token'
  /** The logout request failed; the token is forgotten locally anyway. */
  | 'failed';

export interface SignOutResult {
  outcome: SignOutOutcome;
  error?: TelenorError;
}

export interface TokenOptions {
  signal?: AbortSignal;
}

/** The token values a rejected request carried (`Authorization: <type> <token>` and `X-JWT`). */
function rejectedTokens(headers: Headers): Set<string> {
  const used = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') used.add(value.replace(/^\S+\s+/, ''));
    else if (lower === 'x-jwt') used.add(value);
  }
  return used;
}

function pick(credentials: CredentialSet, profile: AuthProfile): CredentialSet {
  // Only the kinds this profile uses go into the cache key: changing the machine user must not drop a
  // Sweden token.
  const out: CredentialSet = {};
  if (profile.needs.includes('client') && credentials.client) out.client = credentials.client;
  if (profile.needs.includes('machineUser') && credentials.machineUser) out.machineUser = credentials.machineUser;
  if (profile.needs.includes('jwt') && credentials.jwt) out.jwt = credentials.jwt;
  return out;
}

export class AuthService extends Disposable {
  private readonly cache: TokenCache;
  private readonly now: () => number;
  private readonly grants: (kind: GrantKind) => Grant;
  private readonly records: TokenExchangeRecord[] = [];
  private readonly exchanged = this.register(new Emitter<TokenExchangeRecord>());
  /** Last cache key per environment + profile, to drop a token when the credentials behind it change. */
  private readonly lastKeys = new Map<string, string>();

  /** Fires after every token exchange (masked). */
  readonly onDidExchange: Event<TokenExchangeRecord> = this.exchanged.event;
  /** Fires when a cached token is stored, renewed or dropped. */
  readonly onDidChangeToken: Event<TokenChange>;

  constructor(private readonly options: AuthServiceOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.cache = options.cache ?? this.register(new TokenCache({ now: this.now }));
    this.onDidChangeToken = this.cache.onDidChange;
    this.grants = options.grants ?? grantFor;
  }

  /** The most recent exchanges, oldest first, secrets masked. */
  exchanges(): readonly TokenExchangeRecord[] {
    return [...this.records];
  }

  /** A live token set for the profile in this environment (X-JWT included when the profile needs one). */
  async token(profile: AuthProfile, environment: EnvironmentId, options: TokenOptions = {}): Promise<TokenSet> {
    const credentials = await this.loadCredentials(profile, environment);
    const key = this.keyFor(profile, environment, credentials);
    return this.cache.get(key, this.sourceFor(profile, environment, credentials), options.signal);
  }

  /** `Authorization` (and `X-JWT`) for a request. */
  async authHeaders(profile: AuthProfile, environment: EnvironmentId, signal?: AbortSignal): Promise<Headers> {
    const token = await this.token(profile, environment, signal ? { signal } : {});
    const headers: Headers = { Authorization: `${token.tokenType} ${token.accessToken}` };
    if (token.jwt) headers['X-JWT'] = token.jwt.token;
    return headers;
  }

  /**
   * For the send path: headers per request. `invalidate(rejected)` after a 401 drops the token only if it
   * is still the one that was rejected, so a burst of rejected requests causes one renewal, not one each.
   */
  headerProvider(profile: AuthProfile, environment: EnvironmentId): AuthHeaderProvider {
    return {
      headers: (signal) => this.authHeaders(profile, environment, signal),
      invalidate: (rejected) => {
        if (rejected === undefined) {
          this.forget(profile, environment);
          return;
        }
        const used = rejectedTokens(rejected);
        this.cache.invalidateWhere(
          (key) => keyBelongsTo(key, environment, profile.id),
          (token) => used.has(token.accessToken) || (token.jwt !== undefined && used.has(token.jwt.token)),
        );
      },
    };
  }

  /** The cached token set without fetching (for the UI). Undefined when none or when credentials are unreadable. */
  async peek(profile: AuthProfile, environment: EnvironmentId): Promise<TokenSet | undefined> {
    const key = this.lastKeys.get(JSON.stringify([environment, profile.id]));
    return key === undefined ? undefined : this.cache.peek(key);
  }

  /** Drop every cached token for the profile in this environment. */
  forget(profile: AuthProfile, environment: EnvironmentId): void {
    this.cache.invalidateWhere((key) => keyBelongsTo(key, environment, profile.id));
  }

  /**
   * Log out at Telenor (Norway: `GET /oauth/v2/logout`), then forget the token locally — the local part
   * happens whatever Telenor answers, so "sign out" always signs out of this window.
   */
  async signOut(profile: AuthProfile, environment: EnvironmentId, signal?: AbortSignal): Promise<SignOutResult> {
    const token = await this.peek(profile, environment);
    try {
      if (!token || token.expiresAt <= this.now()) return { outcome: 'no-token' };
      if (!profile.logoutUrl) return { outcome: 'not-supported' };
      await logout(this.httpFor(profile, environment), {
        logoutUrl: profile.logoutUrl,
        token,
        region: regionOf(profile.grant),
        ...(signal ? { signal } : {}),
      });
      return { outcome: 'logged-out' };
    } catch (e) {
      if (isTokenEndpointError(e) && e.httpStatus === 401 && e.code === 2) return { outcome: 'already-invalid' };
      return {
        outcome: 'failed',
        error: isTelenorError(e) ? e : new TelenorError('internal', 'Logging out failed unexpectedly.', { hint: '', cause: e }),
      };
    } finally {
      this.forget(profile, environment);
    }
  }

  private async loadCredentials(profile: AuthProfile, environment: EnvironmentId): Promise<CredentialSet> {
    let stored: CredentialSet | undefined;
    try {
      stored = await this.options.credentials(environment, profile);
    } catch (e) {
      if (isTelenorError(e)) throw e;
      throw new TelenorError('internal', 'The stored credentials could not be read.', {
        hint: 'Try again; if it persists, store them again with “Telenor: Set Credentials”.',
        cause: e,
      });
    }
    const credentials = stored ?? {};
    const missing = firstMissing(profile, credentials);
    if (missing) throw missingCredentials(missing, profile, environment);
    return pick(credentials, profile);
  }

  private keyFor(profile: AuthProfile, environment: EnvironmentId, credentials: CredentialSet): string {
    const key = tokenCacheKey(environment, profile.id, credentials);
    const slot = JSON.stringify([environment, profile.id]);
    const previous = this.lastKeys.get(slot);
    // New credentials: the token obtained with the old ones must not be used (nor kept) any more.
    if (previous !== undefined && previous !== key) this.cache.invalidate(previous);
    this.lastKeys.set(slot, key);
    return key;
  }

  private httpFor(profile: AuthProfile, environment: EnvironmentId): AuthHttpOptions {
    return {
      ...this.options.http,
      now: this.now,
      onExchange: (r) => this.record({ ...r, profileId: profile.id, environment }),
    };
  }

  private record(record: TokenExchangeRecord): void {
    this.records.push(record);
    const max = this.options.maxRecords ?? 50;
    if (this.records.length > max) this.records.splice(0, this.records.length - max);
    this.exchanged.fire(record);
  }

  private sourceFor(profile: AuthProfile, environment: EnvironmentId, credentials: CredentialSet): TokenSource {
    const http = this.httpFor(profile, environment);
    const grant = this.grants(profile.grant);
    const withJwt = async (token: TokenSet, signal: AbortSignal | undefined): Promise<TokenSet> => {
      if (!profile.xjwt) return token;
      const jwtCredentials = credentials.jwt;
      if (!jwtCredentials) throw missingCredentials('jwt', profile, environment);
      const jwt = await fetchXJwt(http, {
        hasPermissionUrl: profile.xjwt.hasPermissionUrl,
        service: profile.xjwt.service,
        token,
        jwt: jwtCredentials,
        ...(signal ? { signal } : {}),
      });
      return { ...token, jwt };
    };
    const source: TokenSource = {
      interactive: grant.interactive,
      acquire: async (signal) => {
        const token = await grant.acquire({
          profile,
          environment,
          credentials,
          http,
          ...(signal ? { signal } : {}),
          ...(this.options.interactive ? { interactive: this.options.interactive } : {}),
        });
        return withJwt(token, signal);
      },
    };
    const client = credentials.client;
    if (client) {
      source.refresh = async (current, signal) => {
        const token = await refreshAccessToken(http, {
          tokenUrl: profile.tokenUrl,
          client,
          refreshToken: current.refreshToken ?? '',
          region: regionOf(profile.grant),
          ...(profile.scope === undefined ? {} : { scope: profile.scope }),
          ...(signal ? { signal } : {}),
        });
        return withJwt(token, signal);
      };
    }
    return source;
  }
}
