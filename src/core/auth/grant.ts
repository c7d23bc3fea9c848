/**
 * The one interface every grant implements, and the checks they share. A grant turns a profile plus
 * stored credentials into a `TokenSet`; it knows nothing about caching, X-JWT or records — the auth
 * service composes those.
 */
import { TelenorError } from '../errors';
import type {
  AuthProfile,
  ClientCredentials,
  CredentialKind,
  CredentialSet,
  EnvironmentId,
  GrantKind,
  JwtCredentials,
  MachineUserCredentials,
  TokenSet,
} from './types';
import type { AuthHttpOptions } from './transport';
import type { Region } from './errors';

/**
 * What an interactive sign-in (authorization code) needs from the host. The extension implements it with
 * `vscode.env.openExternal` and `vscode.env.asExternalUri`; tests drive the consent page over HTTP.
 */
export interface InteractiveSignIn {
  /** Open the loopback start page in the person's browser. */
  openBrowser(startUrl: string): Promise<unknown>;
  /** Map the local callback URL to the one the browser can reach (remote workspaces). Default: unchanged. */
  resolveRedirectUri?(localCallbackUrl: string): Promise<string>;
  /** How long to wait for the person. Default 5 minutes. */
  timeoutMs?: number;
  /** Fixed loopback port (when a callback URL with a port is registered). Default: any free port. */
  port?: number;
  /** Path of the callback on the loopback server. Default `/callback`. */
  callbackPath?: string;
  /**
   * Called with the authorization code the moment it arrives, before it is exchanged, so the host can
   * register it for masking (it must never reach a log, even in an error message about the exchange).
   */
  onAuthorizationCode?(code: string): void;
}

export interface GrantRequest {
  profile: AuthProfile;
  environment: EnvironmentId;
  credentials: CredentialSet;
  http: AuthHttpOptions;
  signal?: AbortSignal;
  /** Only the authorization-code grant uses it. */
  interactive?: InteractiveSignIn;
}

export interface Grant {
  readonly kind: GrantKind;
  /** True when acquiring needs a person (a browser window). */
  readonly interactive: boolean;
  acquire(req: GrantRequest): Promise<TokenSet>;
}

export function regionOf(grant: GrantKind): Region {
  return grant === 'se-client-credentials' ? 'se' : 'no';
}

const ENVIRONMENT_NAMES: Record<EnvironmentId, string> = {
  sandbox: 'the sandbox',
  test: 'the test environment',
  production: 'production',
};

/** How a person would name a credential kind for a region, for "missing" messages and prompts. */
export function credentialKindLabel(kind: CredentialKind, region: Region): string {
  switch (kind) {
    case 'client':
      return region === 'se' ? 'Sweden consumer key and secret' : 'Norway client id and secret';
    case 'machineUser':
      return 'Norway machine user (Min Bedrift username and password)';
    case 'jwt':
      return 'Sweden X-JWT credentials (clientId, userId and password)';
  }
}

export function missingCredentials(kind: CredentialKind, profile: AuthProfile, environment: EnvironmentId): TelenorError {
  return new TelenorError(
    'credentials-missing',
    `No ${credentialKindLabel(kind, regionOf(profile.grant))} stored for ${ENVIRONMENT_NAMES[environment]} (needed by “${profile.label}”).`,
    {
      // The sandbox has demo credentials of every kind: one step, nothing to type.
      hint:
        environment === 'sandbox'
          ? 'Use the sandbox’s demo credentials (“Telenor: Use Sandbox Demo Credentials”, one step), or enter your own with “Telenor: Set Credentials”.'
          : `Run “Telenor: Set Credentials” and enter them for ${ENVIRONMENT_NAMES[environment]}.`,
    },
  );
}

function filled(...values: Array<string | undefined>): boolean {
  return values.every((v) => typeof v === 'string' && v.trim() !== '');
}

/** The stored credential of `kind` when it is complete (every field non-blank), else undefined. */
function complete(set: CredentialSet, kind: 'client'): ClientCredentials | undefined;
function complete(set: CredentialSet, kind: 'machineUser'): MachineUserCredentials | undefined;
function complete(set: CredentialSet, kind: 'jwt'): JwtCredentials | undefined;
function complete(set: CredentialSet, kind: CredentialKind): object | undefined;
function complete(set: CredentialSet, kind: CredentialKind): object | undefined {
  switch (kind) {
    case 'client':
      return set.client && filled(set.client.clientId, set.client.clientSecret) ? set.client : undefined;
    case 'machineUser':
      return set.machineUser && filled(set.machineUser.username, set.machineUser.password) ? set.machineUser : undefined;
    case 'jwt':
      return set.jwt && filled(set.jwt.clientId, set.jwt.userId, set.jwt.password) ? set.jwt : undefined;
  }
}

export function requireClient(req: GrantRequest): ClientCredentials {
  const c = complete(req.credentials, 'client');
  if (!c) throw missingCredentials('client', req.profile, req.environment);
  return c;
}

export function requireMachineUser(req: GrantRequest): MachineUserCredentials {
  const m = complete(req.credentials, 'machineUser');
  if (!m) throw missingCredentials('machineUser', req.profile, req.environment);
  return m;
}

export function requireJwt(req: GrantRequest): JwtCredentials {
  const j = complete(req.credentials, 'jwt');
  if (!j) throw missingCredentials('jwt', req.profile, req.environment);
  return j;
}

/** The first credential kind the profile needs but the set lacks, if any. */
export function firstMissing(profile: AuthProfile, credentials: CredentialSet): CredentialKind | undefined {
  return profile.needs.find((kind) => complete(credentials, kind) === undefined);
}
